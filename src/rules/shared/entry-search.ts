/**
 * Searches from the entry points for rules that need the route to a few components only (those that
 * assume something of their network or of their callers), not the whole reachable graph.
 */
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
  const via = new Map<string, FlowFacts | null>();
  let left = targets === undefined ? Number.POSITIVE_INFINITY : targets.size;
  let frontier: Component[] = [];
  // Indexed loops: this runs once per analysis, mostly before V8 optimises it, where a for-of loop
  // allocates an iterator result per element.
  const entries = view.entryPoints;
  for (let i = 0; i < entries.length; i++) {
    const c = entries[i] as Component;
    if (within !== undefined && !within.has(c.id)) continue;
    via.set(c.id, null);
    frontier.push(c);
    if (targets?.has(c.id)) left--;
  }
  // Level by level, in the order View.reachableVia visits: the first flow to reach a component wins.
  while (left > 0 && frontier.length > 0) {
    const next: Component[] = [];
    for (let i = 0; i < frontier.length; i++) {
      const c = frontier[i] as Component;
      if (!passes(c)) continue;
      const out = view.flowsFrom(c.id);
      for (let j = 0; j < out.length; j++) {
        const f = out[j] as FlowFacts;
        const to = f.to.id;
        if (via.has(to) || (within !== undefined && !within.has(to))) continue;
        via.set(to, f);
        next.push(f.to);
        if (targets?.has(to) && --left === 0) return via;
      }
    }
    frontier = next;
  }
  return via;
}
