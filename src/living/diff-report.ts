/**
 * The diff as people and tools read it: `threatkrew/diff@1` JSON (DESIGN §7), Markdown to paste as a
 * pull-request comment, and text for a terminal (whose finding part `watch` prints after each change).
 */
import type { Analysis, Finding } from '../engine/analysis.js';
import { SEVERITIES } from '../engine/severity.js';
import type { Model } from '../model/schema.js';
import { findingJson } from '../reporters/json/json.js';
import { mdEscape } from '../reporters/markdown/markdown.js';
import {
  type AnalysisDiff,
  DIFF_SCHEMA,
  type FieldChange,
  type FindingChange,
  type FindingsDiff,
} from './diff.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function side(m: Model) {
  return {
    name: m.name,
    counts: {
      components: m.components.length,
      flows: m.flows.length,
      boundaries: m.boundaries.length,
      data: m.data.length,
      identities: m.identities.length,
    },
  };
}

export function diffJson(d: AnalysisDiff): Record<string, unknown> {
  return {
    schema: DIFF_SCHEMA,
    old: side(d.old.model),
    new: side(d.new.model),
    model: {
      added: d.model.added.map((c) => ({ type: c.type, id: c.id })),
      removed: d.model.removed.map((c) => ({ type: c.type, id: c.id })),
      changed: d.model.changed.map((c) => ({
        type: c.type,
        id: c.id,
        field: c.field,
        old: c.old,
        new: c.new,
      })),
    },
    findings: {
      new: d.findings.new.map(findingJson),
      resolved: d.findings.resolved.map(findingJson),
      changed: d.findings.changed.map((c) => ({ id: c.id, field: c.field, old: c.old, new: c.new })),
      unchanged: d.findings.unchanged,
    },
  };
}

export function renderDiffJson(d: AnalysisDiff): string {
  return `${JSON.stringify(diffJson(d), null, 2)}\n`;
}

/** A value of a changed field, short and on one line. */
function shownValue(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  if (Array.isArray(v)) return `[${v.map(shownValue).join(', ')}]`;
  if (typeof v === 'object') {
    return `{ ${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${shownValue(x)}`)
      .join(', ')} }`;
  }
  return String(v).replace(/\s+/g, ' ');
}

/** "2 new (1 high, 1 low), 1 resolved, 0 changed, 9 unchanged" */
export function findingsHeadline(f: FindingsDiff): string {
  const bySev = SEVERITIES.map((s) => [s, f.new.filter((x) => x.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return `${f.new.length} new${bySev ? ` (${bySev})` : ''}, ${f.resolved.length} resolved, ${f.changed.length} changed, ${f.unchanged.length} unchanged`;
}

function architectureHeadline(d: AnalysisDiff): string {
  const m = d.model;
  const n = m.added.length + m.removed.length + m.changed.length;
  return `${plural(n, 'architecture change')} (${m.added.length} added, ${m.removed.length} removed, ${m.changed.length} changed)`;
}

function findingOf(d: Pick<AnalysisDiff, 'new' | 'old'>, id: string): Finding | undefined {
  return d.new.findings.find((f) => f.id === id) ?? d.old.findings.find((f) => f.id === id);
}

function tags(f: Finding): string {
  return [f.confidence, ...(f.status === 'open' ? [] : [f.status])].join(', ');
}

// ---- text -------------------------------------------------------------------------------------------

function textFinding(mark: string, f: Finding): string[] {
  return [
    `  ${mark} ${f.severity} [${f.ruleId}] ${f.message.replace(/\s+/g, ' ')} (${tags(f)})`,
    `      id ${f.id}; fix: ${f.primary.join(', ')}`,
  ];
}

function textChange(d: Pick<AnalysisDiff, 'new' | 'old'>, c: FindingChange): string {
  const f = findingOf(d, c.id);
  return `  ~ ${f ? `[${f.ruleId}] ` : ''}${c.id} (fix: ${f?.primary.join(', ') ?? '?'}): ${c.field} ${c.old} → ${c.new}`;
}

/** The finding part, for a terminal (also what `watch` prints after each change). */
export function renderFindingsText(d: Pick<AnalysisDiff, 'new' | 'old' | 'findings'>): string[] {
  const f = d.findings;
  const out: string[] = [];
  if (f.new.length > 0) out.push(`NEW (${f.new.length})`, ...f.new.flatMap((x) => textFinding('+', x)));
  if (f.resolved.length > 0)
    out.push(`RESOLVED (${f.resolved.length})`, ...f.resolved.flatMap((x) => textFinding('-', x)));
  if (f.changed.length > 0)
    out.push(`CHANGED (${f.changed.length})`, ...f.changed.map((c) => textChange(d, c)));
  return out;
}

function textField(c: FieldChange): string {
  return `  ~ ${c.type} ${c.id}: ${c.field}: ${shownValue(c.old)} → ${shownValue(c.new)}`;
}

export function renderDiffText(d: AnalysisDiff): string {
  const names =
    d.old.model.name === d.new.model.name ? d.new.model.name : `${d.old.model.name} → ${d.new.model.name}`;
  const out = [`ThreatKrew diff of ${names}`, `Findings: ${findingsHeadline(d.findings)}`];
  const findings = renderFindingsText(d);
  if (findings.length > 0) out.push('', ...findings);
  const m = d.model;
  out.push('', `ARCHITECTURE: ${architectureHeadline(d)}`);
  out.push(
    ...m.added.map((c) => `  + ${c.type} ${c.id}`),
    ...m.removed.map((c) => `  - ${c.type} ${c.id}`),
    ...m.changed.map(textField),
  );
  return `${out.join('\n')}\n`;
}

// ---- Markdown ---------------------------------------------------------------------------------------

const code = (s: string) => (s.includes('`') ? mdEscape(s) : `\`${s}\``);

function mdFinding(f: Finding, strike = false): string {
  const text = `**${f.severity}** ${mdEscape(f.message)}`;
  return `- ${strike ? `~~${text}~~` : text} (${code(f.ruleId)}, id ${code(f.id)}, fix ${f.primary.map(code).join(', ')}; ${tags(f)})`;
}

/** Markdown fit to paste as a pull-request comment. */
export function renderDiffMarkdown(d: AnalysisDiff): string {
  const f = d.findings;
  const title =
    f.new.length + f.resolved.length + f.changed.length === 0
      ? 'no change in findings'
      : [
          f.new.length > 0 ? plural(f.new.length, 'new finding') : '',
          f.resolved.length > 0 ? `${f.resolved.length} resolved` : '',
          f.changed.length > 0 ? `${f.changed.length} changed` : '',
        ]
          .filter(Boolean)
          .join(', ');
  const names =
    d.old.model.name === d.new.model.name
      ? mdEscape(d.new.model.name)
      : `${mdEscape(d.old.model.name)} → ${mdEscape(d.new.model.name)}`;
  const out = [
    `## ThreatKrew: ${title}`,
    '',
    `**${names}**: ${findingsHeadline(f)}; ${architectureHeadline(d)}.`,
    '',
  ];
  if (f.new.length > 0) {
    out.push(`### New findings (${f.new.length})`, '');
    for (const sev of SEVERITIES) {
      const group = f.new.filter((x) => x.severity === sev);
      if (group.length === 0) continue;
      out.push(`**${sev[0]?.toUpperCase()}${sev.slice(1)}**`, '', ...group.map((x) => mdFinding(x)), '');
    }
  }
  if (f.resolved.length > 0) {
    out.push(`### Resolved (${f.resolved.length})`, '', ...f.resolved.map((x) => mdFinding(x, true)), '');
  }
  if (f.changed.length > 0) {
    out.push(
      `### Changed (${f.changed.length})`,
      '',
      '| finding | rule | fix | field | old | new |',
      '|---|---|---|---|---|---|',
    );
    for (const c of f.changed) {
      const x = findingOf(d, c.id);
      out.push(
        `| ${code(c.id)} | ${x ? code(x.ruleId) : ''} | ${x ? x.primary.map(code).join(', ') : ''} | ${c.field} | ${c.old} | ${c.new} |`,
      );
    }
    out.push('');
  }
  const m = d.model;
  out.push('<details>', `<summary>${architectureHeadline(d)}</summary>`, '');
  if (m.added.length + m.removed.length + m.changed.length === 0) out.push('No change to the architecture.');
  else {
    out.push('| change | type | id | field | old | new |', '|---|---|---|---|---|---|');
    for (const c of m.added) out.push(`| added | ${c.type} | ${code(c.id)} | | | |`);
    for (const c of m.removed) out.push(`| removed | ${c.type} | ${code(c.id)} | | | |`);
    for (const c of m.changed) {
      out.push(
        `| changed | ${c.type} | ${code(c.id)} | ${code(c.field)} | ${mdEscape(shownValue(c.old))} | ${mdEscape(shownValue(c.new))} |`,
      );
    }
  }
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
}

export const DIFF_FORMATS = ['text', 'md', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export const DIFF_RENDERERS: Readonly<Record<DiffFormat, (d: AnalysisDiff) => string>> = {
  text: renderDiffText,
  md: renderDiffMarkdown,
  json: renderDiffJson,
};

/** A one-line state of an analysis, for `watch`. */
export function analysisHeadline(a: Analysis): string {
  const counts = SEVERITIES.map((s) => `${a.findings.filter((f) => f.severity === s).length} ${s}`).join(
    ', ',
  );
  const open = a.findings.filter((f) => f.status === 'open').length;
  return `${a.model.name}: ${plural(a.findings.length, 'finding')} (${counts}); ${open} open`;
}
