import { describe, expect, it } from 'vitest';
import type { Component } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';
import { viewOf } from '../testing/view-of.js';
import { pathComponents, pathIds, pathText } from './paths.js';

const view = viewOf(`
components:
  - { id: a, kind: user }
  - { id: b, kind: gateway }
  - { id: c, kind: service }
flows:
  - { from: a, to: b }
  - { from: b, to: c }
`);
const path = ['a->b', 'b->c'].map((id) => view.flow(id) as FlowFacts);

describe('paths', () => {
  it('names the components a path passes, in order', () => {
    expect(pathIds(path)).toEqual(['a', 'b', 'c']);
    expect(pathText(path)).toBe('a → b → c');
    expect(pathComponents(path, view.component('c') as Component).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('an empty path passes nothing, or only its end', () => {
    expect(pathIds([])).toEqual([]);
    expect(pathText([])).toBe('');
    expect(pathComponents([], view.component('c') as Component).map((x) => x.id)).toEqual(['c']);
  });
});
