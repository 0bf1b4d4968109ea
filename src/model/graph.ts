/**
 * Integer-indexed directed graphs for the whole-model questions that rules ask about every component at
 * once (dominators, many reachability queries). A per-component search over string-keyed Maps is fine
 * once; asked for thousands of components it is quadratic, so these answer all of them in one or a few
 * linear passes over typed arrays. Everything here is iterative: models have 100,000 components.
 */
import type { Component } from './schema.js';
import type { FlowFacts, View } from './view.js';

/**
 * A directed graph over the nodes 0 … size-1 in compressed sparse row form: the successors of `v` are
 * `targets[offsets[v]]` … `targets[offsets[v + 1] - 1]`. Parallel edges and self-loops are allowed.
 */
export interface Digraph {
  readonly size: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

/** A graph from a node count and an edge list (for tests and small callers); edges keep their order. */
export function digraph(size: number, edges: readonly (readonly [number, number])[]): Digraph {
  const offsets = new Int32Array(size + 1);
  for (const [from] of edges) offsets[from + 1] = (offsets[from + 1] as number) + 1;
  for (let v = 0; v < size; v++) offsets[v + 1] = (offsets[v + 1] as number) + (offsets[v] as number);
  const fill = offsets.slice(0, size);
  const targets = new Int32Array(edges.length);
  for (const [from, to] of edges) targets[(fill[from] as number)++] = to;
  return { size, offsets, targets };
}

/** The components of a View as a graph: node i is `view.components[i]`, one edge per flow (from → to). */
export interface ComponentGraph extends Digraph {
  /** The components by node (the View's list). */
  readonly components: readonly Component[];
  /** The node of each component (keyed by the View's component objects, which flows also point to). */
  readonly node: ReadonlyMap<Component, number>;
}

/** One graph per View: the rules that need it share it (nothing writes to it once built). */
const graphs = new WeakMap<View, ComponentGraph>();

export function componentGraph(view: View): ComponentGraph {
  let g = graphs.get(view);
  if (g === undefined) {
    g = buildComponentGraph(view);
    graphs.set(view, g);
  }
  return g;
}

function buildComponentGraph(view: View): ComponentGraph {
  const components = view.components;
  const size = components.length;
  // Keyed by object rather than id: at 100,000 components the lookups are what building costs.
  const node = new Map<Component, number>();
  for (let i = 0; i < size; i++) node.set(components[i] as Component, i);
  const flows = view.flows;
  const from = new Int32Array(flows.length);
  const to = new Int32Array(flows.length);
  const offsets = new Int32Array(size + 1);
  for (let e = 0; e < flows.length; e++) {
    const f = flows[e] as FlowFacts;
    const a = node.get(f.from) as number;
    from[e] = a;
    to[e] = node.get(f.to) as number;
    offsets[a + 1] = (offsets[a + 1] as number) + 1;
  }
  for (let v = 0; v < size; v++) offsets[v + 1] = (offsets[v + 1] as number) + (offsets[v] as number);
  // In flow order within each node, like view.flowsFrom.
  const fill = offsets.slice(0, size);
  const targets = new Int32Array(flows.length);
  for (let e = 0; e < flows.length; e++) {
    const a = from[e] as number;
    targets[fill[a] as number] = to[e] as number;
    fill[a] = (fill[a] as number) + 1;
  }
  return { size, offsets, targets, components, node };
}

/**
 * Strongly connected components (Tarjan, with an explicit stack). They are numbered in topological
 * order of the condensation: every edge u → v has `component[u] <= component[v]`.
 */
export function stronglyConnected(g: Digraph): { count: number; component: Int32Array } {
  const n = g.size;
  const { offsets, targets } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const sccStack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callPos = new Int32Array(n);
  // Tarjan completes the components sinks first; numbered in that order, then reversed at the end.
  const completed = new Int32Array(n);
  let sp = 0;
  let count = 0;
  let counter = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    let top = 0;
    index[s] = low[s] = counter++;
    sccStack[sp++] = s;
    onStack[s] = 1;
    callNode[0] = s;
    callPos[0] = offsets[s] as number;
    while (top >= 0) {
      const v = callNode[top] as number;
      const pos = callPos[top] as number;
      if (pos < (offsets[v + 1] as number)) {
        callPos[top] = pos + 1;
        const w = targets[pos] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          sccStack[sp++] = w;
          onStack[w] = 1;
          top++;
          callNode[top] = w;
          callPos[top] = offsets[w] as number;
        } else if (onStack[w] === 1 && (index[w] as number) < (low[v] as number)) {
          low[v] = index[w] as number;
        }
        continue;
      }
      top--;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = sccStack[--sp] as number;
          onStack[w] = 0;
          completed[w] = count;
        } while (w !== v);
        count++;
      }
      if (top >= 0) {
        const u = callNode[top] as number;
        if ((low[v] as number) < (low[u] as number)) low[u] = low[v] as number;
      }
    }
  }
  const component = new Int32Array(n);
  for (let v = 0; v < n; v++) component[v] = count - 1 - (completed[v] as number);
  return { count, component };
}

/** One question for `reachability`: is `to` reached from `from` by a chain of one or more edges? */
export interface ReachQuery {
  readonly from: number;
  readonly to: number;
}

/** Sources whose reach is propagated together: 1,024 bits (32 words) per strongly connected component. */
const SOURCES_PER_PASS = 1024;

/**
 * Answers many reachability questions at once: `result[i]` is 1 when `queries[i].to` is reached from
 * `queries[i].from` by a path of at least one edge (a node reaches itself only on a cycle). Instead of
 * one search per source, the distinct sources get one bit each and the bits are propagated once over
 * the condensation in topological order; time O((nodes + edges) × sources / 32), memory bounded by
 * passes of at most 1,024 sources.
 */
export function reachability(g: Digraph, queries: readonly ReachQuery[]): Uint8Array {
  const result = new Uint8Array(queries.length);
  if (queries.length === 0) return result;
  const { count, component } = stronglyConnected(g);
  const { offsets, targets } = g;
  // A component on a cycle (more than one node, or a self-loop) reaches itself.
  const cyclic = new Uint8Array(count);
  const sizes = new Int32Array(count);
  for (let v = 0; v < g.size; v++) {
    const c = component[v] as number;
    sizes[c] = (sizes[c] as number) + 1;
  }
  for (let v = 0; v < g.size; v++) {
    const c = component[v] as number;
    if ((sizes[c] as number) > 1) cyclic[c] = 1;
    for (let e = offsets[v] as number; e < (offsets[v + 1] as number); e++) {
      if (targets[e] === v) cyclic[c] = 1;
    }
  }
  // Nodes grouped by component, components in topological order (a counting sort).
  const start = new Int32Array(count + 1);
  for (let c = 0; c < count; c++) start[c + 1] = (start[c] as number) + (sizes[c] as number);
  const fill = start.slice(0, count);
  const byComponent = new Int32Array(g.size);
  for (let v = 0; v < g.size; v++) byComponent[(fill[component[v] as number] as number)++] = v;

  const sources = [...new Set(queries.map((q) => q.from))].sort((a, b) => a - b);
  // bit[v]: the bit of node v in this pass, -1 when it is not one of the pass's sources.
  const bit = new Int32Array(g.size).fill(-1);
  for (let pass = 0; pass < sources.length; pass += SOURCES_PER_PASS) {
    const chunk = sources.slice(pass, pass + SOURCES_PER_PASS);
    const words = Math.ceil(chunk.length / 32);
    bit.fill(-1);
    chunk.forEach((s, i) => {
      bit[s] = i;
    });
    // seen[c]: the sources of this pass that reach component c by at least one edge.
    const seen = new Uint32Array(count * words);
    for (let i = 0; i < chunk.length; i++) {
      const c = component[chunk[i] as number] as number;
      // A source reaches its own component by an edge only when that component is cyclic; its
      // successors in other components get its bit from the propagation below.
      const k = c * words + (i >> 5);
      if (cyclic[c] === 1) seen[k] = (seen[k] as number) | (1 << (i & 31));
    }
    const own = new Uint32Array(words);
    for (let c = 0; c < count; c++) {
      // What leaves component c: what reaches it, plus its own sources (a source reaches its successors).
      own.set(seen.subarray(c * words, c * words + words));
      for (let k = start[c] as number; k < (start[c + 1] as number); k++) {
        const i = bit[byComponent[k] as number] as number;
        if (i >= 0) own[i >> 5] = (own[i >> 5] as number) | (1 << (i & 31));
      }
      if (own.every((x) => x === 0)) continue;
      for (let k = start[c] as number; k < (start[c + 1] as number); k++) {
        const v = byComponent[k] as number;
        for (let e = offsets[v] as number; e < (offsets[v + 1] as number); e++) {
          const d = component[targets[e] as number] as number;
          if (d === c) continue;
          for (let w = 0; w < words; w++) {
            const k = d * words + w;
            seen[k] = (seen[k] as number) | (own[w] as number);
          }
        }
      }
    }
    for (let q = 0; q < queries.length; q++) {
      const { from, to } = queries[q] as ReachQuery;
      const i = bit[from] as number;
      if (i < 0) continue;
      const c = component[to] as number;
      if ((((seen[c * words + (i >> 5)] as number) >>> (i & 31)) & 1) === 1) result[q] = 1;
    }
  }
  return result;
}
