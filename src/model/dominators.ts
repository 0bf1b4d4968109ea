/**
 * Dominators of a directed graph with several roots: node `d` dominates node `v` when every path from a
 * root to `v` passes through `d` (a root counts as the start of the paths it begins). With a virtual root
 * joined to every root this is the classic dominator tree, computed here once for all nodes with the
 * Lengauer–Tarjan algorithm (simple version, path compression; O(edges × log nodes)). All loops are
 * iterative: recursion would overflow the stack on 100,000-node models.
 */
import type { Digraph } from './graph.js';

/** `idom` of a node reached only through different roots (or of a root): the virtual root. */
export const VIRTUAL_ROOT = -1;
/** `idom` of a node that no root reaches. */
export const UNREACHED = -2;

export interface Dominators {
  /**
   * The immediate dominator of every node: the closest node other than itself that every path from the
   * roots passes through; VIRTUAL_ROOT when there is none, UNREACHED when no root reaches the node.
   * Following `idom` from a node lists all of its dominators (other than itself), nearest first.
   */
  readonly idom: Int32Array;
  /** The reached nodes in depth-first preorder: every node comes after all of its dominators. */
  readonly order: Int32Array;
}

export function dominators(g: Digraph, roots: readonly number[]): Dominators {
  const n = g.size;
  const { offsets, targets } = g;

  // 1. Depth-first numbering from the virtual root (number 0); reached nodes get 1 … count.
  const num = new Int32Array(n); // 0: not reached
  const vertex = new Int32Array(n + 1);
  const parent = new Int32Array(n + 1);
  const stackNode = new Int32Array(n);
  const stackPos = new Int32Array(n);
  let count = 0;
  for (const r of roots) {
    if (num[r] !== 0) continue;
    num[r] = ++count;
    vertex[count] = r;
    parent[count] = 0;
    let top = 0;
    stackNode[0] = r;
    stackPos[0] = offsets[r] as number;
    while (top >= 0) {
      const v = stackNode[top] as number;
      const pos = stackPos[top] as number;
      if (pos === (offsets[v + 1] as number)) {
        top--;
        continue;
      }
      stackPos[top] = pos + 1;
      const w = targets[pos] as number;
      if (num[w] !== 0) continue;
      num[w] = ++count;
      vertex[count] = w;
      parent[count] = num[v] as number;
      top++;
      stackNode[top] = w;
      stackPos[top] = offsets[w] as number;
    }
  }

  // 2. Predecessors by number, reached nodes only; the virtual root precedes every root.
  const predStart = new Int32Array(count + 2);
  for (const r of new Set(roots)) {
    const i = (num[r] as number) + 1;
    predStart[i] = (predStart[i] as number) + 1;
  }
  for (let i = 1; i <= count; i++) {
    const v = vertex[i] as number;
    for (let e = offsets[v] as number; e < (offsets[v + 1] as number); e++) {
      const j = (num[targets[e] as number] as number) + 1;
      predStart[j] = (predStart[j] as number) + 1;
    }
  }
  for (let i = 0; i <= count; i++) predStart[i + 1] = (predStart[i + 1] as number) + (predStart[i] as number);
  const predFill = predStart.slice(0, count + 1);
  const preds = new Int32Array(predStart[count + 1] as number);
  for (const r of new Set(roots)) preds[(predFill[num[r] as number] as number)++] = 0;
  for (let i = 1; i <= count; i++) {
    const v = vertex[i] as number;
    for (let e = offsets[v] as number; e < (offsets[v + 1] as number); e++) {
      preds[(predFill[num[targets[e] as number] as number] as number)++] = i;
    }
  }

  // 3. Semi-dominators in reverse preorder, with a link-eval forest (ancestor, best) over the numbers.
  const semi = new Int32Array(count + 1);
  const idom = new Int32Array(count + 1);
  const ancestor = new Int32Array(count + 1).fill(-1);
  const best = new Int32Array(count + 1);
  const samedom = new Int32Array(count + 1).fill(-1);
  const bucketHead = new Int32Array(count + 1).fill(-1);
  const bucketNext = new Int32Array(count + 1);
  const path = new Int32Array(count + 1);
  for (let i = 0; i <= count; i++) {
    semi[i] = i;
    best[i] = i;
  }
  // The node with the smallest semi-dominator on the forest path above v (v itself included), with
  // path compression; the recursive textbook version, unrolled with an explicit stack.
  // Only called on linked nodes (ancestor[v] !== -1).
  const evaluate = (v: number): number => {
    let sp = 0;
    let u = v;
    while ((ancestor[ancestor[u] as number] as number) !== -1) {
      path[sp++] = u;
      u = ancestor[u] as number;
    }
    while (sp > 0) {
      const x = path[--sp] as number;
      const a = ancestor[x] as number;
      if ((semi[best[a] as number] as number) < (semi[best[x] as number] as number))
        best[x] = best[a] as number;
      ancestor[x] = ancestor[a] as number;
    }
    return best[v] as number;
  };
  for (let w = count; w >= 1; w--) {
    const p = parent[w] as number;
    let s = p;
    for (let e = predStart[w] as number; e < (predStart[w + 1] as number); e++) {
      const v = preds[e] as number;
      const candidate = v <= w ? v : (semi[evaluate(v)] as number);
      if (candidate < s) s = candidate;
    }
    semi[w] = s;
    bucketNext[w] = bucketHead[s] as number;
    bucketHead[s] = w;
    ancestor[w] = p;
    best[w] = w;
    for (let v = bucketHead[p] as number; v !== -1; v = bucketNext[v] as number) {
      const y = evaluate(v);
      if (semi[y] === semi[v]) idom[v] = p;
      else samedom[v] = y;
    }
    bucketHead[p] = -1;
  }
  // 4. Nodes whose semi-dominator is not their dominator take that of a node above them (preorder).
  for (let w = 1; w <= count; w++) {
    const same = samedom[w] as number;
    if (same !== -1) idom[w] = idom[same] as number;
  }

  const result = new Int32Array(n).fill(UNREACHED);
  for (let w = 1; w <= count; w++) {
    const d = idom[w] as number;
    result[vertex[w] as number] = d === 0 ? VIRTUAL_ROOT : (vertex[d] as number);
  }
  return { idom: result, order: vertex.slice(1, count + 1) };
}
