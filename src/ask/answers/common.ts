/**
 * What the answers share: the question with what it names, the way findings, elements and paths are
 * written in an answer, and the answer shapes for "which one did you mean?" and "I cannot answer that".
 */
import type { AnalysisQuestion, Finding } from '../../engine/analysis.js';
import type { Classification } from '../../model/vocabulary.js';
import type { RuleMeta } from '../../rules/define-rule.js';
import type { Citer } from '../citations.js';
import { byAnalysisOrder, type Env } from '../env.js';
import { capabilityLines } from '../examples.js';
import type { Entity, Mention, Scan } from '../resolve.js';
import { andList, oneLine } from '../text.js';
import type { AskAnswer } from '../types.js';

export interface Question {
  raw: string;
  /** Normalised, closing punctuation removed. */
  text: string;
  scan: Scan;
  /** Model elements named, strong matches first-class: generic one-word names only when nothing else. */
  elements: Entity[];
  findings: Finding[];
  rules: RuleMeta[];
  questions: AnalysisQuestion[];
  /** Typos taken to mean an element, for a note at the top of the answer. */
  typos: Mention[];
  /** Data classifications named in words ("PHI", "card data", "personal data"). */
  classes: Classification[];
}

/** How people name data classifications. */
const CLASS_WORDS: readonly [Classification[], RegExp][] = [
  [
    ['phi'],
    /\bphi\b|\bephi\b|\bhealth (?:data|records?|information)\b|\bmedical (?:data|records?)\b|\bclinical data\b/,
  ],
  [
    ['pii'],
    /\bpii\b|\bpersonal (?:data|information)\b|\bpersonally identifiable\b|\bcustomer data\b|\buser data\b/,
  ],
  [['pii', 'phi'], /\bpatient (?:data|records|information)\b/],
  [['pci'], /\bcard(?:holder)? data\b|\bcardholder\b|\bpan\b|\bcredit cards?\b|\bpayment cards?\b/],
  [['credentials'], /\bcredentials\b|\bpasswords\b|\bsession tokens\b/],
  [['secret'], /\bsecrets\b|\bsecret keys?\b|\bapi keys\b/],
  [['financial'], /\bfinancial data\b|\bpayment data\b|\bmoney\b|\bfinancial records\b/],
  [
    ['financial', 'pii', 'phi', 'pci', 'credentials', 'secret'],
    /\bcrown[- ]jewels?\b|\bsensitive data\b|\bmost sensitive\b|\bvaluable data\b/,
  ],
];

/** The classifications a question names in words. */
export function classesIn(text: string): Classification[] {
  const out = new Set<Classification>();
  for (const [classes, re] of CLASS_WORDS) if (re.test(text)) for (const c of classes) out.add(c);
  return [...out];
}

const ELEMENT = new Set(['component', 'flow', 'data', 'identity', 'boundary']);

export function readQuestion(env: Env, raw: string, text: string): Question {
  const scan = env.index.scan(raw);
  const all = scan.mentions.filter((m) => ELEMENT.has(m.entity.kind));
  const strong = all.filter((m) => !m.generic);
  const chosen = strong.length > 0 ? strong : all;
  const elements: Entity[] = [];
  for (const m of chosen) if (!elements.some((e) => e.id === m.entity.id)) elements.push(m.entity);
  const findings: Finding[] = [];
  for (const m of scan.mentions) {
    if (m.entity.kind !== 'finding') continue;
    const f = env.findingById.get(m.entity.id);
    if (f && !findings.includes(f)) findings.push(f);
  }
  const rules: RuleMeta[] = [];
  for (const m of scan.mentions) {
    if (m.entity.kind !== 'rule') continue;
    const r = env.rules.get(m.entity.id);
    if (r && !rules.includes(r)) rules.push(r);
  }
  const questions: AnalysisQuestion[] = [];
  for (const m of scan.mentions) {
    if (m.entity.kind !== 'question') continue;
    const q = env.analysis.questions.find((x) => x.id === m.entity.id);
    if (q && !questions.includes(q)) questions.push(q);
  }
  return {
    raw,
    text,
    scan,
    elements,
    findings,
    rules,
    questions,
    typos: scan.mentions.filter((m) => m.how === 'typo'),
    classes: classesIn(text),
  };
}

/** "orders-db (Orders database (primary))", or just the id when it has no other name. */
export function ref(env: Env, id: string): string {
  const label = env.view.label(id);
  return label === id ? id : `${id} (${label})`;
}

/** The kind of an element in words. */
export function kindWord(env: Env, id: string): string {
  const kind = env.view.kindOf(id);
  if (kind === 'component') return env.view.component(id)?.kind ?? 'component';
  if (kind === 'data') return 'data asset';
  return kind ?? 'element';
}

/** A finding on one line: "critical [rule] message (finding id, confirmed, accepted)". */
export function findingLine(f: Finding): string {
  const tags: string[] = [f.confidence];
  if (f.status !== 'open') {
    tags.push(
      f.status === 'accepted' && f.decision?.expires ? `accepted until ${f.decision.expires}` : f.status,
    );
  } else if (f.decision?.expired) tags.push(`acceptance expired ${f.decision.expires ?? ''}`.trim());
  return `${f.severity} [${f.ruleId}] ${oneLine(f.message)} (finding ${f.id}, ${tags.join(', ')})`;
}

/** Lists findings as bullet lines, at most `max`, citing each. */
export function findingList(findings: readonly Finding[], cite: Citer, max = 8): string[] {
  const sorted = [...findings].sort(byAnalysisOrder);
  const out = sorted.slice(0, max).map((f) => {
    cite.finding(f);
    return `- ${findingLine(f)}`;
  });
  if (sorted.length > max)
    out.push(`- ... and ${sorted.length - max} more (${andList(sortedRest(sorted.slice(max)))}).`);
  return out;
}

function sortedRest(rest: readonly Finding[]): string[] {
  const byRule = new Map<string, number>();
  for (const f of rest) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  return [...byRule.entries()].map(([r, n]) => `${n} ${r}`);
}

/** A chain of components along flow hops: "shopper → cdn → waf". */
export function pathText(env: Env, source: string, hops: readonly string[]): string {
  const nodes = [source, ...hops.map((h) => env.view.flow(h)?.to.id ?? h)];
  return nodes.join(' → ');
}

export function answer(
  kind: AskAnswer['kind'],
  lines: readonly string[],
  cite: Citer,
  extra: Partial<Pick<AskAnswer, 'whatIf'>> = {},
): AskAnswer {
  const text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { kind, answer: text, citations: cite.build(), ...extra };
}

/** "Did you mean a or b?" for a name that fits several elements. */
export function clarifyAmbiguous(
  env: Env,
  text: string,
  candidates: readonly Entity[],
  lead?: string,
): AskAnswer {
  const cite = env.citer();
  const names = candidates.map((c) => {
    if (ELEMENT.has(c.kind)) cite.element(c.id);
    if (c.kind === 'rule') cite.rule(c.id);
    const label = c.label !== c.id && c.kind !== 'rule' && c.kind !== 'question' ? ` (${c.label})` : '';
    return `${c.id}${label}`;
  });
  const head = lead ?? `"${text}" fits more than one element.`;
  return answer('clarify', [`${head} Did you mean ${andList(names, 'or')}?`], cite);
}

/** Notes for names read with a typo forgiven. */
export function typoNotes(q: Question): string[] {
  return q.typos
    .filter((t) => ELEMENT.has(t.entity.kind) || t.entity.kind === 'rule')
    .map((t) => `(Reading "${t.text}" as ${t.entity.id}.)`);
}

export function capabilities(env: Env, lead: string): AskAnswer {
  const cite = env.citer();
  const lines = capabilityLines(env);
  citeIdsIn(env, cite, lines);
  return answer(
    'unknown',
    [lead, '', 'I can answer questions like these:', ...lines.map((c) => `- ${c}`)],
    cite,
  );
}

/** Cites the element, finding and rule ids that example lines use. */
export function citeIdsIn(env: Env, cite: Citer, lines: readonly string[]): void {
  for (const line of lines) {
    for (const m of line.matchAll(/[A-Za-z0-9][A-Za-z0-9._:/@>-]*/g)) {
      const w = m[0].replace(/[.:]+$/, '');
      if (env.view.kindOf(w) !== undefined) cite.element(w);
      const f = env.findingById.get(w);
      if (f) cite.finding(f, false);
    }
  }
}
