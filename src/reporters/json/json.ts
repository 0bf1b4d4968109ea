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

export function analysisJson(a: Analysis, toolVersion: string): Record<string, unknown> {
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
    findings: a.findings.map(findingJson),
    attackPaths: a.attackPaths.map((p) => ({
      from: p.from,
      to: p.to,
      hops: p.hops,
      weakestLink: p.weakestLink,
      findings: p.findings,
    })),
    questions: a.questions.map((q) => ({
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
  if (a.orphanedDecisions !== undefined) out.orphanedDecisions = a.orphanedDecisions.map(orphanJson);
  return out;
}

export function renderJson(a: Analysis, toolVersion: string): string {
  return `${JSON.stringify(analysisJson(a, toolVersion), null, 2)}\n`;
}
