import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominators, UNREACHED, VIRTUAL_ROOT } from './dominators.js';
import { type Digraph, digraph } from './graph.js';

/** Nodes reached from the roots by paths that avoid `removed` (which, when a root, starts none). */
function reachedAvoiding(g: Digraph, roots: readonly number[], removed: number): Set<number> {
  const seen = new Set<number>();
  const stack = roots.filter((r) => r !== removed);
  for (const r of stack) seen.add(r);
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (let e = g.offsets[v] as number; e < (g.offsets[v + 1] as number); e++) {
      const w = g.targets[e] as number;
      if (w !== removed && !seen.has(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen;
}

/** The dominators of each node (itself excluded) by the definition: removing one cuts the node off. */
function naiveDominators(g: Digraph, roots: readonly number[]): (Set<number> | undefined)[] {
  const reached = reachedAvoiding(g, roots, -1);
  const out: (Set<number> | undefined)[] = [];
  for (let v = 0; v < g.size; v++) out.push(reached.has(v) ? new Set() : undefined);
  for (let d = 0; d < g.size; d++) {
    const without = reachedAvoiding(g, roots, d);
    for (const v of reached) if (v !== d && !without.has(v)) out[v]?.add(d);
  }
  return out;
}

/** The dominators of each node read off the `idom` chains. */
function chains(idom: Int32Array): (Set<number> | undefined)[] {
  return [...idom].map((d, v) => {
    if (d === UNREACHED) return undefined;
    const set = new Set<number>();
    for (let x = idom[v] as number; x !== VIRTUAL_ROOT; x = idom[x] as number) set.add(x);
    return set;
  });
}

describe('dominators', () => {
  it('finds the only gateway in front of a database, and none behind two gateways', () => {
    // 0 → 1 → 2 → 3, and 0 → 4 → 3 around 1 and 2 through a second path to 3 only.
    const g = digraph(6, [
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 4],
      [4, 3],
    ]);
    const { idom, order } = dominators(g, [0]);
    expect([...idom]).toEqual([VIRTUAL_ROOT, 0, 1, 0, 0, UNREACHED]);
    expect([...order]).toEqual([0, 1, 2, 3, 4]);
  });

  it('treats several roots as the start of independent paths', () => {
    // Roots 0 and 1 both reach 2; only 1 reaches 3 through 2.
    const g = digraph(4, [
      [0, 2],
      [1, 2],
      [2, 3],
    ]);
    expect([...dominators(g, [0, 1]).idom]).toEqual([VIRTUAL_ROOT, VIRTUAL_ROOT, VIRTUAL_ROOT, 2]);
    // A root reached from another root is still a root: nothing dominates it.
    const h = digraph(3, [
      [0, 1],
      [1, 2],
    ]);
    expect([...dominators(h, [0, 1]).idom]).toEqual([VIRTUAL_ROOT, VIRTUAL_ROOT, 1]);
  });

  it('handles cycles, self-loops, parallel edges and no roots', () => {
    const g = digraph(4, [
      [0, 1],
      [1, 1],
      [1, 2],
      [1, 2],
      [2, 1],
      [2, 3],
    ]);
    expect([...dominators(g, [0]).idom]).toEqual([VIRTUAL_ROOT, 0, 1, 2]);
    expect([...dominators(g, []).idom]).toEqual([UNREACHED, UNREACHED, UNREACHED, UNREACHED]);
  });

  it('runs without recursion on a 200,000-node chain', () => {
    const n = 200_000;
    const edges: [number, number][] = [];
    for (let v = 0; v + 1 < n; v++) edges.push([v, v + 1]);
    const { idom } = dominators(digraph(n, edges), [0]);
    expect(idom[n - 1]).toBe(n - 2);
  });

  it('agrees with the definition (remove a node, check reachability) on random graphs', () => {
    const graphs = fc.integer({ min: 1, max: 9 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
        roots: fc.array(fc.nat(n - 1), { maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(graphs, ({ n, edges, roots }) => {
        const g = digraph(n, edges);
        const { idom, order } = dominators(g, roots);
        expect(chains(idom)).toEqual(naiveDominators(g, roots));
        // Preorder: each node after its immediate dominator.
        const at = new Map([...order].map((v, i) => [v, i]));
        for (const v of order) {
          const d = idom[v] as number;
          if (d !== VIRTUAL_ROOT) expect(at.get(d) as number).toBeLessThan(at.get(v) as number);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
