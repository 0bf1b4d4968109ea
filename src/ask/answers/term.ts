/**
 * "What is X?": a definition from the glossary, a rule of the catalogue, or a CWE, CAPEC, ATT&CK or
 * compliance id from the id catalogues, each tied back to this analysis (how many findings carry it).
 */
import { FRAMEWORK_KEYS, type IdKind } from '../../compliance/catalog.js';
import type { Finding } from '../../engine/analysis.js';
import type { RuleMeta } from '../../rules/define-rule.js';
import { byAnalysisOrder, type Env, severityCounts } from '../env.js';
import { glossaryEntry } from '../glossary.js';
import { termObject } from '../intent.js';
import { andList, firstSentence, oneLine, plural } from '../text.js';
import type { AskAnswer } from '../types.js';
import { answer, findingList, type Question } from './common.js';
import { covers, frameworksIn, ID_KIND_LABEL, idsIn, idsOf } from './framework.js';

function carrying(hits: readonly Finding[], object: string): string {
  if (hits.length === 0) return `In this analysis no finding carries ${object}.`;
  return `In this analysis ${plural(hits.length, 'finding')} ${hits.length === 1 ? 'carries' : 'carry'} ${object} (${severityCounts(hits)}).`;
}

function ruleAnswer(env: Env, meta: RuleMeta): AskAnswer {
  const cite = env.citer().rule(meta.id);
  const hits = env.analysis.findings.filter((f) => f.ruleId === meta.id).sort(byAnalysisOrder);
  const lines = [
    `${meta.id} is a rule: ${meta.title}.`,
    oneLine(meta.summary),
    `How it decides: ${firstSentence(meta.detection)}`,
    `STRIDE: ${meta.stride.join(', ')}${meta.cwe.length > 0 ? `; ${meta.cwe.join(', ')}` : ''}.`,
  ];
  if (hits.length === 0) lines.push('It has no finding in this model.');
  else {
    lines.push(`Its findings here (${severityCounts(hits)}):`);
    lines.push(...findingList(hits, cite, 5));
  }
  return answer('term', lines, cite);
}

function idAnswer(env: Env, kind: IdKind, id: string): AskAnswer {
  const cite = env.citer();
  const title = env.catalog.title(kind, id) ?? '';
  const hits = env.analysis.findings.filter((f) => covers(idsOf(f, kind), id));
  const rules = [...env.rules.values()].filter((r) => {
    const list =
      kind === 'cwe'
        ? r.cwe
        : kind === 'capec'
          ? r.capec
          : kind === 'attack'
            ? r.attack
            : (r.compliance[kind] ?? []);
    return covers(list, id);
  });
  for (const r of rules.slice(0, 6)) cite.rule(r.id);
  const label = ID_KIND_LABEL(kind);
  const lines = [`${id.startsWith(label) ? id : `${label} ${id}`}: ${title}.`];
  lines.push(
    rules.length === 0
      ? 'No rule of the catalogue maps to it.'
      : `Rules that map to it: ${andList(rules.slice(0, 6).map((r) => r.id))}${rules.length > 6 ? ` and ${rules.length - 6} more` : ''}.`,
  );
  lines.push(carrying(hits, 'it'));
  if (hits.length > 0) lines.push(...findingList(hits, cite, 3));
  return answer('term', lines, cite);
}

export function answerTerm(env: Env, q: Question): AskAnswer | undefined {
  const object = termObject(q.text);
  if (object === undefined) return undefined;
  // An element named by the question is described by the threats answer, not defined.
  if (q.elements.length > 0 && !glossaryEntry(object)) return undefined;
  const entry = glossaryEntry(object);
  if (entry) {
    const cite = env.citer();
    const lines = [entry.text];
    if (entry.stride) {
      const hits = env.analysis.findings.filter((f) =>
        f.stride.includes(entry.stride as Finding['stride'][number]),
      );
      lines.push(carrying(hits, entry.stride));
      if (hits.length > 0) lines.push('The most severe:', ...findingList(hits, cite, 3));
    } else if (entry.control) {
      const having = env.view.components.filter(
        (c) => c.controls?.includes(entry.control as never) || c.enforces?.includes(entry.control as never),
      );
      const recommending = env.analysis.findings.filter(
        (f) =>
          f.status === 'open' && new RegExp(entry.term.replace(/[^a-z]+/gi, '.?'), 'i').test(f.mitigation),
      );
      cite.elementsOf(having.slice(0, 8).map((c) => c.id));
      lines.push(
        `In this model ${plural(having.length, 'component')} ${having.length === 1 ? 'states' : 'state'} it${having.length > 0 ? ` (${andList(having.slice(0, 8).map((c) => c.id))}${having.length > 8 ? ', ...' : ''})` : ''}, and ${plural(recommending.length, 'open finding')} recommend${recommending.length === 1 ? 's' : ''} it.`,
      );
    } else if (/trust boundar/.test(entry.term)) {
      const crossing = env.view.flows.filter((f) => f.crosses.length > 0);
      lines.push(
        `This model has ${plural(env.view.boundaries.length, 'boundary', 'boundaries')}; ${plural(crossing.length, 'flow')} cross at least one.`,
      );
    } else if (/attack path|weakest link|entry point/.test(entry.term)) {
      lines.push(
        `This analysis has ${plural(env.analysis.attackPaths.length, 'attack path')} from ${plural(env.view.entryPoints.length, 'entry point')}.`,
      );
    } else if (/assumed vs confirmed/.test(entry.term)) {
      const assumed = env.analysis.findings.filter((f) => f.confidence === 'assumed').length;
      lines.push(
        `This analysis has ${env.analysis.findings.length - assumed} confirmed and ${assumed} assumed findings, and ${plural(env.analysis.questions.length, 'open question')}.`,
      );
    } else if (/risk decision/.test(entry.term)) {
      const decided = env.analysis.findings.filter((f) => f.status !== 'open');
      lines.push(
        `In this analysis ${plural(decided.length, 'finding')} ${decided.length === 1 ? 'has' : 'have'} a decision${decided.length > 0 ? `: ${andList(decided.map((f) => `${f.id} (${f.status})`))}` : ''}.`,
      );
      for (const f of decided) cite.finding(f);
    }
    return answer(
      'term',
      lines.filter((l) => l !== ''),
      cite,
    );
  }
  const rule = q.rules[0] ?? env.rules.get(object.replace(/\s+/g, '-'));
  if (rule) return ruleAnswer(env, rule);
  const { ids } = idsIn(env, object, frameworksIn(q.raw));
  const first = ids[0];
  if (
    first &&
    (first.kind === 'cwe' ||
      first.kind === 'capec' ||
      first.kind === 'attack' ||
      FRAMEWORK_KEYS.includes(first.kind as never))
  )
    return idAnswer(env, first.kind, first.id);
  return undefined;
}
