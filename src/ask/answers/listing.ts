/**
 * "List the critical findings", "which findings are assumed?", "what did we accept?", "how many high
 * findings are there?": the findings filtered by severity, confidence, status (risk decisions) and STRIDE
 * category, optionally on named elements, with the decision behind each one that has one.
 */
import type { Finding, FindingStatus } from '../../engine/analysis.js';
import { SEVERITIES, type Severity } from '../../engine/severity.js';
import { decisionSentence } from '../../reporters/decision-text.js';
import { STRIDE, type Stride } from '../../rules/define-rule.js';
import { byAnalysisOrder, type Env, severityCounts } from '../env.js';
import { andList, plural } from '../text.js';
import type { AskAnswer } from '../types.js';
import { answer, findingLine, type Question } from './common.js';

interface Filters {
  severities: Severity[];
  confidence: 'assumed' | 'confirmed' | undefined;
  statuses: FindingStatus[];
  stride: Stride[];
}

const DECISION_WORDS =
  /\b(?:accept(?:ed|ance|ances)?|risk decisions?|decided|mitigated|false[- ]positives?|owner|owns|expir(?:es|y|ed|ing))\b/;

function filtersOf(text: string): Filters {
  const statuses: FindingStatus[] = [];
  if (/\baccept(?:ed|ance|ances)?\b|\bowner\b|\bowns\b|\bexpir/.test(text)) statuses.push('accepted');
  if (/\bmitigated\b/.test(text)) statuses.push('mitigated');
  if (/\bfalse[- ]positives?\b/.test(text)) statuses.push('false-positive');
  if (/\brisk decisions?\b|\bdecided\b/.test(text)) statuses.push('accepted', 'mitigated', 'false-positive');
  if (/\bopen\b/.test(text) && statuses.length === 0) statuses.push('open');
  return {
    severities: SEVERITIES.filter((s) => new RegExp(`\\b${s}\\b`).test(text)),
    confidence: /\bassumed\b|\bunconfirmed\b/.test(text)
      ? 'assumed'
      : /\bconfirmed\b/.test(text)
        ? 'confirmed'
        : undefined,
    statuses: [...new Set(statuses)],
    stride: STRIDE.filter((s) => new RegExp(`\\b${s.replace(/-/g, '[- ]')}\\b`).test(text)),
  };
}

/** Whether a question asks for a filtered list of findings (or about risk decisions). */
export function asksForListing(text: string): boolean {
  // "why is it high when it's accepted?" asks for a reason: the severity answer gives it, decision included.
  if (/\bwhy\b/.test(text)) return false;
  const f = filtersOf(text);
  const filtered =
    f.severities.length + f.statuses.length + f.stride.length > 0 || f.confidence !== undefined;
  if (DECISION_WORDS.test(text)) return true;
  return (
    filtered &&
    /\b(?:list|show|which|what|how many|count|all|any|give me|are there)\b/.test(text) &&
    /\bfindings?\b|\bissues?\b|\brisks?\b|\bproblems?\b|\bones\b/.test(text)
  );
}

export function answerListing(env: Env, q: Question): AskAnswer | undefined {
  if (!asksForListing(q.text)) return undefined;
  const f = filtersOf(q.text);
  const cite = env.citer();
  const ids = new Set(q.elements.map((e) => e.id));
  cite.elementsOf(ids);
  const inScope = (x: Finding) =>
    ids.size === 0 ||
    x.primary.some((p) => ids.has(p)) ||
    [...x.subjects.components, ...x.subjects.flows, ...x.subjects.data, ...x.subjects.identities].some((y) =>
      ids.has(y),
    );
  const hits = env.analysis.findings
    .filter(
      (x) =>
        inScope(x) &&
        (f.severities.length === 0 || f.severities.includes(x.severity)) &&
        (f.confidence === undefined || x.confidence === f.confidence) &&
        (f.statuses.length === 0 ||
          f.statuses.includes(x.status) ||
          (f.statuses.includes('accepted') &&
            x.decision?.expired === true &&
            x.decision.status === 'accepted')) &&
        (f.stride.length === 0 || f.stride.some((s) => x.stride.includes(s))),
    )
    .sort(byAnalysisOrder);
  const what = [
    ...(f.statuses.length > 0 ? [andList(f.statuses, 'or')] : []),
    ...(f.severities.length > 0 ? [andList(f.severities, 'or')] : []),
    ...(f.confidence ? [f.confidence] : []),
  ].join(' ');
  const label = `${what ? `${what} ` : ''}finding`;
  const where = [
    ...(f.stride.length > 0 ? [`carrying ${andList(f.stride, 'or')}`] : []),
    ...(ids.size > 0 ? [`concerning ${andList([...ids])}`] : []),
  ].join(' ');
  if (hits.length === 0) {
    return answer(
      'overview',
      [
        `No ${label}${where ? ` ${where}` : ''} in this analysis (${plural(env.analysis.findings.length, 'finding')} in all).`,
      ],
      cite,
    );
  }
  const lines = [`${plural(hits.length, label)}${where ? ` ${where}` : ''} (${severityCounts(hits)}):`];
  const max = 12;
  for (const x of hits.slice(0, max)) {
    cite.finding(x);
    lines.push(`- ${findingLine(x)}`);
    if (x.decision) lines.push(`  Decision: ${decisionSentence(x.decision, env.analysis.asOf)}`);
  }
  if (hits.length > max)
    lines.push(
      `- ... and ${hits.length - max} more; narrow the question (a severity, a component) to see them.`,
    );
  return answer('overview', lines, cite);
}
