import { describe, expect, it } from 'vitest';
import type { Component } from '../../model/schema.js';
import { type AtRestCommon, atRestDraft, atRestFact } from './at-rest.js';

const cache = (atRest?: Component['encrypted-at-rest']): Component =>
  atRest === undefined
    ? { id: 'cache', kind: 'cache' }
    : { id: 'cache', kind: 'cache', 'encrypted-at-rest': atRest };
const common: AtRestCommon = {
  primary: ['cache'],
  subjects: ['pii'],
  likelihood: 'possible',
  impact: 'high',
  data: { cache: 'cache' },
};

describe('encryption at rest', () => {
  it('atRestFact states the value, or that it is not stated', () => {
    expect(atRestFact(cache(false))).toBe('cache: encrypted-at-rest false');
    expect(atRestFact(cache('unknown'))).toBe('cache: encrypted-at-rest unknown');
    expect(atRestFact(cache())).toBe('cache: encrypted-at-rest not stated');
  });

  it('atRestDraft is confirmed on a stated false and assumed, with a question, otherwise', () => {
    const stated = atRestDraft(cache(false), common, ['cache stores pii']);
    expect(stated).toMatchObject({ messageId: 'unencrypted', confidence: 'confirmed', primary: ['cache'] });
    expect(stated.evidence).toEqual(['cache: encrypted-at-rest false', 'cache stores pii']);
    expect(stated.unknowns).toBeUndefined();
    const unstated = atRestDraft(cache(), common, []);
    expect(unstated).toMatchObject({ messageId: 'unstated', confidence: 'assumed' });
    expect(unstated.unknowns).toEqual([{ subject: 'cache', attribute: 'encrypted-at-rest' }]);
  });
});
