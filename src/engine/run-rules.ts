/**
 * The engine: runs every rule over the View, turns drafts into findings (severity, fingerprint,
 * aggregation, supersession), gathers questions and attack paths, and orders everything (DESIGN §4, §6).
 */
import type { ElementKind, View } from '../model/view.js';
import type { Draft, Rule } from '../rules/define-rule.js';
import type { Analysis, AnalysisQuestion, Finding, FindingSubjects } from './analysis.js';
import { attackPaths } from './attack-paths.js';
import { fingerprintOf } from './fingerprint.js';
import { questionId, questionText } from './questions.js';
import { rankImpact, rankLikelihood, SEVERITIES, severityOf, severityRank } from './severity.js';

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
  /** The primary ids joined by `,` (sorted, without repeats): what supersession matches on. */
  primaryText: string;
  /**
   * The most severe draft's message id and its message and mitigation, rendered when that draft comes:
   * the draft itself (its data, its lists) is not kept, so most drafts are garbage as soon as they are
   * merged instead of surviving, and being copied by the collector, until the whole analysis is done.
   */
  messageId: string;
  message: string;
  mitigation: string;
  /** Severity rank of that draft, kept so that it is not recomputed for every later draft. */
  bestRank: number;
  likelihood: Draft['likelihood'];
  impact: Draft['impact'];
  confidence: Draft['confidence'];
  /**
   * Primary and subject ids without repeats, in the order they came, with their kinds in `kinds` (the
   * same positions): one list to search, split by kind and sorted only when the finding is made.
   */
  ids: string[];
  kinds: ElementKind[];
  /** All of `ids`, for membership tests, once there are many. */
  idSet: Set<string> | undefined;
  /**
   * The first draft's evidence without repeats: the draft's own array when it has none (most findings
   * have one draft, which then costs no copy), copied (`evidenceOwned`) before a later draft adds to it.
   */
  evidence: readonly string[];
  evidenceOwned: boolean;
  /**
   * The same strings as `evidence`, made only once a second draft merges in: membership without a
   * linear scan when many drafts merge.
   */
  evidenceSeen: Set<string> | undefined;
  /** By question id; absent while no draft has unknowns. */
  unknowns: Map<string, { subject: string; attribute: string }> | undefined;
  /** Superseded by another finding on the same primary (set by `markSuperseded`). */
  dropped: boolean;
}

/**
 * The list of a finding without any id of some kind, shared by all such findings (hundreds of thousands
 * of empty arrays fewer at 100,000 components). Frozen: nothing modifies a finding's lists, and anything
 * that tried would fail loudly rather than change every finding.
 */
const NO_IDS = Object.freeze([]) as unknown as string[];

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Checks a draft against its rule; a bad draft is a bug in the rule. The ids it names are checked where
 * they are merged (`addIds`), between the two halves, so the first problem found is reported first.
 */
function checkDraftHead(rule: Rule, messageIds: ReadonlySet<string>, draft: Draft): void {
  // The set first: `in` over 66 differently shaped message objects is a slow, megamorphic lookup.
  if (!messageIds.has(draft.messageId) && !(draft.messageId in rule.meta.messages))
    throw new Error(`rule ${rule.meta.id}: unknown messageId ${draft.messageId}`);
  if (draft.primary.length === 0) throw new Error(`rule ${rule.meta.id}: a draft needs a primary id`);
}

function checkDraftTail(rule: Rule, draft: Draft): void {
  const where = () => `rule ${rule.meta.id}`;
  if (draft.confidence === 'assumed') {
    if (!draft.unknowns || draft.unknowns.length === 0)
      throw new Error(`${where()}: an assumed draft must list its unknowns`);
    for (const u of draft.unknowns) {
      if (!rule.meta.assumes.includes(u.attribute)) {
        throw new Error(`${where()}: unknown attribute ${u.attribute} is not in meta.assumes`);
      }
    }
  }
}

/** Beyond this many ids, a finding gets a set for membership tests instead of list scans. */
const SUBJECT_SET_FROM = 16;

/** Adds ids to a finding's subjects, with their kinds, skipping repeats; an id not in the View is a bug in the rule. */
function addIds(m: Merged, ids: readonly string[], view: View, ruleId: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    if (m.idSet ? m.idSet.has(id) : m.ids.includes(id)) continue;
    const kind = view.kindOf(id);
    if (kind === undefined) throw new Error(`rule ${ruleId}: draft names unknown element ${id}`);
    m.ids.push(id);
    m.kinds.push(kind);
    if (m.idSet) m.idSet.add(id);
    else if (m.ids.length > SUBJECT_SET_FROM) m.idSet = new Set(m.ids);
  }
}

const EMPTY: readonly never[] = [];

function draftSeverity(d: Draft): number {
  return severityRank(severityOf(d.likelihood, d.impact, d.confidence));
}

/**
 * The sorted primary ids joined by `,`, duplicates kept: with the rule id, what the fingerprint hashes.
 * Drafts are merged by this text, so a finding's SHA-256 is computed once, not once per draft.
 */
function primaryKey(primary: readonly string[]): string {
  if (primary.length === 1) return primary[0] as string;
  return [...primary].sort().join(',');
}

/** The merged drafts, one per finding: per rule (in rule-id order), in the order their first drafts came. */
export function runRules(view: View, rules: readonly Rule[]): Merged[][] {
  const perRule: Merged[][] = [];
  const ordered = [...rules].sort((a, b) => cmp(a.meta.id, b.meta.id));
  for (const rule of ordered) {
    const merged: Merged[] = [];
    perRule.push(merged);
    // Fingerprints are per rule, so a rule's drafts are merged in a map of their own.
    const byKey = new Map<string, Merged>();
    const ruleId = rule.meta.id;
    const messageIds = new Set(Object.keys(rule.meta.messages));
    const render = renderer(rule);
    for (const draft of rule.detect(view)) {
      checkDraftHead(rule, messageIds, draft);
      const key = primaryKey(draft.primary);
      const m = byKey.get(key);
      if (!m) {
        const primary = draft.primary.length === 1 ? [key] : unique(draft.primary).sort();
        const created: Merged = {
          rule,
          id: fingerprintOf(ruleId, key),
          primary,
          primaryText: primary.length === 1 ? key : primary.join(','),
          messageId: draft.messageId,
          message: render.message(draft),
          mitigation: render.mitigation(draft),
          bestRank: draftSeverity(draft),
          likelihood: draft.likelihood,
          impact: draft.impact,
          confidence: draft.confidence,
          ids: [],
          kinds: [],
          idSet: undefined,
          evidence: EMPTY,
          evidenceOwned: false,
          evidenceSeen: undefined,
          unknowns: undefined,
          dropped: false,
        };
        addIds(created, draft.primary, view, ruleId);
        if (draft.subjects !== undefined) addIds(created, draft.subjects, view, ruleId);
        checkDraftTail(rule, draft);
        addUnknowns(created, draft);
        if (hasRepeats(draft.evidence)) {
          created.evidence = unique(draft.evidence);
          created.evidenceOwned = true;
        } else created.evidence = draft.evidence;
        byKey.set(key, created);
        merged.push(created);
        continue;
      }
      // Same key, same primary ids: those are in the subjects already, and exist.
      if (draft.subjects !== undefined) addIds(m, draft.subjects, view, ruleId);
      checkDraftTail(rule, draft);
      if (rankLikelihood(draft.likelihood) > rankLikelihood(m.likelihood)) m.likelihood = draft.likelihood;
      if (rankImpact(draft.impact) > rankImpact(m.impact)) m.impact = draft.impact;
      if (draft.confidence === 'confirmed') m.confidence = 'confirmed';
      if (draft.evidence.length > 0) {
        m.evidenceSeen ??= new Set(m.evidence);
        let own = m.evidenceOwned ? (m.evidence as string[]) : undefined;
        for (const e of draft.evidence) {
          if (m.evidenceSeen.has(e)) continue;
          m.evidenceSeen.add(e);
          if (own === undefined) {
            own = [...m.evidence];
            m.evidence = own;
            m.evidenceOwned = true;
          }
          own.push(e);
        }
      }
      addUnknowns(m, draft);
      const a = draftSeverity(draft);
      if (a < m.bestRank || (a === m.bestRank && draft.messageId < m.messageId)) {
        m.messageId = draft.messageId;
        m.message = render.message(draft);
        m.mitigation = render.mitigation(draft);
        m.bestRank = a;
      }
    }
  }
  return perRule;
}

/** Whether a list has a string twice: a scan for the short lists drafts carry, a set beyond. */
function hasRepeats(list: readonly string[]): boolean {
  if (list.length > SUBJECT_SET_FROM) return new Set(list).size !== list.length;
  for (let i = 1; i < list.length; i++) {
    const x = list[i];
    for (let j = 0; j < i; j++) if (list[j] === x) return true;
  }
  return false;
}

/** The strings of a list without repeats, in order: a scan for the short lists drafts carry, a set beyond. */
function unique(list: readonly string[]): string[] {
  if (list.length > SUBJECT_SET_FROM) return [...new Set(list)];
  const out: string[] = [];
  for (const x of list) if (!out.includes(x)) out.push(x);
  return out;
}

function addUnknowns(m: Merged, draft: Draft): void {
  if (!draft.unknowns || draft.unknowns.length === 0) return;
  m.unknowns ??= new Map();
  for (const u of draft.unknowns) m.unknowns.set(questionId(u.subject, u.attribute), u);
}

/** The subjects as the finding shows them: the ids split by kind, each kind's ids sorted. */
function subjectsOf(m: Merged): FindingSubjects {
  let components: string[] | undefined;
  let flows: string[] | undefined;
  let data: string[] | undefined;
  let identities: string[] | undefined;
  let boundaries: string[] | undefined;
  const { ids, kinds } = m;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    switch (kinds[i]) {
      case 'component':
        components = withId(components, id);
        break;
      case 'flow':
        flows = withId(flows, id);
        break;
      case 'data':
        data = withId(data, id);
        break;
      case 'identity':
        identities = withId(identities, id);
        break;
      default:
        boundaries = withId(boundaries, id);
    }
  }
  return {
    components: sorted(components),
    flows: sorted(flows),
    data: sorted(data),
    identities: sorted(identities),
    boundaries: sorted(boundaries),
  };
}

function withId(list: string[] | undefined, id: string): string[] {
  if (list === undefined) return [id];
  list.push(id);
  return list;
}

function sorted(list: string[] | undefined): string[] {
  if (list === undefined) return NO_IDS;
  if (list.length > 1) list.sort();
  return list;
}

/**
 * The parts of a finding that depend only on its rule (STRIDE, weaknesses, compliance), built once per
 * rule and shared by all of its findings: at 100,000 components that is hundreds of thousands of small
 * arrays fewer. Nothing downstream modifies a finding's lists in place.
 */
interface RuleParts {
  stride: Finding['stride'];
  cwe: string[];
  capec: string[];
  attack: string[];
  compliance: Finding['compliance'];
}

function ruleParts(rule: Rule): RuleParts {
  const meta = rule.meta;
  const compliance: Finding['compliance'] = {};
  for (const [k, ids] of Object.entries(meta.compliance)) {
    if (ids && ids.length > 0) compliance[k as keyof Finding['compliance']] = [...ids].sort();
  }
  return {
    stride: [...meta.stride],
    cwe: [...meta.cwe].sort(),
    capec: [...meta.capec].sort(),
    attack: [...meta.attack].sort(),
    compliance,
  };
}

/** `{name}` placeholders, as `renderTemplate` (rules/define-rule.ts) fills them. */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/;

/**
 * A message template split once into literal text and placeholder names (`split` with a capturing
 * group alternates them: text, name, text, ...), then filled by concatenation: the same text as
 * `renderTemplate`, and the same error for a placeholder without a value, for a fraction of the cost of
 * a regular-expression replace per finding.
 */
type Template = (data: Draft['data'], ruleId: string) => string;

function compileTemplate(template: string): Template {
  const parts = template.split(new RegExp(PLACEHOLDER.source, 'g'));
  if (parts.length === 1) return () => template;
  return (data, ruleId) => {
    let out = parts[0] as string;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i] as string;
      const v = data[name];
      if (v === undefined) throw new Error(`rule ${ruleId}: placeholder {${name}} has no value`);
      out += String(v) + (parts[i + 1] as string);
    }
    return out;
  };
}

/** A rule's message and mitigation of a draft, each template compiled once per rule (on first use). */
function renderer(rule: Rule): { message: (d: Draft) => string; mitigation: (d: Draft) => string } {
  const meta = rule.meta;
  const messages = new Map<string, Template>();
  let mitigation: Template | undefined;
  return {
    message: (d) => {
      let t = messages.get(d.messageId);
      if (t === undefined) {
        t = compileTemplate(meta.messages[d.messageId] as string);
        messages.set(d.messageId, t);
      }
      return t(d.data, meta.id);
    },
    mitigation: (d) => {
      mitigation ??= compileTemplate(meta.mitigation);
      return mitigation(d.data, meta.id);
    },
  };
}

/**
 * Supersession: marks the findings whose rule another finding with the same primary supersedes. Only the
 * findings of rules that supersede or are superseded are looked at, the latter indexed by rule and
 * primary, so the cost follows those rules rather than all findings.
 */
function markSuperseded(perRule: readonly (readonly Merged[])[]): void {
  const superseded = new Set<string>();
  for (const group of perRule) {
    if (group.length > 0) for (const id of group[0]?.rule.meta.supersedes ?? EMPTY) superseded.add(id);
  }
  if (superseded.size === 0) return;
  // Rule id → primary ids (joined) → that rule's findings on them.
  const index = new Map<string, Map<string, Merged[]>>();
  for (const group of perRule) {
    const ruleId = group[0]?.rule.meta.id;
    if (ruleId === undefined || !superseded.has(ruleId)) continue;
    const byPrimary = new Map<string, Merged[]>();
    index.set(ruleId, byPrimary);
    for (const m of group) {
      const list = byPrimary.get(m.primaryText);
      if (list) list.push(m);
      else byPrimary.set(m.primaryText, [m]);
    }
  }
  for (const group of perRule) {
    const ids = group[0]?.rule.meta.supersedes;
    if (!ids || ids.length === 0) continue;
    const targets = ids.map((id) => index.get(id)).filter((t) => t !== undefined);
    for (const other of group) {
      for (const byPrimary of targets) {
        for (const m of byPrimary.get(other.primaryText) ?? EMPTY) if (m !== other) m.dropped = true;
      }
    }
  }
}

const byFindingOrder = (a: Finding, b: Finding) =>
  severityRank(a.severity) - severityRank(b.severity) || cmp(a.ruleId, b.ruleId) || cmp(a.id, b.id);

/**
 * Sorts findings by severity, rule id, then id (`byFindingOrder`), in place. They arrive grouped by rule
 * in rule-id order (the rules run in that order), so a stable split by severity keeps each severity's
 * findings in rule order, and only each rule's run needs sorting, by id: far fewer and cheaper
 * comparisons than one sort of hundreds of thousands of findings. Should the rule order not hold, one
 * full sort gives the same order.
 */
function sortFindings(findings: Finding[]): void {
  const bySeverity: Finding[][] = SEVERITIES.map(() => []);
  for (const f of findings) {
    const group = bySeverity[severityRank(f.severity)];
    if (!group) {
      findings.sort(byFindingOrder);
      return;
    }
    group.push(f);
  }
  for (const group of bySeverity) {
    for (let j = 1; j < group.length; j++) {
      if ((group[j] as Finding).ruleId < (group[j - 1] as Finding).ruleId) {
        findings.sort(byFindingOrder);
        return;
      }
    }
  }
  let i = 0;
  for (const group of bySeverity) {
    let start = 0;
    for (let j = 1; j <= group.length; j++) {
      if (j < group.length && (group[j] as Finding).ruleId === (group[j - 1] as Finding).ruleId) continue;
      const run = group.slice(start, j);
      if (run.length > 1) run.sort((a, b) => cmp(a.id, b.id));
      for (const f of run) findings[i++] = f;
      start = j;
    }
  }
}

/** Runs the catalogue over a View and returns the Analysis. */
export function analyze(view: View, rules: readonly Rule[], options: AnalyzeOptions = {}): Analysis {
  const perRule = runRules(view, rules);
  markSuperseded(perRule);

  const modelQuestions = new Map<string, { id: string; text: string }>();
  for (const q of view.model.questions) modelQuestions.set(questionId(q.subject, q.attribute), q);

  const findings: Finding[] = [];
  const asked = new Map<string, AnalysisQuestion>();
  // One question object per `<subject>#<attribute>`, however many findings raise it.
  const questionFor = new Map<string, AnalysisQuestion>();
  for (const group of perRule) {
    const rule = group[0]?.rule;
    if (rule === undefined) continue;
    const meta = rule.meta;
    // What all of a rule's findings share, made once per rule: its lists and compiled templates.
    const shared = ruleParts(rule);
    for (const m of group) {
      if (m.dropped) continue;
      if (options.confirmedOnly && m.confidence === 'assumed') continue;
      let questionIds: string[] = NO_IDS;
      if (m.unknowns !== undefined) {
        questionIds = [];
        for (const [key, u] of m.unknowns) {
          let q = questionFor.get(key);
          if (!q) {
            const existing = modelQuestions.get(key);
            q = existing
              ? { id: existing.id, subject: u.subject, attribute: u.attribute, text: existing.text }
              : {
                  id: key,
                  subject: u.subject,
                  attribute: u.attribute,
                  text: questionText(view, u.subject, u.attribute),
                };
            questionFor.set(key, q);
          }
          asked.set(q.id, q);
          questionIds.push(q.id);
        }
        if (questionIds.length > 1) questionIds.sort();
      }
      findings.push({
        id: m.id,
        ruleId: meta.id,
        messageId: m.messageId,
        title: meta.title,
        message: m.message,
        severity: severityOf(m.likelihood, m.impact, m.confidence),
        likelihood: m.likelihood,
        impact: m.impact,
        confidence: m.confidence,
        stride: shared.stride,
        cwe: shared.cwe,
        capec: shared.capec,
        attack: shared.attack,
        primary: m.primary,
        subjects: subjectsOf(m),
        evidence: m.evidence as string[],
        mitigation: m.mitigation,
        compliance: shared.compliance,
        status: 'open',
        questions: questionIds,
      });
    }
  }
  sortFindings(findings);

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
