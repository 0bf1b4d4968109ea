/** Problems found in the user's input, located where the user has to edit. */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** The file as the user named it. */
  file: string;
  /** 1-based; absent when the problem has no position (a missing file, a directory). */
  line?: number;
  col?: number;
  message: string;
}

/** At most this many errors are printed; then "and N more" (DESIGN §3). */
export const MAX_PRINTED_ERRORS = 100;

/**
 * User text quoted in a message: control and line-break characters escaped and at most `max` characters,
 * so that one diagnostic always prints as one line, whatever the file holds.
 */
export function shown(text: string, max = 60): string {
  const pieces: string[] = [];
  for (const ch of text) {
    if (pieces.length >= max) return `${pieces.slice(0, max - 3).join('')}...`;
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) {
      pieces.push(
        ch === '\n'
          ? '\\n'
          : ch === '\t'
            ? '\\t'
            : ch === '\r'
              ? '\\r'
              : `\\u${c.toString(16).padStart(4, '0')}`,
      );
    } else pieces.push(ch);
  }
  return pieces.join('');
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line !== undefined ? `${d.file}:${d.line}:${d.col ?? 1}` : d.file;
  return d.severity === 'warning' ? `${where}: warning: ${d.message}` : `${where}: ${d.message}`;
}

/** Orders diagnostics by file (in the order given), line, column, then message; stable and deterministic. */
export function sortDiagnostics(diags: readonly Diagnostic[], fileOrder: readonly string[]): Diagnostic[] {
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  return [...diags].sort(
    (a, b) =>
      (rank.get(a.file) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.file) ?? Number.MAX_SAFE_INTEGER) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** Formats diagnostics for a terminal: errors capped at MAX_PRINTED_ERRORS, warnings always shown. */
export function formatDiagnostics(diags: readonly Diagnostic[]): string[] {
  const lines: string[] = [];
  let errors = 0;
  let hidden = 0;
  for (const d of diags) {
    if (d.severity === 'error') {
      errors++;
      if (errors > MAX_PRINTED_ERRORS) {
        hidden++;
        continue;
      }
    }
    lines.push(formatDiagnostic(d));
  }
  if (hidden > 0) lines.push(`and ${hidden} more error${hidden === 1 ? '' : 's'}`);
  return lines;
}

/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance must exceed `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidates within `limit` edits of `word` (default: a third of its length, at least 2), closest
 * first, ties in code-unit order; at most `max`. Case is ignored unless `caseSensitive`.
 */
export function closestCandidates(
  word: string,
  candidates: Iterable<string>,
  options: { max: number; limit?: number; caseSensitive?: boolean },
): string[] {
  const limit = options.limit ?? Math.max(2, Math.floor(word.length / 3));
  const fold = options.caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
  const w = fold(word);
  return [...candidates]
    .map((c) => ({ c, d: editDistance(w, fold(c), limit) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0))
    .slice(0, options.max)
    .map((x) => x.c);
}

const normalise = (s: string) => s.toLowerCase().replace(/[_\s]+/g, '-');

/**
 * The closest candidate to a mistyped word, or undefined when none is close enough. Case, `_` for `-`
 * and small typos are forgiven; ties go to the candidate that sorts first, so hints are deterministic.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const w = normalise(word);
  let best: string | undefined;
  let bestDist = Number.POSITIVE_INFINITY;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const c of candidates) {
    if (c === word) continue;
    const n = normalise(c);
    const d = n === w ? 0 : editDistance(w, n, limit);
    const prefix = !best && n.length >= 4 && (n.startsWith(w) || w.startsWith(n)) && w.length >= 3;
    if ((d <= limit && d < w.length) || prefix) {
      const score = d <= limit ? d : limit + 0.5;
      if (score < bestDist || (score === bestDist && best !== undefined && c < best)) {
        best = c;
        bestDist = score;
      }
    }
  }
  return best;
}

export function hint(word: string, candidates: Iterable<string>): string {
  const s = didYouMean(word, candidates);
  return s === undefined ? '' : `; did you mean '${shown(s)}'?`;
}
