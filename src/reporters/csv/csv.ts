/**
 * The CSV report (`--format csv`, DESIGN §8, a contract): a header row, then one row per finding in the
 * Analysis order, with fixed columns. Lists in a cell are joined with `; `.
 *
 * RFC 4180: records end with CRLF (the last one too), and a field that holds a comma, a double quote,
 * CR or LF is enclosed in double quotes, with each double quote doubled.
 *
 * Formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-` or `@` (and, as
 * OWASP also advises, a tab or CR) gets a leading `'`, so a spreadsheet shows it as text instead of
 * running it. The guard is applied to the cell's text before quoting.
 */
import type { Analysis, Finding } from '../../engine/analysis.js';

export const CSV_COLUMNS = [
  'id',
  'severity',
  'confidence',
  'rule',
  'title',
  'primary',
  'subjects',
  'stride',
  'cwe',
  'mitigation',
  'status',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** RFC 4180's record separator. */
export const CRLF = '\r\n';

const LIST_SEPARATOR = '; ';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes `'` to a cell a spreadsheet would run as a formula. */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One field: formula guard first, then RFC 4180 quoting. */
export function csvField(value: string): string {
  const cell = guardFormula(value);
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function csvRecord(values: readonly string[]): string {
  return values.map(csvField).join(',') + CRLF;
}

function subjectIds(f: Finding): string[] {
  const s = f.subjects;
  return [...s.components, ...s.flows, ...s.data, ...s.identities, ...s.boundaries];
}

/** A finding's cells, in the order of CSV_COLUMNS (before guarding and quoting). */
export function findingCells(f: Finding): Record<CsvColumn, string> {
  return {
    id: f.id,
    severity: f.severity,
    confidence: f.confidence,
    rule: f.ruleId,
    title: f.title,
    primary: f.primary.join(LIST_SEPARATOR),
    subjects: subjectIds(f).join(LIST_SEPARATOR),
    stride: f.stride.join(LIST_SEPARATOR),
    cwe: f.cwe.join(LIST_SEPARATOR),
    mitigation: f.mitigation,
    status: f.status,
  };
}

export function renderCsv(analysis: Analysis): string {
  let out = csvRecord(CSV_COLUMNS);
  for (const f of analysis.findings) {
    const cells = findingCells(f);
    out += csvRecord(CSV_COLUMNS.map((c) => cells[c]));
  }
  return out;
}
