/**
 * Reading a what-if question into a structured change: "what if we encrypt the replication between
 * orders-db and orders-db-replica?", "suppose reporting-role only had read on orders-db", "what if api-gw
 * enforced input validation and cognito had mfa?". The question is split into clauses; each is matched
 * against the kinds of change the model supports, with elements from entity resolution. Every element
 * the question names must be part of the change, or the answer says what it could not read. A typo or an
 * ambiguous name is never applied: the answer asks which element was meant.
 */

import type { Env } from '../env.js';
import type { Entity } from '../resolve.js';
import { andList, normalizeQuestion } from '../text.js';
import {
  parseAgreement,
  parseAssumes,
  parseClassification,
  parseCredentials,
  parseExposure,
  parseFlags,
  parseReplicas,
  parseSecrets,
} from './attributes.js';
import type { Edit } from './change.js';
import {
  type Clause,
  type ClauseParser,
  clarify,
  isElementKind,
  type ParsedChange,
  unknown,
} from './clause.js';
import { parseAuthn, parseControls, parseEncryption } from './controls.js';
import { parseGrant } from './grants.js';
import { AUTHN_PHRASES, CONTROL_PHRASES, findPhrases } from './phrases.js';
import { parseAnswer, parseSet } from './set-value.js';
import { parseComponent, parseFlow } from './structure.js';

export type { ParsedChange } from './clause.js';

const LEAD =
  /^(?:and\s+|so\s+|ok(?:ay)?\s+|hmm+\s+|now\s+)?(?:wh?at\s+(?:would\s+|will\s+)?(?:happens?|changes?)?\s*(?:if|when)|wh?at if|what happens when|if|suppose(?:\s+that)?|supposing(?:\s+that)?|assume(?:\s+that)?|assuming(?:\s+that)?|imagine(?:\s+that)?|let'?s say(?:\s+that)?|say(?:\s+that)?|hypothetically(?:,)?(?:\s+if)?|pretend(?:\s+that)?|would it help (?:if|to)|does it help (?:if|to)|would it matter if|would that help if|what do (?:we|i) (?:gain|get) (?:if|by|from)|what would (?:we|i) (?:gain|get) (?:if|by|from)|how much (?:risk )?(?:goes away|would go away|disappears) (?:if|by|when)|simulate)\s*,?\s*/;
const SUBJECT =
  /^(?:we|i|you|they|the team|someone|somebody|ops|engineering|devs|developers)\s+(?:were\s+to\s+|would\s+|could\s+|did\s+|do\s+|will\s+|had\s+to\s+|went\s+ahead\s+and\s+|finally\s+|just\s+|also\s+|actually\s+|then\s+)*/;
const TAIL =
  /\s*(?:,?\s*(?:what|how)\s+(?:happens|changes|would change|would happen|then|would that do|does that do|about (?:the )?(?:risk|findings))|,?\s*would (?:it|that|this) help|,?\s*would anything change|,?\s*does (?:it|that) (?:help|matter)|,?\s*instead|,?\s*then)?\s*[?!.]*$/;

/** The change part of a what-if question, without its lead-in ("what if we ...") and tail. */
export function stripWhatIf(text: string): string {
  let t = normalizeQuestion(text).replace(/[?!.\s]+$/, '');
  const wouldVerb =
    /^(?:would|will|does|do|did|could|can|should)\s+(?:it\s+)?((?:adding|enabling|removing|turning|encrypting|narrowing|restricting|setting|making|switching|moving|dropping|revoking|deleting|using|putting|requiring|disabling|scaling|limiting|replacing|blocking|cutting|rotating|keeping|storing|reducing|tightening|changing|answering)\b.*?)(?:\s+(?:help|matter|change anything|fix (?:it|this|that|anything)|reduce (?:the )?risk|make a difference|do anything|resolve (?:it|anything)))?$/.exec(
      t,
    );
  if (wouldVerb) t = wouldVerb[1] as string;
  const whatVerb =
    /^what\s+(?:would|will|does|do)\s+((?:adding|enabling|removing|turning|encrypting|narrowing|setting|making|switching|moving|dropping|revoking|deleting|using|requiring|disabling)\b.*?)\s+(?:do|change|fix|resolve|give us|buy us)(?:\s+.*)?$/.exec(
      t,
    );
  if (whatVerb) t = whatVerb[1] as string;
  for (let i = 0; i < 3; i++) {
    const before = t;
    t = t.replace(LEAD, '').replace(SUBJECT, '').replace(TAIL, '').trim();
    if (t === before) break;
  }
  return t;
}

const CLAUSE_SPLIT =
  /\s*(?:;|,?\s+and\s+(?:also\s+)?(?:then\s+)?(?:we\s+|i\s+)?|,\s+(?:then\s+)?(?:we\s+|i\s+)?|\s+plus\s+)(?=(?:add|added|adding|remove|removed|removing|set|setting|make|made|making|turn|turned|enable|enabled|disable|disabled|encrypt|encrypted|encrypting|move|moved|moving|narrow|narrowed|restrict|restricted|revoke|revoked|drop|dropped|delete|deleted|put|use|used|using|switch|switched|require|required|scale|scaled|rotate|rotated|keep|kept|store|stored|limit|limited|give|gave|change|changed|clear|cleared|stop|stopped|cut|block|blocked|decommission|decommissioned|retire|retired|had|have|gave|create|created|introduce|introduced|enforce|enforced|implement|implemented|run|ran)\b)/;

/** Reads a what-if question into edits, or says why it cannot. */
export function parseChange(env: Env, question: string): ParsedChange {
  const body = stripWhatIf(question);
  if (body === '') return unknown('Say what to change.');
  // 1. Clauses that each start with a verb ("make cognito internal and add mfa to it").
  const byVerb = parseParts(env, body.split(CLAUSE_SPLIT), question);
  if (byVerb?.ok) return byVerb;
  // 2. The whole, when every element it names is part of the change.
  const whole = parseClause(env, body, question);
  const named = entitiesOf(env, body);
  if (whole.ok && covers(env, whole.edits, named) && usesEveryControl(body, whole.edits)) return whole;
  // 3. Any split on "and" and commas whose pieces each read as a change ("x used mtls and y had 2 replicas").
  const pieces = body
    .split(/\s*;\s*|\s*,?\s+and\s+(?:then\s+|also\s+)?|\s*,\s+(?:then\s+)?/)
    .filter((p) => p.trim() !== '');
  if (pieces.length >= 2) {
    const grouped = parseGrouped(env, pieces, question);
    if (grouped?.ok && covers(env, grouped.edits, named)) return grouped;
  }
  if (whole.ok) {
    const left = [
      ...named.filter((e) => !referenced(env, whole.edits).has(e.id)).map((e) => e.id),
      ...unusedControls(body, whole.edits),
    ];
    return clarify(
      `I can read only part of that as a change (${whole.edits.length} edit${whole.edits.length === 1 ? '' : 's'}${left.length > 0 ? `, leaving out ${andList(left)}` : ''}). Ask one change at a time, each naming its element.`,
      named,
    );
  }
  if (byVerb && !byVerb.ok && byVerb.kind === 'clarify' && whole.kind !== 'clarify') return byVerb;
  return whole;
}

/** Parses clauses in order, each carrying the elements of the one before ("... and give it mfa"). */
function parseParts(env: Env, parts: readonly string[], question: string): ParsedChange | undefined {
  const list = parts.filter((p) => p.trim() !== '');
  if (list.length < 2) return undefined;
  const edits: Edit[] = [];
  const notes: string[] = [];
  let last: Entity[] = [];
  for (const part of list) {
    const r = parseClause(env, part, question, last);
    if (!r.ok) return r;
    edits.push(...r.edits);
    notes.push(...r.notes);
    const named = entitiesOf(env, part);
    last = named.length > 0 ? named : r.edits.flatMap((e) => targetsOf(env, e));
  }
  return { ok: true, edits, notes };
}

/** Joins neighbouring pieces until each group reads as a change; undefined when some group never does. */
function parseGrouped(env: Env, pieces: readonly string[], question: string): ParsedChange | undefined {
  const edits: Edit[] = [];
  const notes: string[] = [];
  let last: Entity[] = [];
  let i = 0;
  while (i < pieces.length) {
    let done = false;
    for (let j = i + 1; j <= pieces.length; j++) {
      const joined = pieces.slice(i, j).join(' and ');
      // "cognito had 2 replicas and mfa": a piece without a verb takes "had" from the one before.
      const text = i > 0 && j === i + 1 && !VERB_START.test(joined) ? `had ${joined}` : joined;
      const r = parseClause(env, text, question, last);
      if (!r.ok) continue;
      const named = entitiesOf(env, text);
      if (!covers(env, r.edits, named)) continue;
      edits.push(...r.edits);
      notes.push(...r.notes);
      last = named.length > 0 ? named : r.edits.flatMap((e) => targetsOf(env, e));
      i = j;
      done = true;
      break;
    }
    if (!done) return undefined;
  }
  return { ok: true, edits, notes };
}

/** The element ids a change touches, with the ends of the flows it edits and the runners of identities. */
function referenced(env: Env, edits: readonly Edit[]): Set<string> {
  const out = new Set<string>();
  const addFlowEnds = (id: string) => {
    const f = env.view.flow(id);
    if (f) out.add(f.from.id).add(f.to.id);
  };
  for (const e of edits) {
    if ('element' in e) {
      out.add(e.element);
      addFlowEnds(e.element);
      for (const c of env.view.runningAs(e.element)) out.add(c.id);
      if (e.op === 'set' && typeof e.value === 'string') out.add(e.value);
      if (e.op === 'set' && Array.isArray(e.value))
        for (const v of e.value) if (typeof v === 'string') out.add(v);
    }
    if ('identity' in e) {
      out.add(e.identity).add(e.resource);
      for (const c of env.view.runningAs(e.identity)) out.add(c.id);
    }
    if (e.op === 'remove-flow') {
      out.add(e.flow);
      addFlowEnds(e.flow);
    }
    if (e.op === 'remove-component') out.add(e.component);
    if (e.op === 'add-flow') out.add(e.flow.from).add(e.flow.to);
    if (e.op === 'add-component' && e.component.in) out.add(e.component.in);
  }
  // Elements a flow edit touches through its data ("encrypt customer-pii in transit").
  for (const e of edits) {
    if ('element' in e) {
      const f = env.view.flow(e.element);
      if (f) for (const d of f.data) out.add(d.id);
      const c = env.view.component(e.element);
      if (c) for (const d of c.stores ?? []) out.add(d);
      const i = env.view.identityOf(e.element);
      if (i) out.add(i.id);
    }
  }
  return out;
}

const VERB_START =
  /^(?:add|added|remove|removed|set|make|made|turn|turned|enable|enabled|disable|disabled|encrypt|encrypted|move|moved|narrow|narrowed|restrict|restricted|revoke|revoked|drop|dropped|delete|deleted|put|use|used|switch|switched|require|required|scale|scaled|rotate|rotated|keep|kept|store|stored|limit|limited|give|gave|change|changed|clear|cleared|stop|stopped|had|has|have|ran|run|runs|enforce|enforced|implement|implemented|did|does|do|validated|validates|no|without|not|was|were|is|are|became|only)\b/;

/** Every control the text names is added or removed by the change ("... and mfa" is not dropped). */
function usesEveryControl(text: string, edits: readonly Edit[]): boolean {
  return unusedControls(text, edits).length === 0;
}

/** The controls a text names that no edit adds or removes ("password auth" names a method, not a control). */
function unusedControls(text: string, edits: readonly Edit[]): string[] {
  const values = new Set(
    edits.flatMap((e) => ('value' in e ? (Array.isArray(e.value) ? e.value : [e.value]) : [])),
  );
  let rest = text;
  for (const phrases of Object.values(AUTHN_PHRASES)) {
    for (const p of phrases)
      rest = rest.replace(
        new RegExp(`\\b${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:\\s+auth(?:entication)?)?\\b`, 'g'),
        ' ',
      );
  }
  return findPhrases(rest, CONTROL_PHRASES).filter((c) => !values.has(c));
}

/** Every element the text names is part of the change. */
function covers(env: Env, edits: readonly Edit[], named: readonly Entity[]): boolean {
  const ids = referenced(env, edits);
  return named.every((e) => ids.has(e.id));
}

/** The model elements a text names: generic one-word names only when nothing more specific is named. */
function entitiesOf(env: Env, text: string): Entity[] {
  const mentions = env.index.scan(text).mentions.filter((m) => isElementKind(m.entity.kind));
  const strong = mentions.filter((m) => !m.generic);
  const out: Entity[] = [];
  for (const m of strong.length > 0 ? strong : mentions) {
    if (!out.some((e) => e.id === m.entity.id && e.kind === m.entity.kind)) out.push(m.entity);
  }
  return out;
}

function targetsOf(env: Env, e: Edit): Entity[] {
  const id =
    'element' in e
      ? e.element
      : 'identity' in e
        ? e.identity
        : e.op === 'remove-flow'
          ? e.flow
          : e.op === 'remove-component'
            ? e.component
            : undefined;
  if (id === undefined) return [];
  const kind = env.view.kindOf(id);
  return kind ? [{ kind, id, label: env.view.label(id) }] : [];
}

/** Reads one clause. `carried` are the elements of the clause before, for "... and give it mfa". */
function parseClause(env: Env, text: string, raw: string, carried: Entity[] = []): ParsedChange {
  const scan = env.index.scan(text);
  if (scan.ambiguous.length > 0) {
    const a = scan.ambiguous[0] as (typeof scan.ambiguous)[number];
    return clarify(
      `"${a.text}" could name ${andList(
        a.candidates.map((c) => c.id),
        'or',
      )}. Which one should change? Ask again with its id.`,
      a.candidates,
    );
  }
  const typo = scan.mentions.find((m) => m.how === 'typo');
  if (typo) {
    return clarify(
      `There is no element "${typo.text}". Did you mean ${typo.entity.id}? Ask again with its id; a what-if never guesses.`,
      [typo.entity],
    );
  }
  const seen = new Set<string>();
  const elements: Entity[] = [];
  for (const m of scan.mentions) {
    if (!['component', 'flow', 'identity', 'data', 'boundary', 'question', 'finding'].includes(m.entity.kind))
      continue;
    const key = `${m.entity.kind}:${m.entity.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    elements.push(m.entity);
  }
  // Generic one-word names ("admin", "monitoring") count only when nothing more specific is named.
  const specific = elements.filter((e) => scan.mentions.some((m) => m.entity === e && !m.generic));
  const chosen = specific.length > 0 ? specific : elements.length > 0 ? elements : carried;
  // The names of the chosen elements are blanked out; a generic word passed over ("secrets" when the
  // model has a component of that name) stays a cue word.
  let bare = text;
  for (const m of [...scan.mentions].sort((a, b) => b.start - a.start)) {
    if (!chosen.includes(m.entity) && m.entity.kind !== 'question') continue;
    bare = bare.slice(0, m.start) + ' '.repeat(m.end - m.start) + bare.slice(m.end);
  }
  const clause: Clause = {
    text,
    raw,
    bare,
    mentions: scan.mentions.filter((m) => chosen.includes(m.entity) || !isElementKind(m.entity.kind)),
    elements: chosen,
  };
  if (clause.elements.length === 0 && scan.unresolved.length > 0) {
    const word = scan.unresolved[0] as string;
    return clarify(
      `There is no element '${word}' in the model. Name one of its ids (components, flows, identities, data, boundaries).`,
    );
  }
  for (const parse of PARSERS) {
    const r = parse(env, clause);
    if (r) return r;
  }
  return unknown(`I could not read a change in "${text}".`);
}

const PARSERS: readonly ClauseParser[] = [
  parseAnswer,
  parseSet,
  parseGrant,
  parseSecrets,
  parseAssumes,
  parseFlow,
  parseComponent,
  parseReplicas,
  parseCredentials,
  parseFlags,
  parseControls,
  parseEncryption,
  parseAuthn,
  parseExposure,
  parseClassification,
  parseAgreement,
];
