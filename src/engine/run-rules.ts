/**
 * The engine: runs every rule over the View, turns drafts into findings (severity, fingerprint,
 * aggregation, supersession), gathers questions and attack paths, and orders everything (DESIGN §4, §6).
 */
import type { View } from '../model/view.js';
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

/**
 * One rule's findings, in the order their first drafts came, and what the engine still needs to know
 * about the few that are not yet final. A finding is made whole from its first draft (most findings have
 * one), so most need nothing more: no second record per finding that lives, and is copied by the
 * collector, until the analysis is done.
 */
export interface RuleFindings {
  rule: Rule;
  findings: Finding[];
  /** Same positions as `findings`; absent while a finding has no unknowns and one draft. */
  states: (FindingState | undefined)[];
}

export interface FindingState {
  /** By question id; absent while no draft has unknowns. */
  unknowns: Map<string, { subject: string; attribute: string }> | undefined;
  /** From the second draft on: the rest is set then. */
  merged: boolean;
  /** Severity rank of the draft whose message is shown. */
  bestRank: number;
  /** Every subject id (of every kind) so far. */
  idSet: Set<string> | undefined;
  /** The evidence is the finding's own copy, which later drafts may add to. */
  evidenceOwned: boolean;
  evidenceSeen: Set<string> | undefined;
}

/**
 * The list of a finding without any id of some kind, shared by all such findings (hundreds of thousands
 * of empty arrays fewer at 100,000 components). Frozen: nothing modifies a finding's lists, and anything
 * that tried would fail loudly rather than change every finding.
 */
const NO_IDS = Object.freeze([]) as unknown as string[];

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts a list of strings in place in code-unit order, the order of `Array.prototype.sort()` without a
 * comparator. A finding's own lists (subjects, primary ids, questions) hold a handful of ids, and
 * `sort()` sets up a sorting state and work arrays for every call, however short the list: an insertion
 * sort allocates nothing. Longer lists go to `sort()`.
 */
function sortIds(list: string[]): string[] {
  const n = list.length;
  if (n > 16) return list.sort();
  for (let i = 1; i < n; i++) {
    const x = list[i] as string;
    let j = i - 1;
    while (j >= 0 && (list[j] as string) > x) {
      list[j + 1] = list[j] as string;
      j--;
    }
    list[j + 1] = x;
  }
  return list;
}

/**
 * Checks a draft against its rule; a bad draft is a bug in the rule. The ids it names are checked where
 * they are taken in (`draftSubjects`, `addSubjects`), between the two halves, so the first problem found
 * is reported first.
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

/** Beyond this many ids, a finding's subject ids are kept in a set for membership tests instead of list scans. */
const SUBJECT_SET_FROM = 16;

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
  return sortIds([...primary]).join(',');
}

/** The findings, one per primary, per rule (in rule-id order), in the order their first drafts came. */
function runRules(view: View, rules: readonly Rule[]): RuleFindings[] {
  const ordered = [...rules].sort((a, b) => cmp(a.meta.id, b.meta.id));
  const perRule: RuleFindings[] = [];
  for (const rule of ordered) perRule.push(runRule(view, rule));
  return perRule;
}

/**
 * One rule's findings, in the order their first drafts came, before the analysis-wide steps (supersession,
 * questions, order). Exported for bench/two-threads.mjs, which runs rules one at a time on two threads.
 */
export function runRule(view: View, rule: Rule): RuleFindings {
  const findings: Finding[] = [];
  const states: (FindingState | undefined)[] = [];
  // Fingerprints are per rule, so a rule's drafts are merged in a map of their own.
  const byKey = new Map<string, number>();
  const meta = rule.meta;
  const ruleId = meta.id;
  const messageIds = new Set(Object.keys(meta.messages));
  const render = renderer(rule);
  // What all of a rule's findings share, made once per rule: its lists.
  const shared = ruleParts(rule);
  for (const draft of rule.detect(view)) {
    checkDraftHead(rule, messageIds, draft);
    const key = primaryKey(draft.primary);
    const at = byKey.get(key);
    if (at === undefined) {
      const primary = draft.primary.length === 1 ? [key] : sortIds(unique(draft.primary));
      const id = fingerprintOf(ruleId, key);
      const message = render.message(draft);
      const mitigation = render.mitigation(draft);
      const subjects = draftSubjects(draft, view, ruleId);
      checkDraftTail(rule, draft);
      let state: FindingState | undefined;
      if (draft.unknowns !== undefined && draft.unknowns.length > 0) {
        state = newState();
        addUnknowns(state, draft);
      }
      byKey.set(key, findings.length);
      findings.push({
        id,
        ruleId,
        messageId: draft.messageId,
        title: meta.title,
        message,
        severity: severityOf(draft.likelihood, draft.impact, draft.confidence),
        likelihood: draft.likelihood,
        impact: draft.impact,
        confidence: draft.confidence,
        stride: shared.stride,
        cwe: shared.cwe,
        capec: shared.capec,
        attack: shared.attack,
        primary,
        subjects,
        // The draft's own list when it has no repeats (most findings have one draft: no copy).
        evidence: hasRepeats(draft.evidence) ? unique(draft.evidence) : (draft.evidence as string[]),
        mitigation,
        compliance: shared.compliance,
        status: 'open',
        questions: NO_IDS,
      });
      states.push(state);
      continue;
    }
    // Same key, same primary ids: those are in the subjects already, and exist.
    const f = findings[at] as Finding;
    let state = states[at];
    if (state === undefined) {
      state = newState();
      states[at] = state;
    }
    if (!state.merged) startMerging(f, state);
    if (draft.subjects !== undefined) addSubjects(f, state, draft.subjects, view, ruleId);
    checkDraftTail(rule, draft);
    if (rankLikelihood(draft.likelihood) > rankLikelihood(f.likelihood)) f.likelihood = draft.likelihood;
    if (rankImpact(draft.impact) > rankImpact(f.impact)) f.impact = draft.impact;
    if (draft.confidence === 'confirmed') f.confidence = 'confirmed';
    if (draft.evidence.length > 0) {
      state.evidenceSeen ??= new Set(f.evidence);
      for (const e of draft.evidence) {
        if (state.evidenceSeen.has(e)) continue;
        state.evidenceSeen.add(e);
        if (!state.evidenceOwned) {
          f.evidence = [...f.evidence];
          state.evidenceOwned = true;
        }
        f.evidence.push(e);
      }
    }
    addUnknowns(state, draft);
    const a = draftSeverity(draft);
    if (a < state.bestRank || (a === state.bestRank && draft.messageId < f.messageId)) {
      f.messageId = draft.messageId;
      f.message = render.message(draft);
      f.mitigation = render.mitigation(draft);
      state.bestRank = a;
    }
  }
  return { rule, findings, states };
}

function newState(): FindingState {
  return {
    unknowns: undefined,
    merged: false,
    bestRank: 0,
    idSet: undefined,
    evidenceOwned: false,
    evidenceSeen: undefined,
  };
}

/**
 * When a second draft comes: the rank of the first (the finding's likelihood, impact and confidence are
 * still its own), and the subject ids so far, for membership tests.
 */
function startMerging(f: Finding, state: FindingState): void {
  state.merged = true;
  state.bestRank = severityRank(severityOf(f.likelihood, f.impact, f.confidence));
  const ids = new Set<string>();
  const s = f.subjects;
  for (const list of [s.components, s.flows, s.data, s.identities, s.boundaries])
    for (const id of list) ids.add(id);
  state.idSet = ids;
}

/**
 * A draft's primary and subject ids as a finding shows them: without repeats, split by kind, each kind's
 * ids sorted. An id not in the View is a bug in the rule.
 */
function draftSubjects(draft: Draft, view: View, ruleId: string): FindingSubjects {
  const p = draft.primary;
  const q = draft.subjects ?? EMPTY;
  const n = p.length + q.length;
  const seen = n > SUBJECT_SET_FROM ? new Set<string>() : undefined;
  const s: FindingSubjects = {
    components: NO_IDS,
    flows: NO_IDS,
    data: NO_IDS,
    identities: NO_IDS,
    boundaries: NO_IDS,
  };
  next: for (let i = 0; i < n; i++) {
    const id = (i < p.length ? p[i] : q[i - p.length]) as string;
    if (seen !== undefined) {
      if (seen.has(id)) continue;
      seen.add(id);
    } else {
      for (let j = 0; j < i; j++) if ((j < p.length ? p[j] : q[j - p.length]) === id) continue next;
    }
    addByKind(s, id, view, ruleId);
  }
  sortSubjects(s);
  return s;
}

/** Adds a later draft's subject ids to a finding, skipping those it has; its lists are sorted when it is final. */
function addSubjects(
  f: Finding,
  state: FindingState,
  ids: readonly string[],
  view: View,
  ruleId: string,
): void {
  const seen = state.idSet as Set<string>;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    if (seen.has(id)) continue;
    addByKind(f.subjects, id, view, ruleId);
    seen.add(id);
  }
}

/** Adds an id to the subject list of its kind; an id not in the View is a bug in the rule. */
function addByKind(s: FindingSubjects, id: string, view: View, ruleId: string): void {
  switch (view.kindOf(id)) {
    case 'component':
      s.components = owned(s.components, id);
      break;
    case 'flow':
      s.flows = owned(s.flows, id);
      break;
    case 'data':
      s.data = owned(s.data, id);
      break;
    case 'identity':
      s.identities = owned(s.identities, id);
      break;
    case 'boundary':
      s.boundaries = owned(s.boundaries, id);
      break;
    default:
      throw new Error(`rule ${ruleId}: draft names unknown element ${id}`);
  }
}

/** Each kind's ids in order, in place (the shared empty list has nothing to sort). */
function sortSubjects(s: FindingSubjects): void {
  sortIds(s.components);
  sortIds(s.flows);
  sortIds(s.data);
  sortIds(s.identities);
  sortIds(s.boundaries);
}

/** A finding's list with one more id: the shared empty list is replaced, the finding's own list grows. */
function owned(list: string[], id: string): string[] {
  if (list === NO_IDS) return [id];
  list.push(id);
  return list;
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

function addUnknowns(state: FindingState, draft: Draft): void {
  if (!draft.unknowns || draft.unknowns.length === 0) return;
  state.unknowns ??= new Map();
  for (const u of draft.unknowns) state.unknowns.set(questionId(u.subject, u.attribute), u);
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
 * group alternates them: text, name, text, ...), then filled piece by piece: the same text as
 * `renderTemplate`, and the same error for a placeholder without a value, for a fraction of the cost of
 * a regular-expression replace per finding. The pieces are joined, not concatenated: `join` makes one
 * flat string, where `+` makes a rope of one node per piece that every finding would keep until the
 * report, and that `JSON.stringify` then has to flatten into a copy before it can write it.
 */
type Template = (data: Draft['data'], ruleId: string) => string;

function compileTemplate(template: string): Template {
  const parts = template.split(new RegExp(PLACEHOLDER.source, 'g'));
  if (parts.length === 1) return () => template;
  return (data, ruleId) => {
    const out = parts.slice();
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i] as string;
      const v = data[name];
      if (v === undefined) throw new Error(`rule ${ruleId}: placeholder {${name}} has no value`);
      out[i] = String(v);
    }
    return out.join('');
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
 * Supersession: the findings whose rule another finding with the same primary supersedes. Only the
 * findings of rules that supersede or are superseded are looked at, the latter indexed by rule and
 * primary, so the cost follows those rules rather than all findings.
 */
function superseded(perRule: readonly RuleFindings[]): Set<Finding> {
  const dropped = new Set<Finding>();
  const targets = new Set<string>();
  for (const group of perRule) {
    if (group.findings.length > 0) for (const id of group.rule.meta.supersedes ?? EMPTY) targets.add(id);
  }
  if (targets.size === 0) return dropped;
  // Rule id → primary ids (joined) → that rule's findings on them.
  const index = new Map<string, Map<string, Finding[]>>();
  for (const group of perRule) {
    const ruleId = group.rule.meta.id;
    if (group.findings.length === 0 || !targets.has(ruleId)) continue;
    const byPrimary = new Map<string, Finding[]>();
    index.set(ruleId, byPrimary);
    for (const f of group.findings) {
      const key = f.primary.join(',');
      const list = byPrimary.get(key);
      if (list) list.push(f);
      else byPrimary.set(key, [f]);
    }
  }
  for (const group of perRule) {
    const ids = group.rule.meta.supersedes;
    if (group.findings.length === 0 || !ids || ids.length === 0) continue;
    const found = ids.map((id) => index.get(id)).filter((t) => t !== undefined);
    for (const other of group.findings) {
      const key = other.primary.join(',');
      for (const byPrimary of found) {
        for (const f of byPrimary.get(key) ?? EMPTY) if (f !== other) dropped.add(f);
      }
    }
  }
  return dropped;
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
      if (run.length > 1) sortById(run);
      for (const f of run) findings[i++] = f;
      start = j;
    }
  }
}

/** Positions in a run are kept in the low bits of a sort key: runs up to this long use the keys. */
const INDEX_BITS = 2 ** 21;
/** Shorter runs are sorted by comparing ids. */
const KEYED_FROM = 64;

/**
 * Sorts findings by id, as `run.sort((a, b) => cmp(a.id, b.id))` would (stable, code-unit order), with
 * far fewer comparisons in JavaScript: ids are fingerprints, hex, whose first eight digits as a number
 * order them as their text does. Each finding's key is that number with its position below it, and the
 * keys are sorted natively as numbers (exact: 32 + 21 bits fit a double); findings whose first eight
 * digits are the same are then ordered by their whole ids. Runs of other ids are sorted by comparison.
 */
export function sortById(run: Finding[]): void {
  const n = run.length;
  const byId = (a: Finding, b: Finding) => cmp(a.id, b.id);
  if (n < KEYED_FROM || n >= INDEX_BITS) {
    run.sort(byId);
    return;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const prefix = hexPrefix((run[i] as Finding).id);
    if (prefix < 0) {
      run.sort(byId);
      return;
    }
    keys[i] = prefix * INDEX_BITS + i;
  }
  keys.sort();
  const order = new Array<Finding>(n);
  for (let i = 0; i < n; i++) order[i] = run[(keys[i] as number) % INDEX_BITS] as Finding;
  for (let i = 0; i < n; ) {
    const prefix = Math.floor((keys[i] as number) / INDEX_BITS);
    let j = i + 1;
    while (j < n && Math.floor((keys[j] as number) / INDEX_BITS) === prefix) j++;
    if (j - i > 1) {
      const same = order.slice(i, j).sort(byId);
      for (let k = i; k < j; k++) order[k] = same[k - i] as Finding;
    }
    i = j;
  }
  for (let i = 0; i < n; i++) run[i] = order[i] as Finding;
}

/** The first eight characters of an id as a hex number (lowercase digits only), or -1. */
function hexPrefix(id: string): number {
  if (id.length < 8) return -1;
  let v = 0;
  for (let k = 0; k < 8; k++) {
    const c = id.charCodeAt(k);
    if (c >= 48 && c <= 57) v = v * 16 + (c - 48);
    else if (c >= 97 && c <= 102) v = v * 16 + (c - 87);
    else return -1;
  }
  return v;
}

/** A finding's question ids, sorted, each question made once and recorded as asked. */
function questionsOf(
  unknowns: ReadonlyMap<string, { subject: string; attribute: string }>,
  view: View,
  modelQuestions: ReadonlyMap<string, { id: string; text: string }>,
  questionFor: Map<string, AnalysisQuestion>,
  asked: Map<string, AnalysisQuestion>,
): string[] {
  const ids: string[] = [];
  for (const [key, u] of unknowns) {
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
    ids.push(q.id);
  }
  return ids.length > 1 ? sortIds(ids) : ids;
}

/** Runs the catalogue over a View and returns the Analysis. */
export function analyze(view: View, rules: readonly Rule[], options: AnalyzeOptions = {}): Analysis {
  const perRule = runRules(view, rules);
  const dropped = superseded(perRule);

  const modelQuestions = new Map<string, { id: string; text: string }>();
  for (const q of view.model.questions) modelQuestions.set(questionId(q.subject, q.attribute), q);

  const findings: Finding[] = [];
  const asked = new Map<string, AnalysisQuestion>();
  // One question object per `<subject>#<attribute>`, however many findings raise it.
  const questionFor = new Map<string, AnalysisQuestion>();
  for (const group of perRule) {
    const { findings: list, states } = group;
    for (let i = 0; i < list.length; i++) {
      const f = list[i] as Finding;
      if (dropped.size > 0 && dropped.has(f)) continue;
      if (options.confirmedOnly && f.confidence === 'assumed') continue;
      const state = states[i];
      if (state !== undefined) {
        if (state.unknowns !== undefined)
          f.questions = questionsOf(state.unknowns, view, modelQuestions, questionFor, asked);
        if (state.merged) {
          // Later drafts added subjects unsorted, and may have raised the likelihood, impact or confidence.
          sortSubjects(f.subjects);
          f.severity = severityOf(f.likelihood, f.impact, f.confidence);
        }
      }
      findings.push(f);
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
