/**
 * De-duplication for rules that gather elements or questions from several places: the first of each
 * keeps its position, so findings stay in a stable order.
 */
import type { Unknown } from '../define-rule.js';

/** The elements with distinct ids, in the order their ids first occur. */
export function uniqueById<T extends { id: string }>(xs: readonly T[]): T[] {
  return [...new Map(xs.map((x) => [x.id, x])).values()];
}

/** The unknowns with distinct (subject, attribute) pairs, in the order they first occur. */
export function uniqueUnknowns(unknowns: readonly Unknown[]): Unknown[] {
  return [...new Map(unknowns.map((u) => [`${u.subject}#${u.attribute}`, u])).values()];
}
