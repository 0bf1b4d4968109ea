/**
 * The engine: runs every rule over the View, turns drafts into findings (severity, fingerprint,
 * aggregation, supersession), gathers questions and attack paths, and orders everything (DESIGN §4, §6).
 */
import type { View } from '../model/view.js';
import { type Draft, type Rule, renderTemplate } from '../rules/define-rule.js';
import type { Analysis, AnalysisQuestion, Finding, FindingSubjects } from './analysis.js';
import { attackPaths } from './attack-paths.js';
import { fingerprint } from './fingerprint.js';
import { questionId, questionText } from './questions.js';
import { rankImpact, rankLikelihood, severityOf, severityRank } from './severity.js';

export interface AnalyzeOptions {
  /** Drop assumed findings from the output (and so from any gate). */
  confirmedOnly?: boolean;
  /** The date risk decisions are judged against (YYYY-MM-DD); recorded in the output. */
  asOf?: string;
  /** Recorded only when given (`--timestamp`). */
  generatedAt?: string;
}

interface Merged {
  rule: Rule;
  id: string;
  primary: string[];
  best: Draft;
  likelihood: Draft['likelihood'];
  impact: Draft['impact'];
  confidence: Draft['confidence'];
  subjects: Set<string>;
  evidence: string[];
  unknowns: Map<string, { subject: string; attribute: string }>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Checks a draft against its rule and the View; a bad draft is a bug in the rule. */
function checkDraft(rule: Rule, draft: Draft, view: View): void {
  const where = `rule ${rule.meta.id}`;
  if (!(draft.messageId in rule.meta.messages))
    throw new Error(`${where}: unknown messageId ${draft.messageId}`);
  if (draft.primary.length === 0) throw new Error(`${where}: a draft needs a primary id`);
  for (const id of [...draft.primary, ...(draft.subjects ?? [])]) {
    if (view.kindOf(id) === undefined) throw new Error(`${where}: draft names unknown element ${id}`);
  }
  if (draft.confidence === 'assumed') {
    if (!draft.unknowns || draft.unknowns.length === 0)
      throw new Error(`${where}: an assumed draft must list its unknowns`);
    for (const u of draft.unknowns) {
      if (!rule.meta.assumes.includes(u.attribute)) {
        throw new Error(`${where}: unknown attribute ${u.attribute} is not in meta.assumes`);
      }
    }
  }
}

function draftSeverity(d: Draft): number {
  return severityRank(severityOf(d.likelihood, d.impact, d.confidence));
}

export function runRules(view: View, rules: readonly Rule[]): Map<string, Merged> {
  const merged = new Map<string, Merged>();
  const ordered = [...rules].sort((a, b) => cmp(a.meta.id, b.meta.id));
  for (const rule of ordered) {
    for (const draft of rule.detect(view)) {
      checkDraft(rule, draft, view);
      const id = fingerprint(rule.meta.id, draft.primary);
      const m = merged.get(id);
      if (!m) {
        merged.set(id, {
          rule,
          id,
          primary: [...new Set(draft.primary)].sort(),
          best: draft,
          likelihood: draft.likelihood,
          impact: draft.impact,
          confidence: draft.confidence,
          subjects: new Set([...draft.primary, ...(draft.subjects ?? [])]),
          evidence: [...new Set(draft.evidence)],
          unknowns: new Map((draft.unknowns ?? []).map((u) => [questionId(u.subject, u.attribute), u])),
        });
        continue;
      }
      if (rankLikelihood(draft.likelihood) > rankLikelihood(m.likelihood)) m.likelihood = draft.likelihood;
      if (rankImpact(draft.impact) > rankImpact(m.impact)) m.impact = draft.impact;
      if (draft.confidence === 'confirmed') m.confidence = 'confirmed';
      for (const s of draft.subjects ?? []) m.subjects.add(s);
      for (const e of draft.evidence) if (!m.evidence.includes(e)) m.evidence.push(e);
      for (const u of draft.unknowns ?? []) m.unknowns.set(questionId(u.subject, u.attribute), u);
      const a = draftSeverity(draft);
      const b = draftSeverity(m.best);
      if (a < b || (a === b && draft.messageId < m.best.messageId)) m.best = draft;
    }
  }
  return merged;
}

function classify(view: View, ids: Iterable<string>): FindingSubjects {
  const s: FindingSubjects = { components: [], flows: [], data: [], identities: [], boundaries: [] };
  for (const id of ids) {
    switch (view.kindOf(id)) {
      case 'component':
        s.components.push(id);
        break;
      case 'flow':
        s.flows.push(id);
        break;
      case 'data':
        s.data.push(id);
        break;
      case 'identity':
        s.identities.push(id);
        break;
      case 'boundary':
        s.boundaries.push(id);
        break;
      default:
        break;
    }
  }
  for (const list of Object.values(s)) list.sort();
  return s;
}

/** Runs the catalogue over a View and returns the Analysis. */
export function analyze(view: View, rules: readonly Rule[], options: AnalyzeOptions = {}): Analysis {
  const merged = runRules(view, rules);

  // Supersession: a finding whose rule another finding with the same primary supersedes is dropped.
  const byPrimary = new Map<string, Merged[]>();
  for (const m of merged.values()) {
    const key = m.primary.join(',');
    const list = byPrimary.get(key);
    if (list) list.push(m);
    else byPrimary.set(key, [m]);
  }
  const dropped = new Set<string>();
  for (const group of byPrimary.values()) {
    for (const m of group) {
      for (const other of group) {
        if (other !== m && other.rule.meta.supersedes?.includes(m.rule.meta.id)) dropped.add(m.id);
      }
    }
  }

  const modelQuestions = new Map<string, { id: string; text: string }>();
  for (const q of view.model.questions) modelQuestions.set(questionId(q.subject, q.attribute), q);

  const findings: Finding[] = [];
  const asked = new Map<string, AnalysisQuestion>();
  for (const m of merged.values()) {
    if (dropped.has(m.id)) continue;
    if (options.confirmedOnly && m.confidence === 'assumed') continue;
    const meta = m.rule.meta;
    const where = `rule ${meta.id}`;
    const questionIds: string[] = [];
    for (const [key, u] of m.unknowns) {
      const existing = modelQuestions.get(key);
      const q: AnalysisQuestion = existing
        ? { id: existing.id, subject: u.subject, attribute: u.attribute, text: existing.text }
        : {
            id: key,
            subject: u.subject,
            attribute: u.attribute,
            text: questionText(view, u.subject, u.attribute),
          };
      asked.set(q.id, q);
      questionIds.push(q.id);
    }
    const compliance: Finding['compliance'] = {};
    for (const [k, ids] of Object.entries(meta.compliance)) {
      if (ids && ids.length > 0) compliance[k as keyof Finding['compliance']] = [...ids].sort();
    }
    findings.push({
      id: m.id,
      ruleId: meta.id,
      messageId: m.best.messageId,
      title: meta.title,
      message: renderTemplate(meta.messages[m.best.messageId] as string, m.best.data, where),
      severity: severityOf(m.likelihood, m.impact, m.confidence),
      likelihood: m.likelihood,
      impact: m.impact,
      confidence: m.confidence,
      stride: [...meta.stride],
      cwe: [...meta.cwe].sort(),
      capec: [...meta.capec].sort(),
      attack: [...meta.attack].sort(),
      primary: m.primary,
      subjects: classify(view, m.subjects),
      evidence: m.evidence,
      mitigation: renderTemplate(meta.mitigation, m.best.data, where),
      compliance,
      status: 'open',
      questions: questionIds.sort(),
    });
  }
  findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) || cmp(a.ruleId, b.ruleId) || cmp(a.id, b.id),
  );

  // The model's own open questions are kept, with those the rules raised.
  for (const q of view.model.questions) {
    if (!asked.has(q.id))
      asked.set(q.id, { id: q.id, subject: q.subject, attribute: q.attribute, text: q.text });
  }
  const questions = [...asked.values()].sort(
    (a, b) => cmp(a.subject, b.subject) || cmp(a.attribute, b.attribute) || cmp(a.id, b.id),
  );
  const { paths, bounds } = attackPaths(view, findings);
  const analysis: Analysis = { model: view.model, view, findings, attackPaths: paths, questions, bounds };
  if (options.asOf !== undefined) analysis.asOf = options.asOf;
  if (options.generatedAt !== undefined) analysis.generatedAt = options.generatedAt;
  return analysis;
}
