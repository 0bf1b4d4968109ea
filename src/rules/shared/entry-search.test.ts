import { describe, expect, it } from 'vitest';
import { isPassThrough } from '../../model/queries.js';
import type { View } from '../../model/view.js';
import { viewOf } from '../testing/view-of.js';
import { searchFromEntries } from './entry-search.js';

/**
 * A tangled model made from a fixed pseudo-random sequence: several internet sources and public
 * components, pass-through components, cycles, parallel flows and components reached by many flows at
 * the same distance (the ties that decide which route a search keeps).
 */
function tangled(seed: number): View {
  let x = seed;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const kinds = ['service', 'gateway', 'service', 'datastore', 'waf', 'service'];
  const lines = ['boundaries:', '  - { id: internet, kind: internet }', 'components:'];
  for (let i = 0; i < 4; i++) lines.push(`  - { id: u${i}, kind: user, in: internet }`);
  for (let i = 0; i < 40; i++) {
    const kind = kinds[next(kinds.length)];
    const exposure = next(10) === 0 ? ', exposure: public' : '';
    const enforces = next(3) === 0 ? ', enforces: [input-validation]' : '';
    lines.push(`  - { id: c${i}, kind: ${kind}${exposure}${enforces} }`);
  }
  lines.push('flows:');
  const ids = [
    ...Array.from({ length: 4 }, (_, i) => `u${i}`),
    ...Array.from({ length: 40 }, (_, i) => `c${i}`),
  ];
  for (let i = 0; i < 130; i++) {
    const from = ids[next(ids.length)];
    const to = `c${next(40)}`;
    if (from !== to) lines.push(`  - { id: f${i}, from: ${from}, to: ${to}, protocol: https }`);
  }
  return viewOf(lines.join('\n'));
}

const ids = (path: readonly { id: string }[]) => path.map((f) => f.id);

describe('searchFromEntries', () => {
  it('reaches each target by the route View.reachableVia keeps', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const view = tangled(seed);
      const passes = (c: { enforces?: readonly string[] | undefined }) =>
        c.enforces?.includes('input-validation') !== true;
      const full = view.reachableVia('test', (f) => passes(f.from));
      const every = new Set(view.components.map((c) => c.id));
      for (const target of view.components) {
        const search = searchFromEntries(view, passes, { targets: new Set([target.id]) });
        expect(search.has(target.id)).toBe(full.has(target.id));
        expect(ids(view.pathTo(search, target.id))).toEqual(ids(view.pathTo(full, target.id)));
      }
      // With every component a target it is the whole search.
      expect([...searchFromEntries(view, passes, { targets: every })]).toEqual([...full]);
    }
  });

  it('keeps within the components it is given, as reachableVia over the flows between them', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const view = tangled(seed);
      const passes = (c: { kind: string }) => c.kind !== 'datastore';
      // Every other component, entry points included: some entry points are left out too.
      const within = new Set(view.components.filter((_, i) => i % 2 === 0).map((c) => c.id));
      const full = view.reachableVia(
        `test-within-${seed}`,
        (f) => within.has(f.from.id) && within.has(f.to.id) && passes(f.from),
      );
      const search = searchFromEntries(view, passes, { within });
      expect([...search].filter(([id]) => !within.has(id))).toEqual([]);
      // reachableVia starts from every entry point; the search only from those within.
      expect([...search]).toEqual([...full].filter(([id]) => within.has(id)));
      // No limits: the whole search.
      const all = view.reachableVia(`test-all-${seed}`, (f) => passes(f.from));
      expect([...searchFromEntries(view, passes)]).toEqual([...all]);
    }
  });

  it('answers every read-only Map method as the Map of reachableVia would', () => {
    const view = tangled(3);
    const passes = (c: { kind: string }) => c.kind !== 'datastore';
    const full = view.reachableVia('test-map', (f) => passes(f.from));
    const search = searchFromEntries(view, passes);
    expect(search.size).toBe(full.size);
    expect([...search.keys()]).toEqual([...full.keys()]);
    expect([...search.values()]).toEqual([...full.values()]);
    expect([...search.entries()]).toEqual([...full.entries()]);
    const seen: [string, unknown][] = [];
    search.forEach((value, key, map) => {
      expect(map).toBe(search);
      seen.push([key, value]);
    });
    expect(seen).toEqual([...full]);
    for (const c of view.components) {
      expect(search.has(c.id)).toBe(full.has(c.id));
      expect(search.get(c.id)).toBe(full.get(c.id));
    }
    expect(search.has('no-such-component')).toBe(false);
    expect(search.get('no-such-component')).toBeUndefined();
  });

  it('stops once every target is reached', () => {
    const view = viewOf(`
boundaries:
  - { id: internet, kind: internet }
components:
  - { id: u, kind: user, in: internet }
  - { id: gw, kind: gateway }
  - { id: a, kind: service }
  - { id: b, kind: service }
flows:
  - { from: u, to: gw }
  - { from: gw, to: a }
  - { from: a, to: b }
`);
    const search = searchFromEntries(view, (c) => c.kind === 'user' || isPassThrough(c) || c.id === 'a', {
      targets: new Set(['a']),
    });
    expect(search.has('a')).toBe(true);
    expect(search.has('b')).toBe(false);
    expect(ids(view.pathTo(search, 'a'))).toEqual(['u->gw', 'gw->a']);
  });
});

// The View's own search over every flow, which rules read routes from (broken-network-trust-assumption).
describe('View.reachedVia', () => {
  it('keeps the routes of reachableVia with every flow allowed', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const view = tangled(seed);
      const full = view.reachableVia('test-all', () => true);
      const reached = view.reachedVia();
      expect([...reached.keys()]).toEqual([...full.keys()]);
      for (const c of view.components) {
        expect(ids(view.pathTo(reached, c.id))).toEqual(ids(view.pathTo(full, c.id)));
        expect(view.hopsFromEntry(c.id)).toBe(full.has(c.id) ? view.pathTo(full, c.id).length : undefined);
      }
    }
  });
});
