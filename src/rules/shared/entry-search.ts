/**
 * Searches from the entry points for rules that need the route to a few components only (those that
 * assume something of their network or of their callers), not the whole reachable graph.
 */
import { componentGraph } from '../../model/graph.js';
import type { Component } from '../../model/schema.js';
import type { FlowFacts, View } from '../../model/view.js';

/** What a search from the entry points is limited to. */
export interface EntrySearchLimits {
  /**
   * Stop as soon as every one of these is reached: later entries cannot change how those were reached.
   * A component not reached by then may be missing from the map even though the full search would reach
   * it, so ask the result only about `targets` (and the paths to them).
   */
  targets?: ReadonlySet<string>;
  /** Reach only these components (entry points outside it are not started from). */
  within?: ReadonlySet<string>;
}

/**
 * The search of `view.reachableVia(key, (f) => passes(f.from))`, for a predicate on the flow's `from`
 * end only: each component reached from an entry point, with the flow it was first reached by (null for
 * entry points). It gives the same map entries (and so the same `view.pathTo` paths) for every
 * component it reaches, but asks `passes` once per component rather than once per flow (a component
 * that fails passes no traffic on, so its flows are not looked at), and keeps to `limits`.
 */
export function searchFromEntries(
  view: View,
  passes: (c: Component) => boolean,
  limits: EntrySearchLimits = {},
): ReadonlyMap<string, FlowFacts | null> {
  const { targets, within } = limits;
  // Over the shared component graph by position: whether a component was reached, and whether it is a
  // target or inside `within`, are array reads rather than string-keyed lookups per flow (at 10,000
  // components those lookups, scattered over memory, were most of the search).
  const g = componentGraph(view);
  const { offsets, targets: heads, flowAt, components } = g;
  const size = components.length;
  const reached = new Uint8Array(size);
  // 1 for a target, and 2 for a component outside `within` (0 for all when no limit is given).
  const marks = new Uint8Array(size);
  if (within !== undefined) {
    marks.fill(2);
    for (const id of within) {
      const c = view.component(id);
      if (c !== undefined) marks[g.node.get(c) as number] = 0;
    }
  }
  let left = Number.POSITIVE_INFINITY;
  if (targets !== undefined) {
    left = targets.size;
    for (const id of targets) {
      const c = view.component(id);
      if (c === undefined) continue;
      const v = g.node.get(c) as number;
      marks[v] = (marks[v] as number) | 1;
    }
  }
  // The flow each component was first reached by, as its position in view.flows (-1: an entry point),
  // and the components in the order reached: read through SearchResult, a Map only in interface, so
  // that no string-keyed map is built for the thousands of components nobody asks about.
  const via = new Int32Array(size);
  const order = new Int32Array(size);
  let count = 0;
  const result = () => new SearchResult(view, g.node, reached, via, order.subarray(0, count));
  let frontier: number[] = [];
  // Indexed loops: this runs once per analysis, mostly before V8 optimises it, where a for-of loop
  // allocates an iterator result per element.
  const entries = view.entryPoints;
  for (let i = 0; i < entries.length; i++) {
    const c = entries[i] as Component;
    const v = g.node.get(c) as number;
    if ((marks[v] as number) & 2) continue;
    reached[v] = 1;
    via[v] = -1;
    order[count++] = v;
    frontier.push(v);
    if ((marks[v] as number) & 1) left--;
  }
  // Level by level, in the order View.reachableVia visits: the first flow to reach a component wins.
  while (left > 0 && frontier.length > 0) {
    const next: number[] = [];
    for (let i = 0; i < frontier.length; i++) {
      const v = frontier[i] as number;
      if (!passes(components[v] as Component)) continue;
      for (let e = offsets[v] as number, end = offsets[v + 1] as number; e < end; e++) {
        const w = heads[e] as number;
        if (reached[w] === 1 || (marks[w] as number) & 2) continue;
        reached[w] = 1;
        via[w] = flowAt[e] as number;
        order[count++] = w;
        next.push(w);
        if ((marks[w] as number) & 1 && --left === 0) return result();
      }
    }
    frontier = next;
  }
  return result();
}

/**
 * The result of a search as a read-only Map from component id to the flow that first reached it (null
 * for an entry point), iterated in the order reached, over the search's arrays.
 */
class SearchResult implements ReadonlyMap<string, FlowFacts | null> {
  constructor(
    private readonly view: View,
    private readonly node: ReadonlyMap<Component, number>,
    /** 1 for each component reached, by position. */
    private readonly reached: Uint8Array,
    private readonly via: Int32Array,
    private readonly order: Int32Array,
  ) {}

  /** The component's position when the search reached it, else -1. */
  private position(id: string): number {
    const c = this.view.component(id);
    if (c === undefined) return -1;
    const v = this.node.get(c) as number;
    return this.reached[v] === 1 ? v : -1;
  }

  private flow(v: number): FlowFacts | null {
    const f = this.via[v] as number;
    return f === -1 ? null : (this.view.flows[f] as FlowFacts);
  }

  get size(): number {
    return this.order.length;
  }
  has(id: string): boolean {
    return this.position(id) !== -1;
  }
  get(id: string): FlowFacts | null | undefined {
    const v = this.position(id);
    return v === -1 ? undefined : this.flow(v);
  }
  *entries(): MapIterator<[string, FlowFacts | null]> {
    for (const v of this.order) yield [(this.view.components[v] as Component).id, this.flow(v)];
  }
  *keys(): MapIterator<string> {
    for (const v of this.order) yield (this.view.components[v] as Component).id;
  }
  *values(): MapIterator<FlowFacts | null> {
    for (const v of this.order) yield this.flow(v);
  }
  [Symbol.iterator](): MapIterator<[string, FlowFacts | null]> {
    return this.entries();
  }
  forEach(
    fn: (value: FlowFacts | null, key: string, map: ReadonlyMap<string, FlowFacts | null>) => void,
  ): void {
    for (const [k, value] of this.entries()) fn(value, k, this);
  }
}
