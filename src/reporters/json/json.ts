/** The analysis report (DESIGN §6, a contract): `--format json`, keys in a fixed order, every key written. */

import type { Analysis, Finding, FindingSubjects, OrphanedDecision } from '../../engine/analysis.js';
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
  list: <T>(items: readonly T[], toJson: (item: T) => unknown, toText?: (item: T) => string) => unknown,
): Record<string, unknown> {
  const m = a.model;
  const shared = new Map<object, string>();
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
    findings: list(a.findings, findingJson, (f) =>
      plainFinding(f) ? findingText(f, shared) : jsonAt(findingJson(f), ITEM_PAD),
    ),
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
    /** The item's text at its depth in the report, written directly (faster than `toJson`). */
    readonly toText: ((item: T) => string) | undefined,
  ) {}
}

/**
 * `JSON.stringify(value, null, 2)` of a value nested under `pad` (its lines indented by `pad` more):
 * the serializer escapes every newline inside strings, so each raw newline is a line break.
 */
function jsonAt(value: unknown, pad: string): string {
  const text = JSON.stringify(value, null, 2);
  return text.includes('\n') ? text.replaceAll('\n', `\n${pad}`) : text;
}

/**
 * `jsonAt` of a list of ids or sentences, item by item: cheaper than serialising the list and then
 * indenting its lines, for the short lists a finding holds. Anything but strings goes to `jsonAt`.
 */
function stringsAt(list: readonly unknown[], pad: string): string {
  if (list.length === 0) return '[]';
  const itemPad = `${pad}  `;
  let out = '[';
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== 'string') return jsonAt(list, pad);
    out += `${i === 0 ? '\n' : ',\n'}${itemPad}${JSON.stringify(x)}`;
  }
  return `${out}\n${pad}]`;
}

/**
 * The text of a finding as `JSON.stringify([[findingJson(f)]], null, 2)` lays it out inside a list at
 * the report's depth, written field by field. Much of a finding is the same for all findings of its
 * rule (title, STRIDE, weaknesses, compliance: lists the engine shares per rule, see engine/run-rules.ts)
 * and so are the empty lists (one shared array): their text is made once per list object (`shared`),
 * rather than serialised again for each of tens of thousands of findings.
 */
function findingText(f: Finding, shared: Map<object, string>): string {
  // The rule's lists: shared by all findings of the rule (a bounded number of texts kept, in case
  // findings were built some other way, each with lists of its own).
  const ruleList = (value: object): string => {
    let text = shared.get(value);
    if (text === undefined) {
      text = jsonAt(value, FIELD_PAD);
      if (shared.size < SHARED_MAX) shared.set(value, text);
    }
    return text;
  };
  // A finding's own lists: each seen once, so nothing is kept.
  const ownList = (ids: readonly string[]): string => stringsAt(ids, FIELD_PAD);
  const s = f.subjects;
  let out =
    `{\n${FIELD_PAD}"id": ${JSON.stringify(f.id)},` +
    `\n${FIELD_PAD}"ruleId": ${JSON.stringify(f.ruleId)},` +
    `\n${FIELD_PAD}"title": ${JSON.stringify(f.title)},` +
    `\n${FIELD_PAD}"message": ${JSON.stringify(f.message)},` +
    `\n${FIELD_PAD}"severity": ${JSON.stringify(f.severity)},` +
    `\n${FIELD_PAD}"likelihood": ${JSON.stringify(f.likelihood)},` +
    `\n${FIELD_PAD}"impact": ${JSON.stringify(f.impact)},` +
    `\n${FIELD_PAD}"confidence": ${JSON.stringify(f.confidence)},` +
    `\n${FIELD_PAD}"stride": ${ruleList(f.stride)},` +
    `\n${FIELD_PAD}"cwe": ${ruleList(f.cwe)},` +
    `\n${FIELD_PAD}"capec": ${ruleList(f.capec)},` +
    `\n${FIELD_PAD}"attack": ${ruleList(f.attack)},` +
    `\n${FIELD_PAD}"primary": ${ownList(f.primary)},` +
    `\n${FIELD_PAD}"subjects": {` +
    `\n${SUBJECT_PAD}"components": ${subjectText(s.components)},` +
    `\n${SUBJECT_PAD}"flows": ${subjectText(s.flows)},` +
    `\n${SUBJECT_PAD}"data": ${subjectText(s.data)},` +
    `\n${SUBJECT_PAD}"identities": ${subjectText(s.identities)},` +
    `\n${SUBJECT_PAD}"boundaries": ${subjectText(s.boundaries)}` +
    `\n${FIELD_PAD}},` +
    `\n${FIELD_PAD}"evidence": ${ownList(f.evidence)},` +
    `\n${FIELD_PAD}"mitigation": ${JSON.stringify(f.mitigation)},` +
    `\n${FIELD_PAD}"compliance": ${ruleList(f.compliance)},` +
    `\n${FIELD_PAD}"status": ${JSON.stringify(f.status)},` +
    `\n${FIELD_PAD}"questions": ${ownList(f.questions)}`;
  if (f.baselineState !== undefined)
    out += `,\n${FIELD_PAD}"baselineState": ${JSON.stringify(f.baselineState)}`;
  return `${out}\n${ITEM_PAD}}`;
}

/** A subject list, one level deeper than a finding's fields. */
function subjectText(ids: readonly string[]): string {
  return stringsAt(ids, SUBJECT_PAD);
}

/** Indents of a list item in the report, of its fields, and of the fields of an object field. */
const ITEM_PAD = '    ';
const FIELD_PAD = `${ITEM_PAD}  `;
const SUBJECT_PAD = `${FIELD_PAD}  `;
/** At most this many list texts are kept per report (shared lists are a few per rule). */
const SHARED_MAX = 4096;

/**
 * Whether `findingText` writes exactly what the serializer would: every field of the type it expects
 * (the serializer leaves out an undefined field, which `findingText` does not). Else `findingJson` is
 * serialised as is.
 */
function plainFinding(f: Finding): boolean {
  const s = f.subjects as FindingSubjects | undefined;
  return (
    Array.isArray(f.stride) &&
    Array.isArray(f.cwe) &&
    Array.isArray(f.capec) &&
    Array.isArray(f.attack) &&
    Array.isArray(f.primary) &&
    Array.isArray(f.evidence) &&
    Array.isArray(f.questions) &&
    typeof f.compliance === 'object' &&
    f.compliance !== null &&
    typeof s === 'object' &&
    s !== null &&
    Array.isArray(s.components) &&
    Array.isArray(s.flows) &&
    Array.isArray(s.data) &&
    Array.isArray(s.identities) &&
    Array.isArray(s.boundaries) &&
    typeof f.id === 'string' &&
    typeof f.ruleId === 'string' &&
    typeof f.title === 'string' &&
    typeof f.message === 'string' &&
    typeof f.severity === 'string' &&
    typeof f.likelihood === 'string' &&
    typeof f.impact === 'string' &&
    typeof f.confidence === 'string' &&
    typeof f.mitigation === 'string' &&
    typeof f.status === 'string' &&
    (f.baselineState === undefined || typeof f.baselineState === 'string')
  );
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
  const fields = reportFields(a, toolVersion, (items, toJson, toText) => new Streamed(items, toJson, toText));
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
    const { items, toJson, toText } = value;
    if (items.length === 0) {
      emit('[]');
      continue;
    }
    emit('[\n    ');
    if (toText) {
      for (let i = 0; i < items.length; i++) {
        if (i > 0) emit(',\n    ');
        emit(toText(items[i]));
      }
      emit('\n  ]');
      continue;
    }
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
