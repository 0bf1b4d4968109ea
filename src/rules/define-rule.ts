/**
 * The shape of a rule (DESIGN §4, a contract): metadata plus one pure generator over the View.
 * Rules report factors (likelihood, impact, confidence); only the engine decides severity.
 */
import type { FrameworkKey } from '../compliance/catalog.js';
import type { View } from '../model/view.js';

export const STRIDE = [
  'spoofing',
  'tampering',
  'repudiation',
  'information-disclosure',
  'denial-of-service',
  'elevation-of-privilege',
] as const;
export type Stride = (typeof STRIDE)[number];

export const LIKELIHOODS = ['unlikely', 'possible', 'likely', 'very-likely'] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

export const IMPACTS = ['low', 'medium', 'high', 'very-high'] as const;
export type Impact = (typeof IMPACTS)[number];

export type Confidence = 'confirmed' | 'assumed';

export interface Reference {
  title: string;
  url: string;
}

export interface RuleMeta {
  /** Kebab-case; the folder, the docs page and the SARIF ruleId use the same string. */
  id: string;
  title: string;
  /** One sentence: the risk, in plain words. */
  summary: string;
  /** STRIDE categories, the primary one first. */
  stride: readonly Stride[];
  cwe: readonly string[];
  capec: readonly string[];
  attack: readonly string[];
  compliance: Partial<Record<FrameworkKey, readonly string[]>>;
  /** Model fields (DESIGN §3 names) whose unknown value may give an assumed finding. */
  assumes: readonly string[];
  /** Rules whose finding on the same primary this rule's finding replaces. */
  supersedes?: readonly string[];
  /** How the rule decides, in prose (for docs). */
  detection: string;
  /** Why the likelihood and impact are what they are. */
  severityRationale: string;
  /** When a finding may be wrong, and what to do then. */
  falsePositives: string;
  references: readonly Reference[];
  /** Message templates by id; `{name}` placeholders are filled from a draft's `data`. */
  messages: Readonly<Record<string, string>>;
  /** Mitigation template naming the elements, with placeholders from the draft's `data`. */
  mitigation: string;
}

export interface Unknown {
  /** The element id (component, flow, identity, boundary, data). */
  subject: string;
  /** The DESIGN §3 field name that is unknown. */
  attribute: string;
}

export interface Draft {
  messageId: string;
  /** The root cause: the ids to fix. Non-empty; drives the fingerprint. */
  primary: readonly string[];
  /** Other affected elements (any kind); may grow without changing the fingerprint. */
  subjects?: readonly string[];
  data: Readonly<Record<string, string | number | undefined>>;
  likelihood: Likelihood;
  impact: Impact;
  confidence: Confidence;
  /** The model facts that triggered the rule, in plain words. */
  evidence: readonly string[];
  /** Unknown facts that made the finding assumed; each becomes a question. */
  unknowns?: readonly Unknown[];
}

export interface Rule {
  meta: RuleMeta;
  detect(view: View): Iterable<Draft>;
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names of a template. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** Fills `{name}` placeholders; an unfilled placeholder is a bug in the rule and throws. */
export function renderTemplate(
  template: string,
  data: Readonly<Record<string, string | number | undefined>>,
  where: string,
): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const v = data[name];
    if (v === undefined) throw new Error(`${where}: placeholder {${name}} has no value`);
    return String(v);
  });
}

/** Declares a rule; checks the metadata's shape once, when the catalogue is built. */
export function defineRule(rule: Rule): Rule {
  const m = rule.meta;
  const problems: string[] = [];
  if (!ID.test(m.id)) problems.push('id must be kebab-case');
  if (m.stride.length === 0) problems.push('stride must not be empty');
  if (Object.keys(m.messages).length === 0) problems.push('messages must not be empty');
  for (const s of m.stride) if (!STRIDE.includes(s)) problems.push(`unknown STRIDE category ${s}`);
  if (!m.title || !m.summary || !m.detection || !m.severityRationale || !m.falsePositives || !m.mitigation) {
    problems.push('title, summary, detection, severityRationale, falsePositives and mitigation are required');
  }
  if (problems.length > 0) throw new Error(`rule ${m.id}: ${problems.join('; ')}`);
  return Object.freeze(rule);
}
