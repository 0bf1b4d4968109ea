/**
 * Id checking for `ask --llm` (issue 8): every id an LLM reply mentions must exist in the model, the
 * analysis or the catalogue before the reply is shown. The index knows the ids that exist; `checkIds`
 * finds the ids a reply claims and splits them into the cited (existing) and the unknown.
 *
 * What counts as a claimed id:
 * - anything in `backticks` that is shaped like an id (the system prompt asks for backticks around ids
 *   and nothing else), unless it is a term of the model's vocabulary or a value written in the model
 *   (`none`, `https`, `aws-cloudfront`, `encrypted-at-rest`, ...);
 * - outside backticks, only tokens that cannot be ordinary prose: 16-hex-digit fingerprints, flow
 *   references `a->b`, control ids with a distinctive shape (`CWE-319`, `SC-8`, `A.8.24`, `CC6.1`,
 *   `V8.2.1`, `164.312(e)(1)`, `T1190`, and PCI's bare `4.2.1` only after "PCI" or "requirement"), and
 *   kebab-case tokens that are near misses of a real rule or element id or are called a "rule". Other
 *   hyphenated words (`man-in-the-middle`, `third-party`, `end-to-end`) are ordinary English and ignored.
 */
import { FRAMEWORK_KEYS, ID_PATTERNS } from '../compliance/catalog.js';
import type { AnalysisQuestion, Finding } from '../engine/analysis.js';
import { SEVERITIES } from '../engine/severity.js';
import { editDistance } from '../model/diagnostics.js';
import { ENCRYPTED_PROTOCOLS, PLAINTEXT_PROTOCOLS } from '../model/protocols.js';
import * as vocabulary from '../model/vocabulary.js';
import { ELEMENT_REF_PATTERN, ID_PATTERN } from '../model/vocabulary.js';
import { CATALOGUE } from '../rules/catalog/index.js';
import { IMPACTS, LIKELIHOODS, type RuleMeta, STRIDE } from '../rules/define-rule.js';
import type { AskContext } from './types.js';

/** The ids that exist, for one AskContext. */
export interface IdIndex {
  findings: ReadonlyMap<string, Finding>;
  /**
   * Finding ids of other analyses that a tool result presented (a what-if's new findings): they exist
   * for the answer once a tool gave them. Filled during a conversation.
   */
  foreignFindings: Set<string>;
  rules: ReadonlyMap<string, RuleMeta>;
  /** Every element id, written or (for flows) derived `<from>-><to>`, to its canonical id. */
  elements: ReadonlyMap<string, string>;
  /** Derived flow ids `<from>-><to>` that more than one flow joins, to all their ids. */
  sameEnds: ReadonlyMap<string, readonly string[]>;
  questions: ReadonlyMap<string, AnalysisQuestion>;
  /** Compliance control, CWE, CAPEC and ATT&CK ids that a rule or finding maps to. */
  controls: ReadonlySet<string>;
  /** Words that are not ids (vocabulary, model field names and values), lower-case. */
  terms: ReadonlySet<string>;
}

export interface IdCheck {
  findings: string[];
  elements: string[];
  rules: string[];
  controls: string[];
  questions: string[];
  /** Claimed ids that do not exist, in order of first appearance. */
  unknown: string[];
}

/** Extra words a reply may put in backticks that are not ids (tool names and the like). */
const EXTRA_TERMS = [
  'true',
  'false',
  'unknown',
  'open',
  'confirmed',
  'assumed',
  'null',
  'yes',
  'no',
  'primary',
  'subjects',
  'evidence',
  'mitigation',
  'compliance',
  'severity',
  'likelihood',
  'impact',
  'confidence',
  'status',
  'stride',
  'cwe',
  'capec',
  'attack',
  'threatkrew',
  'id',
  'ids',
];

export function buildIdIndex(ctx: AskContext, extraTerms: readonly string[] = []): IdIndex {
  const { analysis } = ctx;
  const view = analysis.view;
  const findings = new Map(analysis.findings.map((f) => [f.id, f] as const));
  const rules = new Map(CATALOGUE.map((r) => [r.meta.id, r.meta] as const));
  const elements = new Map<string, string>();
  for (const list of [view.components, view.boundaries, view.identities, view.data]) {
    for (const e of list) elements.set(e.id, e.id);
  }
  for (const f of view.flows) elements.set(f.id, f.id);
  // A flow may also be named by its derived id; where two flows join the same ends, the first id wins.
  const byEnds = [...view.flows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ends = new Map<string, string[]>();
  for (const f of byEnds) {
    const derived = `${f.from.id}->${f.to.id}`;
    if (!elements.has(derived)) elements.set(derived, f.id);
    ends.set(derived, [...(ends.get(derived) ?? []), f.id]);
  }
  const sameEnds = new Map([...ends].filter(([, ids]) => ids.length > 1));
  const questions = new Map(analysis.questions.map((q) => [q.id, q] as const));
  const controls = new Set<string>();
  const addMapped = (m: {
    cwe: readonly string[];
    capec: readonly string[];
    attack: readonly string[];
    compliance: Partial<Record<string, readonly string[]>>;
  }) => {
    for (const id of [...m.cwe, ...m.capec, ...m.attack]) controls.add(id);
    for (const ids of Object.values(m.compliance)) for (const id of ids ?? []) controls.add(id);
  };
  for (const r of CATALOGUE) addMapped(r.meta);
  for (const f of analysis.findings) addMapped(f);

  const terms = new Set<string>();
  const addTerm = (t: string) => terms.add(t.toLowerCase());
  for (const v of Object.values(vocabulary)) {
    if (Array.isArray(v)) for (const t of v) if (typeof t === 'string') addTerm(t);
  }
  for (const t of [
    ...SEVERITIES,
    ...LIKELIHOODS,
    ...IMPACTS,
    ...STRIDE,
    ...FRAMEWORK_KEYS,
    ...ENCRYPTED_PROTOCOLS,
    ...PLAINTEXT_PROTOCOLS,
    ...EXTRA_TERMS,
    ...extraTerms,
  ]) {
    addTerm(t);
  }
  for (const q of analysis.questions) addTerm(q.attribute);
  collectWords(ctx.loaded.model, addTerm);
  // Ids are checked before terms, so a term never hides a real id; but a written value that happens to
  // look like an id (a `tech`, a `scope` entry) is a value, not a claim.
  return { findings, foreignFindings: new Set(), rules, elements, sameEnds, questions, controls, terms };
}

/** Every key and short string value of a JSON-like value. */
function collectWords(value: unknown, add: (t: string) => void, depth = 0): void {
  if (depth > 12) return;
  if (typeof value === 'string') {
    if (value.length <= 128 && !/\s/.test(value)) add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectWords(v, add, depth + 1);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // Risk decisions may name findings that no longer exist: those are not words.
      if (k === 'source' || k === 'description' || k === 'name' || k === 'risks') continue;
      add(k);
      collectWords(v, add, depth + 1);
    }
  }
}

const hasFinding = (index: IdIndex, id: string) => index.findings.has(id) || index.foreignFindings.has(id);

const HEX16 = /^[0-9a-f]{16}$/;
const HEXISH = /^[0-9a-f]{6,64}$/;
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;
/** The control families of NIST SP 800-53 rev5: `PR-12` or `US-1` in prose is not a NIST control. */
const NIST_FAMILIES = new Set('AC AT AU CA CM CP IA IR MA MP PE PL PM PS PT RA SA SC SI SR'.split(' '));
const NIST = {
  test: (t: string) => ID_PATTERNS['nist-800-53'].test(t) && NIST_FAMILIES.has(t.slice(0, 2)),
};
/** Control ids whose shape cannot be ordinary prose (PCI's bare dotted numbers are not among them). */
const DISTINCTIVE_CONTROL = [
  NIST,
  ID_PATTERNS['iso-27001-2022'],
  ID_PATTERNS.soc2,
  ID_PATTERNS['owasp-asvs-5'],
  ID_PATTERNS.hipaa,
  ID_PATTERNS.cwe,
  ID_PATTERNS.capec,
  ID_PATTERNS.attack,
];
const PCI = ID_PATTERNS['pci-dss-4'];
const PCI_CUE = /\b(?:pci|requirements?|req)\b\.?[^.\n]{0,40}$/i;

interface Found {
  findings: Set<string>;
  elements: Set<string>;
  rules: Set<string>;
  controls: Set<string>;
  questions: Set<string>;
  unknown: string[];
}

/** Finds the ids a reply claims; see the module comment for what counts as a claim. */
export function checkIds(text: string, index: IdIndex): IdCheck {
  const found: Found = {
    findings: new Set(),
    elements: new Set(),
    rules: new Set(),
    controls: new Set(),
    questions: new Set(),
    unknown: [],
  };
  const unknown = (t: string) => {
    if (!found.unknown.includes(t)) found.unknown.push(t);
  };
  // Fenced code blocks are examples (a YAML fix, a command); only fingerprints in them are checked.
  const prose = text.replace(/```[\s\S]*?(?:```|$)/g, (block) => {
    for (const m of block.matchAll(/(?<![0-9A-Za-z])[0-9a-f]{16}(?![0-9A-Za-z])/g)) {
      if (hasFinding(index, m[0])) found.findings.add(m[0]);
      else unknown(m[0]);
    }
    return ' '.repeat(block.length);
  });
  const outside = prose.replace(/`([^`\n]+)`/g, (span, inner: string) => {
    checkBackticked(inner, index, found, unknown);
    return ' '.repeat(span.length);
  });
  for (const m of outside.matchAll(/[A-Za-z0-9][A-Za-z0-9._:/@#()>-]*/g)) {
    const token = trimToken(m[0]);
    if (token === '') continue;
    const before = outside.slice(Math.max(0, m.index - 60), m.index);
    const after = outside.slice(m.index + m[0].length, m.index + m[0].length + 30);
    checkBare(token, before, after, index, found, unknown);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    findings: sorted(found.findings),
    elements: sorted(found.elements),
    rules: sorted(found.rules),
    controls: sorted(found.controls),
    questions: sorted(found.questions),
    unknown: found.unknown,
  };
}

/** Drops sentence punctuation around a token, keeping balanced parentheses (`164.312(e)(1)`). */
function trimToken(raw: string): string {
  let t = raw;
  for (;;) {
    const before = t;
    t = t.replace(/[.:,;@/#-]+$/, '');
    if (t.endsWith(')') && count(t, '(') < count(t, ')')) t = t.slice(0, -1);
    if (t.startsWith('(') && count(t, '(') > count(t, ')')) t = t.slice(1);
    if (t === before) return t;
  }
}

const count = (s: string, c: string) => s.split(c).length - 1;

/** Marks a known id as cited; false when the token names nothing. */
function cite(token: string, index: IdIndex, found: Found): boolean {
  if (hasFinding(index, token)) {
    found.findings.add(token);
    return true;
  }
  if (index.rules.has(token)) {
    found.rules.add(token);
    return true;
  }
  const element = index.elements.get(token);
  if (element !== undefined) {
    for (const id of index.sameEnds.get(token) ?? [element]) found.elements.add(id);
    return true;
  }
  if (index.questions.has(token)) {
    found.questions.add(token);
    const subject = index.questions.get(token)?.subject ?? '';
    found.elements.add(index.elements.get(subject) ?? subject);
    return true;
  }
  if (index.controls.has(token)) {
    found.controls.add(token);
    return true;
  }
  return false;
}

/** A chain `a->b->c` (a path): every hop must be a flow. */
function checkChain(token: string, index: IdIndex, found: Found, unknown: (t: string) => void): void {
  const parts = token.split('->');
  for (let i = 0; i + 1 < parts.length; i++) {
    const hop = `${parts[i]}->${parts[i + 1]}`;
    const flow = index.elements.get(hop);
    if (flow !== undefined) {
      for (const id of index.sameEnds.get(hop) ?? [flow]) found.elements.add(id);
      found.elements.add(parts[i] as string);
      found.elements.add(parts[i + 1] as string);
    } else unknown(hop);
  }
}

function checkBackticked(raw: string, index: IdIndex, found: Found, unknown: (t: string) => void): void {
  const token = raw.trim().replace(/\s*(?:->|→)\s*/g, '->');
  if (token === '' || /\s/.test(token)) return;
  if (cite(token, index, found)) return;
  if (token.includes('->') && token.split('->').every((p) => ID_PATTERN.test(p))) {
    checkChain(token, index, found, unknown);
    return;
  }
  if (index.terms.has(token.toLowerCase())) return;
  const hash = token.indexOf('#');
  if (hash > 0) {
    // `<element>#<field>` names a field of a real element: not an open question, but not made up.
    const subject = index.elements.get(token.slice(0, hash));
    if (subject !== undefined && index.terms.has(token.slice(hash + 1).toLowerCase())) {
      found.elements.add(subject);
      return;
    }
    unknown(token);
    return;
  }
  const claimed =
    HEX16.test(token) ||
    (HEXISH.test(token) && /\d/.test(token) && /[a-f]/.test(token)) ||
    DISTINCTIVE_CONTROL.some((p) => p.test(token)) ||
    PCI.test(token) ||
    // A plain number (a port, a count) has no letter and is no element id.
    (ELEMENT_REF_PATTERN.test(token) && /[A-Za-z]/.test(token));
  if (claimed) unknown(token);
}

function checkBare(
  token: string,
  before: string,
  after: string,
  index: IdIndex,
  found: Found,
  unknown: (t: string) => void,
): void {
  if (HEX16.test(token)) {
    if (hasFinding(index, token)) found.findings.add(token);
    else unknown(token);
    return;
  }
  if (token.includes('->')) {
    if (cite(token, index, found)) return;
    if (token.split('->').every((p) => ID_PATTERN.test(p) && p !== ''))
      checkChain(token, index, found, unknown);
    return;
  }
  // Plain words that happen to be element ids (`cart`, `admin`) are not citations unless backticked.
  const distinctive = /[^A-Za-z]/.test(token);
  if (distinctive && cite(token, index, found)) return;
  if (token.includes('/') && !token.includes('://')) {
    // `AC-3/AC-6`, `SC-8/SC-13`: each part on its own.
    for (const part of token.split('/')) {
      const t = trimToken(part);
      if (t !== '') checkBare(t, before, after, index, found, unknown);
    }
    return;
  }
  if (DISTINCTIVE_CONTROL.some((p) => p.test(token))) {
    if (!index.controls.has(token)) unknown(token);
    return;
  }
  if (PCI.test(token)) {
    if (PCI_CUE.test(before)) {
      if (index.controls.has(token)) found.controls.add(token);
      else unknown(token);
    }
    return;
  }
  if (KEBAB.test(token) && !index.terms.has(token) && looksLikeMadeUpId(token, before, after, index)) {
    unknown(token);
  }
}

/**
 * The false-positive guard for bare kebab-case words: one counts as a claimed id only when prose calls it
 * a rule ("the foo-bar rule", "rule foo-bar") or when it is a near miss of a real rule id or of a
 * hyphenated element id (a typo or a hallucinated variant), never merely for being hyphenated.
 */
function looksLikeMadeUpId(token: string, before: string, after: string, index: IdIndex): boolean {
  if (/\brule\s*:?\s*$/i.test(before) || /^\s*rules?\b/i.test(after)) return true;
  const ruleLimit = Math.max(2, Math.floor(token.length / 5));
  for (const id of index.rules.keys()) if (editDistance(token, id, ruleLimit) <= ruleLimit) return true;
  if (token.length >= 6) {
    for (const id of index.elements.keys()) {
      if (id.includes('-') && !id.includes('>') && editDistance(token, id, 1) <= 1) return true;
    }
  }
  return false;
}
