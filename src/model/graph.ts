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
  /** The flow of each edge, as its position in `view.flows`: edge j (`targets[j]`) is `view.flows[flowAt[j]]`. */
  readonly flowAt: Int32Array;
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
  const flowAt = new Int32Array(flows.length);
  for (let e = 0; e < flows.length; e++) {
    const a = from[e] as number;
    targets[fill[a] as number] = to[e] as number;
    flowAt[fill[a] as number] = e;
    fill[a] = (fill[a] as number) + 1;
  }
  return { size, offsets, targets, components, node, flowAt };
}

/**
 * Searches from one source at a time over a graph, reusing the same marks and queue for every search
 * (no set per search): `search(s)` then `reached(v)` until the next search. For the few hundred sources
 * a rule asks about (missing-network-segmentation: the exposed components), each reaching a small part
 * of the graph, this is far cheaper than propagating the reach of every source over the whole graph.
 */
export class SingleSourceReach {
  private readonly g: Digraph;
  private readonly mark: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;

  constructor(g: Digraph) {
    this.g = g;
    this.mark = new Int32Array(g.size);
    // A node is queued at most once per search, plus the source once more when it lies on a cycle.
    this.queue = new Int32Array(g.size + 1);
  }

  /** Marks the nodes reached from `source` by a path of one or more edges (the source only on a cycle). */
  search(source: number): void {
    const { offsets, targets } = this.g;
    const mark = this.mark;
    const queue = this.queue;
    const stamp = ++this.stamp;
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    while (head < tail) {
      const v = queue[head++] as number;
      const end = offsets[v + 1] as number;
      for (let e = offsets[v] as number; e < end; e++) {
        const w = targets[e] as number;
        if (mark[w] !== stamp) {
          mark[w] = stamp;
          queue[tail++] = w;
        }
      }
    }
  }

  /** Whether the last search reached `node`. */
  reached(node: number): boolean {
    return this.mark[node] === this.stamp;
  }
}
