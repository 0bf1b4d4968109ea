/**
 * Plain-text formatting shared by rule messages and evidence: stated lists and lists cut to a few names.
 * No markup (STYLE 4): reporters add emphasis.
 */

/** "[a, b]" for a stated list (also an empty one), "not stated" for an absent one. */
export function listText(xs: readonly string[] | undefined): string {
  return xs === undefined ? 'not stated' : `[${xs.join(', ')}]`;
}

/** "a, b, c" with at most `max` names, then "and N more". */
export function truncatedList(names: readonly string[], max: number): string {
  return names.length <= max
    ? names.join(', ')
    : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
