/**
 * "Why is this finding critical?": the likelihood and impact the rule reported and the facts behind
 * them, the severity matrix cell they fall in, whether the finding is confirmed or assumed (and how an
 * assumption lowered the likelihood), and any risk decision on it.
 */
import type { Finding } from '../../engine/analysis.js';
import { effectiveLikelihood, SEVERITIES, SEVERITY_MATRIX } from '../../engine/severity.js';
import { decisionSentence } from '../../reporters/decision-text.js';
import type { Citer } from '../citations.js';
import { byAnalysisOrder, type Env } from '../env.js';
import { andList, firstSentence, keyTokens, oneLine } from '../text.js';
import type { AskAnswer } from '../types.js';
import { answer, findingLine, type Question, ref, typoNotes } from './common.js';

const CONFIDENCE_WORDS = /\bassumed\b|\bunconfirmed\b/;

/**
 * The findings a question is about: named by id; else those of the named rules on the named elements;
 * narrowed by the topic words of rule ids ("replication"), a severity word ("critical") and "assumed".
 */
export function targetFindings(env: Env, q: Question): Finding[] {
  if (q.findings.length > 0) return [...q.findings].sort(byAnalysisOrder);
  let pool: Finding[];
  let primary: Finding[] = [];
  if (q.elements.length > 0) {
    primary = [
      ...new Set(q.elements.flatMap((e) => env.analysis.findings.filter((f) => f.primary.includes(e.id)))),
    ];
    pool = [...new Set(q.elements.flatMap((e) => env.involving(e.id)))];
  } else if (q.rules.length > 0) {
    pool = env.analysis.findings.filter((f) => q.rules.some((r) => r.id === f.ruleId));
  } else return [];
  let narrowed = false;
  const narrow = (keep: (f: Finding) => boolean) => {
    const next = pool.filter(keep);
    if (next.length > 0 && next.length < pool.length) {
      pool = next;
      narrowed = true;
    }
  };
  if (q.rules.length > 0) narrow((f) => q.rules.some((r) => r.id === f.ruleId));
  const words = new Set(keyTokens(q.text));
  // Topic words: "the replication finding", "why is the monitoring one medium".
  if (q.rules.length === 0) {
    narrow((f) =>
      [...keyTokens(f.ruleId), ...f.primary.flatMap((p) => keyTokens(p))].some(
        (t) =>
          t.length >= 3 &&
          words.has(t) &&
          !GENERIC_RULE_WORDS.has(t) &&
          !q.elements.some((e) => keyTokens(e.id).includes(t)),
      ),
    );
  }
  const sev = SEVERITIES.filter((s) => new RegExp(`\\b${s}\\b`).test(q.text));
  if (sev.length > 0) narrow((f) => sev.includes(f.severity));
  if (CONFIDENCE_WORDS.test(q.text)) narrow((f) => f.confidence === 'assumed');
  if (!narrowed && primary.length > 0) pool = primary;
  return [...new Set(pool)].sort(byAnalysisOrder);
}

/** Rule-id words too common to pick a finding by. */
const GENERIC_RULE_WORDS = new Set([
  'missing',
  'data',
  'sensitive',
  'access',
  'from',
  'internet',
  'exposed',
  'with',
  'without',
  'the',
  'and',
  'for',
  'not',
  'non',
]);

/** The explanation of one finding's severity. */
export function explainSeverity(env: Env, f: Finding, cite: Citer): string[] {
  cite.finding(f);
  const meta = env.rules.get(f.ruleId);
  const eff = effectiveLikelihood(f.likelihood, f.confidence);
  const lines: string[] = [];
  lines.push(
    `Finding ${f.id} [${f.ruleId}] on ${andList(f.primary.map((p) => ref(env, p)))} is ${f.severity} (${f.confidence}${f.status === 'open' ? '' : `, ${f.status}`}).`,
    oneLine(f.message),
  );
  if (f.confidence === 'confirmed') {
    lines.push(
      `Severity: likelihood ${f.likelihood} × impact ${f.impact} = ${f.severity} in the severity matrix. It is confirmed: every fact it rests on is stated in the model, so the likelihood counts in full.`,
    );
  } else {
    const full = SEVERITY_MATRIX[f.likelihood][f.impact];
    const qs = f.questions;
    for (const q of env.analysis.questions) if (qs.includes(q.id)) cite.element(q.subject);
    lines.push(
      `Severity: the rule reported likelihood ${f.likelihood} and impact ${f.impact}. The finding is assumed: the model leaves ${qs.length > 0 ? andList(qs) : 'a fact it needs'} unknown, so the likelihood is lowered one step, to ${eff}, and ${eff} × ${f.impact} = ${f.severity}${full !== f.severity ? ` (confirmed, it would be ${full})` : ''}.${qs.length > 0 ? ` Answering ${qs.length === 1 ? 'that question' : 'those questions'} in the model confirms or clears it.` : ''}`,
    );
  }
  if (meta)
    lines.push(`Why this likelihood and impact (rule ${meta.id}): ${oneLine(meta.severityRationale)}`);
  if (f.evidence.length > 0) {
    lines.push('Evidence from the model:');
    for (const e of f.evidence) lines.push(`- ${oneLine(e)}`);
  }
  const subjects = [
    ...f.subjects.components,
    ...f.subjects.flows,
    ...f.subjects.data,
    ...f.subjects.identities,
  ];
  cite.elementsOf(subjects.slice(0, 12));
  if (f.decision) lines.push(`Risk decision: ${decisionSentence(f.decision, env.analysis.asOf)}`);
  lines.push(`Mitigation: ${firstSentence(f.mitigation)}`);
  return lines;
}

export function answerSeverity(env: Env, q: Question): AskAnswer | undefined {
  const cite = env.citer();
  if (q.scan.unknownFindings.length > 0 && q.findings.length === 0) {
    return answer(
      'unknown',
      [
        `There is no finding ${andList(q.scan.unknownFindings)} in this analysis (${env.analysis.findings.length} findings). Finding ids are the 16-hex-digit fingerprints the reports print; ask "summarize" for the list of the most severe.`,
      ],
      cite,
    );
  }
  const targets = targetFindings(env, q);
  if (targets.length === 0) {
    if (q.elements.length > 0) {
      cite.elementsOf(q.elements.map((e) => e.id));
      return answer(
        'severity',
        [
          ...typoNotes(q),
          `No finding names ${andList(q.elements.map((e) => ref(env, e.id)))}, so there is no severity to explain.`,
        ],
        cite,
      );
    }
    return undefined;
  }
  // "why is the support assistant dangerous?" about an element with many findings: its threats.
  if (targets.length > 3 && q.findings.length === 0 && q.rules.length === 0 && q.elements.length > 0)
    return undefined;
  if (targets.length > 3) {
    const lines = [
      ...typoNotes(q),
      `That fits ${targets.length} findings; which one? Ask again with its id:`,
      ...targets.slice(0, 10).map((f) => {
        cite.finding(f);
        return `- ${findingLine(f)}`;
      }),
    ];
    if (targets.length > 10) lines.push(`- ... and ${targets.length - 10} more.`);
    return answer('clarify', lines, cite);
  }
  const blocks = targets.map((f) => explainSeverity(env, f, cite));
  return answer('severity', [...typoNotes(q), ...blocks.flatMap((b, i) => (i === 0 ? b : ['', ...b]))], cite);
}
