/**
 * Plain-text helpers for questions and answers: normalising a question, splitting it into canonical
 * tokens (so "the orders databases" and "orders-db" meet), and writing lists the same way every time.
 */

/** Lower case, typographic quotes and dashes made plain, arrows written `->`, spaces collapsed. */
export function normalizeQuestion(q: string): string {
  return q
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201b\u2032`]/g, "'")
    .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2013]/g, '-')
    .replace(/\u2014/g, ' - ')
    .replace(/\s*(?:\u2192|=>|-->)\s*/g, '->')
    .replace(/(\S)\s+->\s+(\S)/g, '$1->$2')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Words people use for the same thing, mapped to one spelling (applied after plural stripping). */
const SYNONYMS: Readonly<Record<string, string>> = {
  database: 'db',
  databse: 'db',
  svc: 'service',
  gw: 'gateway',
  k8: 'kubernetes',
  k8s: 'kubernetes',
  repo: 'repository',
  msg: 'message',
  cfg: 'config',
  configuration: 'config',
  auth: 'authentication',
  authn: 'authentication',
  authz: 'authorization',
  authorisation: 'authorization',
  app: 'application',
  creds: 'credential',
  pw: 'password',
  passwd: 'password',
  lambda: 'function',
  fn: 'function',
  postgresql: 'postgres',
  pg: 'postgres',
};

/** Strips a plural ending, so both sides of a comparison meet ("orders" and "order"). */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** One word in its canonical spelling. */
export function canonical(word: string): string {
  const w = singular(word.toLowerCase());
  return SYNONYMS[w] ?? SYNONYMS[word.toLowerCase()] ?? w;
}

/** Words that never name anything on their own, left out when names are matched. */
export const FILLER: ReadonlySet<string> = new Set([
  'the',
  'a',
  'an',
  'our',
  'my',
  'your',
  'their',
  'its',
  'this',
  'that',
  'these',
  'those',
]);

export interface Token {
  /** Canonical form. */
  word: string;
  /** As written (lower case). */
  raw: string;
  /** Character offsets in the normalised question. */
  start: number;
  end: number;
}

/** Canonical word tokens of a normalised text, filler words left out. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[a-z0-9]+/g)) {
    const raw = m[0];
    const start = m.index ?? 0;
    // "orders-db's": the possessive s is not a word.
    if (raw === 's' && text[start - 1] === "'") continue;
    if (FILLER.has(raw)) continue;
    out.push({ word: canonical(raw), raw, start, end: start + raw.length });
  }
  return out;
}

/** Canonical tokens of a name or id. */
export function keyTokens(text: string): string[] {
  return tokenize(text.toLowerCase()).map((t) => t.word);
}

/**
 * Everyday words that must never be read as a mistyped element name (the fuzzy match skips them). Any
 * word that is part of an element's own name is added per model.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `what which why when where who whom whose how does do did done doing is are was were be been being am
  if then than else would could should might must will shall can may not no nor yes and or but so to from
  into onto in on at of off for with without within by about above below over under between through via
  across after before again further once here there all any both each few more most other some such only
  own same too very just also now ever even still yet ago away back rather quite really please thanks thank
  tell show give list explain describe summarize summarise summary overview define meaning mean means
  threat threats threaten threatens risk risks risky riskiest severe severity critical high medium low info
  likely likelihood impact rated rating ranked score scored finding findings issue issues problem problems
  fix fixes fixed fixing first next priority priorities prioritize prioritise start begin worst biggest
  top most important urgent attack attacker attackers path paths route routes reach reachable reaches
  internet public private internal exposed exposure expose happen happens change changes changed add added
  adding remove removed removing set setting make made making turn turned enable enabled disable disabled
  encrypt encrypted encryption unencrypted decrypt tls ssl https http mtls plain plaintext clear text
  control controls recommended recommend recommendation recommends suggest suggested need needed needs
  require required requires mitigation mitigations mitigate mitigated accept accepted flow flows
  component components service services data asset assets boundary boundaries identity identities role
  roles grant grants permission permissions access admin read write delete question questions answer
  answers answering unknown unknowns open closed compliance framework frameworks control controls pci dss
  nist iso soc hipaa asvs owasp cwe capec mitre stride spoofing tampering repudiation disclosure denial
  elevation privilege privileges secure security safe unsafe bad good okay ok wrong right model system
  architecture design team we us our you your they them it its this that these those one two three four
  five six seven eight nine ten database databases store stores stored storing storage secret secrets
  credential credentials password passwords key keys token tokens user users customer customers call calls
  called calling talk talks send sends sent receive protect protected protection assume assumed assumes
  assumption confirmed confirm rule rules reason reasons because since why rationale justify evidence
  mfa waf replicas replica replication backup backups monitoring logging audit logs log validation input
  output rate limit limiting limits authentication authorization network networks policy sandbox signing
  approval filtering termination allowlist`.split(/\s+/),
);

/** Joins words as "a, b and c". */
export function andList(items: readonly string[], conj = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}

/** "1 finding", "3 findings". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The first sentence of a text (up to ". " or "; "), for short lists. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const m = /^(.*?[.;])(?:\s|$)/.exec(flat);
  const s = m?.[1] ?? flat;
  return s.endsWith(';') ? `${s.slice(0, -1)}.` : s;
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Collapses whitespace, so answers never carry a model's line breaks. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
