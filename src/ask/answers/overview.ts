/**
 * "Summarize" / "how bad is it?": the model's size, the findings by severity and confidence, the risk
 * decisions, the most severe open findings, the attack paths and the open questions, in a few lines.
 */
import { SEVERITIES } from '../../engine/severity.js';
import { byAnalysisOrder, type Env } from '../env.js';
import { andList, cmp, plural } from '../text.js';
import type { AskAnswer } from '../types.js';
import { answer, findingList, type Question } from './common.js';

export function answerOverview(env: Env, q: Question): AskAnswer {
  const cite = env.citer();
  const a = env.analysis;
  const m = a.model;
  const open = a.findings.filter((f) => f.status === 'open');
  const assumed = a.findings.filter((f) => f.confidence === 'assumed').length;
  const lines = [
    `${m.name}: ${plural(m.components.length, 'component')}, ${plural(m.flows.length, 'flow')}, ${plural(m.boundaries.length, 'boundary', 'boundaries')}, ${plural(m.data.length, 'data asset')}, ${plural(m.identities.length, 'identity', 'identities')}.`,
  ];
  if (a.findings.length === 0) {
    lines.push(
      `No findings: none of the ${env.rules.size} rules found a flaw in what the model states, and no fact they need is left unknown${a.questions.length > 0 ? '' : ' (no open questions)'}.`,
    );
    if (a.questions.length > 0)
      lines.push(`${plural(a.questions.length, 'open question')} remain; ask "open questions".`);
    return answer('overview', lines, cite);
  }
  const decided = a.findings.length - open.length;
  lines.push(
    `${plural(a.findings.length, 'finding')}: ${SEVERITIES.map((s) => `${a.findings.filter((f) => f.severity === s).length} ${s}`).join(', ')} (${a.findings.length - assumed} confirmed from stated facts, ${assumed} assumed where the model leaves a fact unknown); ${open.length} open${decided > 0 ? `, ${decided} with a risk decision` : ''}.`,
  );
  const worst = SEVERITIES.find((s) => open.some((f) => f.severity === s));
  const verdict =
    worst === 'critical' || worst === 'high'
      ? `The worst open finding is ${worst}: ${plural(open.filter((f) => f.severity === worst).length, `${worst} finding`)} need${open.filter((f) => f.severity === worst).length === 1 ? 's' : ''} attention before anything else.`
      : worst
        ? `No open finding is high or critical; the worst is ${worst}.`
        : 'Every finding has a risk decision; none is open.';
  if (
    /\bhow bad\b|\bhow (?:are we|secure|safe|risky)\b|\bposture\b|\bok\b|\bokay\b|\bfine\b|\bsafe\b|\bready\b/.test(
      q.text,
    )
  )
    lines.push(verdict);
  const top = [...open]
    .sort(byAnalysisOrder)
    .filter((f) => f.severity === 'critical' || f.severity === 'high');
  const show = top.length > 0 ? top : [...open].sort(byAnalysisOrder);
  if (show.length > 0) {
    lines.push(top.length > 0 ? 'Most severe open findings:' : 'Open findings:');
    lines.push(...findingList(show, cite, 5));
  }
  // Where findings concentrate: the elements that are primary of the most open findings.
  const count = new Map<string, number>();
  for (const f of open) for (const p of f.primary) count.set(p, (count.get(p) ?? 0) + 1);
  const hot = [...count.entries()]
    .filter(([, n]) => n >= 2)
    .sort((x, y) => y[1] - x[1] || cmp(x[0], y[0]))
    .slice(0, 3);
  if (hot.length > 0) {
    cite.elementsOf(hot.map(([id]) => id));
    lines.push(`Most findings to fix: ${andList(hot.map(([id, n]) => `${id} (${n})`))}.`);
  }
  if (a.attackPaths.length > 0) {
    const targets = [...new Set(a.attackPaths.map((p) => p.to))].sort(cmp);
    cite.elementsOf(targets.slice(0, 6));
    lines.push(
      `${plural(a.attackPaths.length, 'attack path')} lead from the internet to ${plural(targets.length, 'crown-jewel store')} (${andList(targets.slice(0, 6))}${targets.length > 6 ? ', ...' : ''}).`,
    );
  }
  if (a.questions.length > 0)
    lines.push(
      `${plural(a.questions.length, 'open question')}: the model leaves facts unknown that ${assumed} assumed findings depend on.`,
    );
  const next =
    open.length > 0 ? 'Next: ask "what should we fix first?" for the fixes that remove the most risk.' : '';
  if (next) lines.push(next);
  return answer('overview', lines, cite);
}
