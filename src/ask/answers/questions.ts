/**
 * The open questions: the facts the model leaves unknown that rules need, ranked by the weight of the
 * assumed findings that hinge on each; and what answering one would change, found by re-analysing the
 * model with each possible answer (the what-if machinery).
 */
import type { AnalysisQuestion, Finding } from '../../engine/analysis.js';
import { CONTROLS } from '../../model/vocabulary.js';
import type { Citer } from '../citations.js';
import { byAnalysisOrder, type Env, SEVERITY_WEIGHT } from '../env.js';
import { andList, cmp, plural } from '../text.js';
import type { AskAnswer } from '../types.js';
import { type Edit, FIELDS, whatIf } from '../what-if/change.js';
import { answer, type Question, typoNotes } from './common.js';

/** The findings whose confidence depends on a question. */
export function hinging(env: Env, q: AnalysisQuestion): Finding[] {
  return env.analysis.findings.filter((f) => f.questions.includes(q.id)).sort(byAnalysisOrder);
}

function weight(findings: readonly Finding[]): number {
  return findings.reduce((s, f) => s + SEVERITY_WEIGHT[f.severity], 0);
}

/** The possible answers tried for an attribute, as values with a label. */
function answersFor(env: Env, q: AnalysisQuestion): { label: string; value: unknown }[] | undefined {
  const kind = env.view.kindOf(q.subject);
  if (!kind) return undefined;
  const spec = FIELDS[kind][q.attribute];
  if (!spec) return undefined;
  switch (spec.type) {
    case 'tri-state':
      return [
        { label: 'true', value: true },
        { label: 'false', value: false },
      ];
    case 'integer':
      return [
        { label: '1', value: 1 },
        { label: '2', value: 2 },
      ];
    case 'enum':
      if (q.attribute === 'authn')
        return [
          { label: 'none', value: 'none' },
          { label: 'password (weak)', value: 'password' },
          { label: 'mtls (strong)', value: 'mtls' },
        ];
      return spec.values.slice(0, 4).map((v) => ({ label: v, value: v }));
    case 'enum-list':
      if (q.attribute === 'controls' || q.attribute === 'enforces')
        return [
          { label: '[] (none)', value: [] },
          { label: 'every control (the best case)', value: [...CONTROLS] },
        ];
      if (q.attribute === 'secrets-in')
        return [
          { label: '[env]', value: ['env'] },
          { label: '[secret-store]', value: ['secret-store'] },
        ];
      if (q.attribute === 'actions')
        return [
          { label: '[read]', value: ['read'] },
          { label: '[read, write, delete]', value: ['read', 'write', 'delete'] },
        ];
      return undefined;
    default:
      return undefined;
  }
}

function questionLine(env: Env, q: AnalysisQuestion, cite: Citer): string {
  const hits = hinging(env, q);
  cite.element(q.subject);
  for (const f of hits) cite.finding(f);
  const on =
    hits.length > 0
      ? ` Decides ${plural(hits.length, 'assumed finding')}: ${hits
          .slice(0, 4)
          .map((f) => `${f.id} [${f.ruleId}, ${f.severity}]`)
          .join(', ')}${hits.length > 4 ? ', ...' : ''}.`
      : '';
  return `- ${q.id}: ${q.text}${on}`;
}

function ranked(env: Env, list: readonly AnalysisQuestion[]): AnalysisQuestion[] {
  return [...list].sort((a, b) => weight(hinging(env, b)) - weight(hinging(env, a)) || cmp(a.id, b.id));
}

export function answerQuestions(env: Env, q: Question): AskAnswer {
  const cite = env.citer();
  const all = env.analysis.questions;
  const ids = new Set(q.elements.map((e) => e.id));
  const scoped = ids.size > 0 ? all.filter((x) => ids.has(x.subject) || flowOf(env, x.subject, ids)) : all;
  cite.elementsOf(ids);
  if (scoped.length === 0) {
    return answer(
      'questions',
      [
        ...typoNotes(q),
        ids.size > 0
          ? `No open question about ${andList([...ids])}.`
          : 'No open questions: every fact the rules need is stated in the model.',
      ],
      cite,
    );
  }
  const list = ranked(env, scoped);
  const lines = [
    ...typoNotes(q),
    `${plural(scoped.length, 'open question')}${ids.size > 0 ? ` about ${andList([...ids])}` : ''}, those deciding the most (severity-weighted) assumed findings first:`,
    ...list.slice(0, 10).map((x) => questionLine(env, x, cite)),
  ];
  if (list.length > 10) lines.push(`- ... and ${list.length - 10} more.`);
  lines.push(
    'Answer one by stating the fact in the model; ask "what would answering <question id> change?" to see the effect first.',
  );
  return answer('questions', lines, cite);
}

function flowOf(env: Env, subject: string, ids: ReadonlySet<string>): boolean {
  const f = env.view.flow(subject);
  return f !== undefined && (ids.has(f.from.id) || ids.has(f.to.id));
}

export function answerQuestionImpact(env: Env, q: Question): AskAnswer {
  const cite = env.citer();
  let targets = q.questions;
  if (targets.length === 0 && q.elements.length > 0) {
    const ids = new Set(q.elements.map((e) => e.id));
    const attrs = Object.keys(FIELDS.component).concat(Object.keys(FIELDS.flow));
    const named = attrs.filter((a) => new RegExp(`\\b${a.replace(/-/g, '[- ]')}\\b`).test(q.text));
    targets = env.analysis.questions.filter(
      (x) => ids.has(x.subject) && (named.length === 0 || named.includes(x.attribute)),
    );
  }
  if (targets.length === 0) {
    if (env.analysis.questions.length === 0)
      return answer('questions', ['No open questions: nothing to answer.'], cite);
    const top = ranked(env, env.analysis.questions).slice(0, 3);
    targets = top;
  }
  const lines: string[] = [...typoNotes(q)];
  for (const question of targets.slice(0, 3)) {
    if (lines.length > 0) lines.push('');
    lines.push(...impactOf(env, question, cite));
  }
  return answer('questions', lines, cite);
}

function impactOf(env: Env, question: AnalysisQuestion, cite: Citer): string[] {
  cite.element(question.subject);
  const hits = hinging(env, question);
  for (const f of hits) cite.finding(f);
  const lines = [
    `${question.id}: ${question.text}`,
    hits.length > 0
      ? `${plural(hits.length, 'assumed finding')} ${hits.length === 1 ? 'hinges' : 'hinge'} on it: ${hits.map((f) => `${f.id} [${f.ruleId}, ${f.severity}]`).join(', ')}.`
      : 'No finding hinges on it directly.',
  ];
  const answers = answersFor(env, question);
  if (!answers) {
    lines.push(
      `Its answer is free-form; try one with "what if ${question.subject} ${question.attribute} were ...?".`,
    );
    return lines;
  }
  for (const a of answers) {
    const edit: Edit = {
      op: 'set',
      element: question.subject,
      attribute: question.attribute,
      value: a.value,
    };
    const o = whatIf(env.ctx, edit);
    if (!o.ok) {
      lines.push(`- If ${question.attribute} is ${a.label}: ${o.problems.join(' ')}`);
      continue;
    }
    const d = o.diff;
    for (const f of d.resolved) cite.finding(f);
    for (const f of d.new) cite.rule(f.ruleId).elementsOf(f.primary);
    for (const c of d.changed) {
      const f = env.findingById.get(c.id);
      if (f) cite.finding(f);
    }
    const parts: string[] = [];
    if (d.resolved.length > 0)
      parts.push(`clears ${d.resolved.map((f) => `${f.id} [${f.ruleId}]`).join(', ')}`);
    const confirmed = d.changed
      .filter((c) => c.field === 'confidence' && c.new === 'confirmed')
      .map((c) => c.id);
    if (confirmed.length > 0) {
      const sev = d.changed.filter((c) => c.field === 'severity');
      parts.push(
        `confirms ${confirmed.join(', ')}${sev.length > 0 ? ` (${sev.map((c) => `${c.id} ${c.old} → ${c.new}`).join(', ')})` : ''}`,
      );
    }
    const other = d.changed.filter(
      (c) => c.field !== 'confidence' && !(c.field === 'severity' && confirmed.includes(c.id)),
    );
    if (other.length > 0)
      parts.push(`changes ${other.map((c) => `${c.id} ${c.field} ${c.old} → ${c.new}`).join(', ')}`);
    if (d.new.length > 0)
      parts.push(
        `brings ${d.new.map((f) => `a new ${f.severity} [${f.ruleId}] finding on ${f.primary.join(', ')}`).join(', ')}`,
      );
    lines.push(
      `- If ${question.attribute} is ${a.label}: ${parts.length > 0 ? parts.join('; ') : 'no finding changes'}.`,
    );
  }
  return lines;
}
