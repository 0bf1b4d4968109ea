import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Digraph, digraph, reachability, stronglyConnected } from './graph.js';

/** Nodes reached from `from` by one or more edges. */
function reachedFrom(g: Digraph, from: number): Set<number> {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (let e = g.offsets[v] as number; e < (g.offsets[v + 1] as number); e++) {
      const w = g.targets[e] as number;
      if (!seen.has(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen;
}

const graphs = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
  }),
);

describe('digraph', () => {
  it('keeps the successors of each node in edge order', () => {
    const g = digraph(3, [
      [1, 2],
      [0, 2],
      [1, 0],
    ]);
    expect([...g.offsets]).toEqual([0, 1, 3, 3]);
    expect([...g.targets]).toEqual([2, 2, 0]);
  });
});

describe('stronglyConnected', () => {
  it('numbers components in topological order, mutual reachability within one', () => {
    fc.assert(
      fc.property(graphs, ({ n, edges }) => {
        const g = digraph(n, edges);
        const { count, component } = stronglyConnected(g);
        for (const [u, v] of edges)
          expect(component[u] as number).toBeLessThanOrEqual(component[v] as number);
        const reach = Array.from({ length: n }, (_, v) => reachedFrom(g, v));
        for (let u = 0; u < n; u++) {
          for (let v = 0; v < n; v++) {
            const mutual = u === v || (reach[u]?.has(v) === true && reach[v]?.has(u) === true);
            expect(component[u] === component[v]).toBe(mutual);
          }
        }
        expect(new Set(component).size).toBe(count);
      }),
      { numRuns: 1000 },
    );
  });

  it('runs without recursion on a 200,000-node cycle', () => {
    const n = 200_000;
    const edges: [number, number][] = [];
    for (let v = 0; v < n; v++) edges.push([v, (v + 1) % n]);
    expect(stronglyConnected(digraph(n, edges)).count).toBe(1);
  });
});

describe('reachability', () => {
  it('agrees with one search per query on random graphs', () => {
    fc.assert(
      fc.property(graphs, ({ n, edges }) => {
        const g = digraph(n, edges);
        const queries = [];
        for (let from = 0; from < n; from++) for (let to = 0; to < n; to++) queries.push({ from, to });
        const got = reachability(g, queries);
        queries.forEach((q, i) => {
          expect(got[i] === 1).toBe(reachedFrom(g, q.from).has(q.to));
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('answers for more sources than one pass holds', () => {
    // A chain: every node reaches the ones after it.
    const n = 2500;
    const edges: [number, number][] = [];
    for (let v = 0; v + 1 < n; v++) edges.push([v, v + 1]);
    const queries = [];
    for (let from = 0; from < n; from++) queries.push({ from, to: n - 1 }, { from, to: 0 });
    const got = reachability(digraph(n, edges), queries);
    queries.forEach((q, i) => {
      expect(got[i] === 1).toBe(q.to > q.from);
    });
  });
});
