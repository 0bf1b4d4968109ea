/** One sentence on the risk decision applied to a finding (DESIGN §7), shared by the reports for people. */
import type { AppliedDecision } from '../engine/analysis.js';

const sentence = (s: string) => {
  const t = s.trim().replace(/\s+/g, ' ');
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

const STATUS: Record<AppliedDecision['status'], string> = {
  accepted: 'Accepted',
  mitigated: 'Mitigated',
  'false-positive': 'False positive',
};

/** "Accepted by jane until 2027-06-30. Reason: ..." (plain text; reporters escape it). */
export function decisionSentence(d: AppliedDecision, asOf?: string): string {
  const by = d.owner !== undefined ? ` by ${d.owner}` : '';
  const until = d.expires !== undefined ? ` until ${d.expires}` : '';
  const head = d.expired
    ? `${STATUS[d.status]}${by}${until}, which has expired${asOf ? ` (as of ${asOf})` : ''}: the finding is open again.`
    : `${STATUS[d.status]}${by}${until}.`;
  const how = d.how !== undefined ? ` How: ${sentence(d.how)}` : '';
  return `${head}${how} Reason: ${sentence(d.reason)}`;
}

/** Where the decision is written, `file:line:col`, or ''. */
export function decisionPlace(d: AppliedDecision): string {
  return d.location ? `${d.location.file}:${d.location.line}:${d.location.col}` : '';
}
