/** The analysis report (DESIGN §6, a contract): `--format json`, keys in a fixed order, every key written. */

import type { Analysis, Finding, OrphanedDecision } from '../../engine/analysis.js';
import { SEVERITIES, type Severity } from '../../engine/severity.js';
import { STRIDE, type Stride } from '../../rules/define-rule.js';

export const ANALYSIS_SCHEMA = 'threatkrew/analysis@1';

export function findingJson(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: f.id,
    ruleId: f.ruleId,
    title: f.title,
    message: f.message,
    severity: f.severity,
    likelihood: f.likelihood,
    impact: f.impact,
    confidence: f.confidence,
    stride: f.stride,
    cwe: f.cwe,
    capec: f.capec,
    attack: f.attack,
    primary: f.primary,
    subjects: {
      components: f.subjects.components,
      flows: f.subjects.flows,
      data: f.subjects.data,
      identities: f.subjects.identities,
      boundaries: f.subjects.boundaries,
    },
    evidence: f.evidence,
    mitigation: f.mitigation,
    compliance: f.compliance,
    status: f.status,
    questions: f.questions,
  };
  if (f.baselineState !== undefined) out.baselineState = f.baselineState;
  return out;
}

/** A risk decision that matches no finding: its written fields, then where it is written. */
export function orphanJson(o: OrphanedDecision): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [
    'id',
    'finding',
    'rule',
    'primary',
    'status',
    'reason',
    'owner',
    'expires',
    'how',
  ] as const) {
    if (o.decision[key] !== undefined) out[key] = o.decision[key];
  }
  out.location = o.location ? { file: o.location.file, line: o.location.line, col: o.location.col } : null;
  return out;
}

export function summary(findings: readonly Finding[]) {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byStride = Object.fromEntries(STRIDE.map((s) => [s, 0])) as Record<Stride, number>;
  for (const f of findings) {
    bySeverity[f.severity]++;
    for (const s of f.stride) byStride[s]++;
  }
  return { bySeverity, byStride };
}

/**
 * The report's top-level keys in contract order. `list` turns each of the long lists (findings, attack
 * paths, questions) into its JSON form: eagerly for `analysisJson`, lazily (a `Streamed` list) for
 * `writeJson`, so both share one definition of the shape.
 */
function reportFields(
  a: Analysis,
  toolVersion: string,
  list: <T>(items: readonly T[], toJson: (item: T) => unknown) => unknown,
): Record<string, unknown> {
  const m = a.model;
  const out: Record<string, unknown> = {
    schema: ANALYSIS_SCHEMA,
    tool: { name: 'threatkrew', version: toolVersion },
    model: {
      name: m.name,
      counts: {
        components: m.components.length,
        flows: m.flows.length,
        boundaries: m.boundaries.length,
        data: m.data.length,
        identities: m.identities.length,
      },
    },
    findings: list(a.findings, findingJson),
    attackPaths: list(a.attackPaths, (p) => ({
      from: p.from,
      to: p.to,
      hops: p.hops,
      weakestLink: p.weakestLink,
      findings: p.findings,
    })),
    questions: list(a.questions, (q) => ({
      id: q.id,
      subject: q.subject,
      attribute: q.attribute,
      text: q.text,
    })),
    bounds: { maxHops: a.bounds.maxHops, maxPathsPerTarget: a.bounds.maxPathsPerTarget, hit: a.bounds.hit },
  };
  if (a.asOf !== undefined) out.asOf = a.asOf;
  if (a.generatedAt !== undefined) out.generatedAt = a.generatedAt;
  out.summary = summary(a.findings);
  if (a.orphanedDecisions !== undefined) out.orphanedDecisions = list(a.orphanedDecisions, orphanJson);
  return out;
}

export function analysisJson(a: Analysis, toolVersion: string): Record<string, unknown> {
  return reportFields(a, toolVersion, (items, toJson) => items.map(toJson));
}

/** The whole report as one string: `JSON.stringify` of `analysisJson`, two-space indented. */
export function renderJson(a: Analysis, toolVersion: string): string {
  return `${JSON.stringify(analysisJson(a, toolVersion), null, 2)}\n`;
}

/** A list whose items are converted to JSON only as `writeJson` reaches them. */
class Streamed<T> {
  constructor(
    readonly items: readonly T[],
    readonly toJson: (item: T) => unknown,
  ) {}
}

/** Items per `JSON.stringify` call: large enough to keep the native serializer busy, small enough to stream. */
const BATCH = 256;
/** Pieces smaller than this are gathered before they are handed on. */
const CHUNK_CHARS = 1 << 16;

/**
 * Writes exactly the text of `renderJson`, in pieces handed to `write` in order, without ever holding the
 * whole report (at 100,000 components it is about a gigabyte, beyond V8's longest string) nor the JSON
 * form of every finding at once.
 *
 * Only the top-level object and its long lists are laid out here; every item is serialised by the native
 * `JSON.stringify`, batch by batch. A batch is stringified inside two wrapping arrays, `[[a, b, ...]]`,
 * so that the serializer itself indents its items at the depth they have in the report; the wrapper's
 * brackets are then sliced off. Every byte therefore comes from `JSON.stringify` with the same indent.
 */
export function writeJson(a: Analysis, toolVersion: string, write: (chunk: string) => void): void {
  let pending = '';
  const emit = (s: string) => {
    pending += s;
    if (pending.length >= CHUNK_CHARS) {
      write(pending);
      pending = '';
    }
  };
  const fields = reportFields(a, toolVersion, (items, toJson) => new Streamed(items, toJson));
  emit('{');
  let first = true;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue; // as JSON.stringify leaves such a key out
    emit(`${first ? '' : ','}\n  ${JSON.stringify(key)}: `);
    first = false;
    if (!(value instanceof Streamed)) {
      // `[value]` at depth 1 puts the value's own lines at the depth of a top-level key's value.
      emit(JSON.stringify([value], null, 2).slice('[\n  '.length, -'\n]'.length));
      continue;
    }
    const { items, toJson } = value;
    if (items.length === 0) {
      emit('[]');
      continue;
    }
    emit('[\n    ');
    for (let i = 0; i < items.length; i += BATCH) {
      const batch: unknown[] = [];
      for (let j = i; j < Math.min(i + BATCH, items.length); j++) batch.push(toJson(items[j]));
      if (i > 0) emit(',\n    ');
      // "[\n  [\n    " item ",\n    " item ... "\n  ]\n]": the items as the report indents them.
      emit(JSON.stringify([batch], null, 2).slice('[\n  [\n    '.length, -'\n  ]\n]'.length));
    }
    emit('\n  ]');
  }
  emit('\n}\n');
  write(pending);
}
