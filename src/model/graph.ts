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
 * (no set per search): `search(s)` then `reached(v)` until the next search.
 *
 * Searched plainly, each search of a typical architecture walks most of the graph: services call each
 * other in one large cycle, so the few hundred sources a rule asks about (missing-network-segmentation:
 * the exposed components) would cost sources × graph, quadratic in the model. So the largest strongly
 * connected component (the hub) and everything it reaches (its closure) are found once, in linear
 * time, and a search stops at the hub's edge: a source that reaches any hub node reaches the whole
 * closure (the hub is one cycle, and the closure is what it reaches), and a node outside the closure
 * is reached only by a path that never enters the hub, which the search follows. A source inside the
 * hub needs no search at all. Each search then walks only the part of the graph upstream of the hub.
 */
export class SingleSourceReach {
  private readonly g: Digraph;
  private readonly mark: Int32Array;
  private readonly queue: Int32Array;
  /** 1 for the nodes of the hub (only when it has more than one node: a single node is no cycle). */
  private readonly hub: Uint8Array;
  /** 1 for the hub's nodes and every node they reach. */
  private readonly closure: Uint8Array;
  private stamp = 0;
  /** Whether the last search reached the hub. */
  private hubReached = false;

  constructor(g: Digraph) {
    this.g = g;
    this.mark = new Int32Array(g.size);
    // A node is queued at most once per search, plus the source once more when it lies on a cycle.
    this.queue = new Int32Array(g.size + 1);
    this.hub = largestCycle(g);
    this.closure = new Uint8Array(g.size);
    const closure = this.closure;
    let tail = 0;
    for (let v = 0; v < g.size; v++) {
      if (this.hub[v] === 1) {
        closure[v] = 1;
        this.queue[tail++] = v;
      }
    }
    for (let head = 0; head < tail; head++) {
      const v = this.queue[head] as number;
      for (let e = g.offsets[v] as number; e < (g.offsets[v + 1] as number); e++) {
        const w = g.targets[e] as number;
        if (closure[w] === 0) {
          closure[w] = 1;
          this.queue[tail++] = w;
        }
      }
    }
  }

  /** Marks the nodes reached from `source` by a path of one or more edges (the source only on a cycle). */
  search(source: number): void {
    const { offsets, targets } = this.g;
    const mark = this.mark;
    const queue = this.queue;
    const hub = this.hub;
    const stamp = ++this.stamp;
    if (hub[source] === 1) {
      this.hubReached = true;
      return;
    }
    let reachedHub = false;
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
          if (hub[w] === 1) reachedHub = true;
          else queue[tail++] = w;
        }
      }
    }
    this.hubReached = reachedHub;
  }

  /** Whether the last search reached `node`. */
  reached(node: number): boolean {
    return this.mark[node] === this.stamp || (this.hubReached && this.closure[node] === 1);
  }
}

/**
 * The nodes of the largest strongly connected component with more than one node, as 1s in a per-node
 * array; all 0 when the graph has no cycle longer than a self-loop. On a tie, the one Tarjan's algorithm
 * (iterative here) completes first: SingleSourceReach answers the same with any of them.
 */
export function largestCycle(g: Digraph): Uint8Array {
  const n = g.size;
  const { offsets, targets } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const done = new Uint8Array(n);
  const next = new Int32Array(n);
  const stack = new Int32Array(n);
  const calls = new Int32Array(n);
  const scc = new Int32Array(n);
  let sp = 0;
  let depth = 0;
  let counter = 0;
  let best = -1;
  let bestSize = 1;
  let label = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    next[root] = offsets[root] as number;
    stack[sp++] = root;
    calls[depth++] = root;
    while (depth > 0) {
      const v = calls[depth - 1] as number;
      const edge = next[v] as number;
      if (edge < (offsets[v + 1] as number)) {
        next[v] = edge + 1;
        const w = targets[edge] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          next[w] = offsets[w] as number;
          stack[sp++] = w;
          calls[depth++] = w;
        } else if (done[w] === 0 && (index[w] as number) < (low[v] as number)) {
          low[v] = index[w] as number;
        }
        continue;
      }
      depth--;
      if (depth > 0) {
        const u = calls[depth - 1] as number;
        if ((low[v] as number) < (low[u] as number)) low[u] = low[v] as number;
      }
      if (low[v] === index[v]) {
        // v is the root of a component: its members are on the stack above it.
        let size = 0;
        let w: number;
        do {
          w = stack[--sp] as number;
          done[w] = 1;
          scc[w] = label;
          size++;
        } while (w !== v);
        if (size > bestSize) {
          bestSize = size;
          best = label;
        }
        label++;
      }
    }
  }
  const members = new Uint8Array(n);
  if (best !== -1) for (let v = 0; v < n; v++) if (scc[v] === best) members[v] = 1;
  return members;
}
