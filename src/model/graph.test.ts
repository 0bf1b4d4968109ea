import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Digraph, digraph, largestCycle, SingleSourceReach } from './graph.js';

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

const graphs = fc.integer({ min: 1, max: 24 }).chain((n) =>
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

describe('largestCycle', () => {
  it('marks the largest strongly connected component of more than one node', () => {
    // Cycles {1,2} and {3,4,5}; 0 and 6 on no cycle; 7 only has a self-loop.
    const g = digraph(8, [
      [0, 1],
      [1, 2],
      [2, 1],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 3],
      [5, 6],
      [7, 7],
    ]);
    expect([...largestCycle(g)]).toEqual([0, 0, 0, 1, 1, 1, 0, 0]);
  });

  it('is empty when no cycle is longer than a self-loop', () => {
    const g = digraph(3, [
      [0, 1],
      [1, 2],
      [2, 2],
    ]);
    expect([...largestCycle(g)]).toEqual([0, 0, 0]);
  });

  it('marks a strongly connected set that no node outside it joins, in random graphs', () => {
    fc.assert(
      fc.property(graphs, ({ n, edges }) => {
        const g = digraph(n, edges);
        const hub = largestCycle(g);
        const members = [...hub.keys()].filter((v) => hub[v] === 1);
        const reach = Array.from({ length: n }, (_, v) => reachedFrom(g, v));
        const sccOf = (v: number) =>
          [...(reach[v] as Set<number>)].filter((w) => w === v || reach[w]?.has(v));
        // The largest component over every node's own (brute force), when it has two or more nodes.
        const largest = Math.max(
          ...Array.from({ length: n }, (_, v) => (reach[v]?.has(v) ? sccOf(v).length : 1)),
        );
        if (largest < 2) expect(members).toEqual([]);
        else {
          expect(members.length).toBe(largest);
          expect(new Set(sccOf(members[0] as number))).toEqual(new Set(members));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('SingleSourceReach', () => {
  it('marks what a source reaches by one or more edges, one search at a time', () => {
    const g = digraph(5, [
      [0, 1],
      [1, 2],
      [2, 1],
      [3, 3],
    ]);
    const reach = new SingleSourceReach(g);
    const reached = () => [0, 1, 2, 3, 4].map((v) => reach.reached(v));
    reach.search(0);
    expect(reached()).toEqual([false, true, true, false, false]);
    // On a cycle, the source reaches itself.
    reach.search(1);
    expect(reached()).toEqual([false, true, true, false, false]);
    reach.search(3);
    expect(reached()).toEqual([false, false, false, true, false]);
    reach.search(4);
    expect(reached()).toEqual([false, false, false, false, false]);
  });

  it('agrees with a plain search from every node of random graphs', () => {
    fc.assert(
      fc.property(graphs, ({ n, edges }) => {
        const g = digraph(n, edges);
        const reach = new SingleSourceReach(g);
        for (let from = 0; from < n; from++) {
          reach.search(from);
          const expected = reachedFrom(g, from);
          for (let to = 0; to < n; to++) expect(reach.reached(to)).toBe(expected.has(to));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
