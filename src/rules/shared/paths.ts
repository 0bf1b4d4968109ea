/**
 * Paths of flows as the rules name them: the components a path passes, in order, and the
 * "a → b → c" text of their ids used in messages and evidence.
 */
import type { Component } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';

/** The ids of the components a path passes, from its first `from` to its last `to` (none when empty). */
export function pathIds(path: readonly FlowFacts[]): string[] {
  const first = path[0];
  return first === undefined ? [] : [first.from.id, ...path.map((f) => f.to.id)];
}

/** "internet-user → gw → orders" (empty for an empty path). */
export function pathText(path: readonly FlowFacts[]): string {
  return pathIds(path).join(' → ');
}

/** The components a path passes, in order; `[end]` alone when the path is empty. */
export function pathComponents(path: readonly FlowFacts[], end: Component): Component[] {
  const first = path[0];
  return first === undefined ? [end] : [first.from, ...path.map((f) => f.to)];
}
