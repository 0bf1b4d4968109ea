/**
 * Mentions: the components, boundaries, data and identities a sentence names, found by reading its noun
 * phrases ("a PostgreSQL database called orders-db", "the Orders service", "customers", "the prod VPC",
 * "customer PII") and resolving pronouns and definite nouns to what was said before ("it", "both",
 * "the database").
 */
import type { BoundaryKind, ComponentKind } from '../../model/vocabulary.js';
import { type Context, touch } from './context.js';
import { DATA_KINDS, DATA_OWNERS } from './data-kinds.js';
import type { DraftBoundary, DraftComponent, DraftData, DraftIdentity } from './draft.js';
import { BOUNDARY_INDEX, KIND_INDEX, TECH_INDEX, type TechMatchValue, USER_INDEX } from './indexes.js';
import { DISPLAY_NAMES } from './lexicon.js';
import { capitalise, isIdLike, nameKey, singular, slug } from './names.js';
import { type Token, tokenize as tokenizeName } from './tokens.js';
import { isVerbWord } from './verbs.js';
import {
  COREFERENCE_KINDS,
  CREDENTIAL_NOUNS,
  DETERMINERS,
  EXTERNAL_HEADS,
  EXTERNAL_MARKERS,
  GENERIC_HEADS,
  PHRASE_BREAKS,
  USER_MODIFIER_STOP,
} from './words.js';

export interface ComponentMention {
  type: 'component';
  start: number;
  end: number;
  comps: DraftComponent[];
  pronoun: boolean;
  possessive: boolean;
  /** "all services", "everything": resolved when the whole text is read. */
  quantifier?: 'services' | 'everything';
  /** A capitalised name not known yet: becomes a component only when a relation uses it. */
  pending?: string;
  /** Named in passing ("Okta tokens"): not the subject or object of a relation. */
  incidental?: boolean;
}

export interface BoundaryMention {
  type: 'boundary';
  start: number;
  end: number;
  boundary: DraftBoundary;
}

export interface DataMention {
  type: 'data';
  start: number;
  end: number;
  data: DraftData;
}

export interface IdentityMention {
  type: 'identity';
  start: number;
  end: number;
  identity: DraftIdentity;
}

export type Mention = ComponentMention | BoundaryMention | DataMention | IdentityMention;

/** Adjectives that describe a component without naming it ("the new internal service"). */
const ADJECTIVES = new Set([
  'new',
  'old',
  'legacy',
  'main',
  'central',
  'separate',
  'single',
  'shared',
  'small',
  'own',
  'existing',
  'managed',
  'self-managed',
  'self-hosted',
  'hosted',
  'serverless',
  'containerised',
  'containerized',
  'internal',
  'external',
  'public',
  'private',
  'primary',
  'secondary',
  'second',
  'first',
  'dedicated',
  'simple',
  'static',
  'whole',
  'entire',
  'same',
  'other',
  'corporate',
  'default',
  'nightly',
  'hourly',
  'daily',
  'weekly',
  'multi-tenant',
  'single-tenant',
  'cloud',
  'standard',
  'classic',
  'regional',
  'global',
  'production',
  'prod',
  'staging',
  'dev',
  'development',
  'test',
  'local',
  'remote',
  'hot',
  'cold',
  'big',
  'large',
  'tiny',
  'stateless',
  'stateful',
  'open',
  'native',
]);
const ENVIRONMENTS = new Map([
  ['production', 'production'],
  ['prod', 'production'],
  ['staging', 'staging'],
  ['stage', 'staging'],
  ['dev', 'development'],
  ['development', 'development'],
  ['test', 'test'],
  ['qa', 'qa'],
  ['sandbox', 'sandbox'],
]);

/** Capitalised words that are never a component's name: protocols, formats, acronyms of facts. */
const NOT_NAMES = new Set([
  'https',
  'http',
  'tls',
  'ssl',
  'mtls',
  'grpc',
  'grpcs',
  'sftp',
  'ftp',
  'ftps',
  'amqp',
  'amqps',
  'mqtt',
  'mqtts',
  'ldap',
  'ldaps',
  'jwt',
  'jwts',
  'oauth',
  'oauth2',
  'oidc',
  'saml',
  'iam',
  'api',
  'apis',
  'json',
  'csv',
  'xml',
  'yaml',
  'pii',
  'phi',
  'pci',
  'vpn',
  'dns',
  'tcp',
  'udp',
  'ssh',
  'sql',
  'rest',
  'soap',
  'kms',
  'ip',
  'url',
  'urls',
  'sso',
  'mfa',
  '2fa',
  'tds',
  'jdbc',
  'smtp',
  'http/2',
  'websocket',
  'websockets',
  'cors',
  'csrf',
  'xss',
  'ssrf',
  'rbac',
  'acl',
  'sla',
  'slo',
  'rpo',
  'rto',
  'dr',
  'ha',
  'ci',
  'cd',
  'ci/cd',
  'q',
  'a',
  'i',
  'we',
  'status',
  'owner',
  'summary',
  'details',
  'context',
  'decision',
  'consequences',
  'steps',
  'note',
  'notes',
  'todo',
  'tbd',
  'yes',
  'no',
  'ok',
  'acceptance',
  'criteria',
  'nightly',
  'plaintext',
  'tde',
  'sse',
  'sse-kms',
  'aes',
  'rsa',
  'gdpr',
  'hipaa',
  'soc',
  'iso',
  'nist',
  'owasp',
  'cve',
  'sdk',
  'cli',
  'ui',
  'ux',
  'id',
  'ids',
  'uuid',
  'utc',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'every',
  'backups',
  'everything',
  'all',
  'both',
  'each',
  'today',
  'tomorrow',
  'security',
  'data',
  'edge',
  'services',
  'reporting',
  'auth',
  'sms',
  'email',
  'e-mail',
  'push',
  'html',
  'pdf',
  'pdfs',
  'parquet',
  'avro',
  'protobuf',
  'graphql',
  'tls1.2',
  'aws',
  'azure',
  'gcp',
  'google',
  'microsoft',
  'amazon',
  'vpc',
  'vnet',
]);

/** Lexicon terms that name a kind of thing rather than a product ("the load balancer", "the CDN"). */
const GENERIC_TERMS = new Set([
  'load balancer',
  'cdn',
  'waf',
  'web application firewall',
  'api gateway',
  'reverse proxy',
  'message queue',
  'message broker',
  'identity provider',
  'idp',
  'sso',
  'secret store',
  'secrets manager',
  'data warehouse',
  'data lake',
  'vector database',
  'vector store',
  'language model',
  'llm',
  'control plane',
  'ci pipeline',
  'ci/cd pipeline',
  'deploy pipeline',
  'ci server',
  'siem',
  'file share',
  'sftp server',
  'ftp server',
  'mqtt broker',
  'partner api',
  'bank api',
  'self-hosted llm',
  'local llm',
  'git repository',
  'monorepo',
  'npm registry',
  'ingress controller',
  'elk stack',
  'elk',
]);

/** "SubmitVote", "FitTrack": capitals inside a word make it a name. */
export const isCamel = (w: string) => /^[A-Z]?[a-z0-9]+[A-Z]/.test(w);

const PREPOSITION_WORDS = new Set([
  'to',
  'from',
  'in',
  'into',
  'on',
  'at',
  'with',
  'over',
  'through',
  'via',
  'of',
  'for',
  'by',
  'against',
  'behind',
  'than',
  'as',
]);
/** Files are not components ("hardcoded in settings.py"). */
const FILE_NAME =
  /\.(?:py|json|ya?ml|env|properties|ini|xml|conf|cfg|toml|js|ts|txt|md|sh|tf|java|go|rb|php|cs|config|lock|pem|key|crt|csv|log)$/i;

const NAMING = new Set(['called', 'named', 'aka', 'nicknamed', 'labelled', 'labeled']);

interface NounPhrase {
  start: number;
  end: number;
  det: string | undefined;
  same: boolean;
  techs: { value: TechMatchValue; start: number; end: number; text: string }[];
  head: { kind: ComponentKind; start: number; end: number; text: string } | undefined;
  user: { name: string; start: number; end: number } | undefined;
  boundary: { kind: BoundaryKind; start: number; end: number; text: string } | undefined;
  words: Token[];
  possessive: boolean;
  credential: boolean;
}

const text = (tokens: readonly Token[], a: number, b: number) =>
  tokens
    .slice(a, b)
    .map((t) => t.text)
    .join(' ')
    .replace(/ ([.,:/)]) ?/g, '$1')
    .replace(/\( /g, '(');

/** Region names of AWS, Google Cloud and Azure, and the jurisdiction each is in. */
const REGION = new RegExp(
  [
    '\\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\\d\\b',
    '\\b(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|southwest|northwest)\\d\\b',
    '\\b(?:westeurope|northeurope|eastus2?|westus[23]?|centralus|southcentralus|northcentralus|uksouth|ukwest|francecentral|germanywestcentral|swedencentral|switzerlandnorth|norwayeast|canadacentral|australiaeast|japaneast|southeastasia|eastasia|centralindia)\\b',
    '\\b(?:West|North) Europe\\b',
    '\\b(?:East|West|Central|South Central|North Central) US(?: 2| 3)?\\b',
    '\\bUK (?:South|West)\\b',
    '\\b(?:France|Sweden|Germany West|Switzerland|India|Canada) Central\\b',
    '\\bAustralia East\\b',
  ].join('|'),
  'g',
);

export function jurisdictionOf(region: string): string | undefined {
  const r = region.toLowerCase().replace(/\s+/g, '');
  if (/^(?:eu-|europe-|westeurope|northeurope|francecentral|germany|sweden|norway|switzerland)/.test(r))
    return r.startsWith('switzerland') ? 'CH' : r.startsWith('norway') ? 'NO' : 'EU';
  if (/^(?:us-|northamerica-|eastus|westus|centralus|southcentralus|northcentralus)/.test(r)) return 'US';
  if (/^(?:uk|eu-west-2$|europe-west2$)/.test(r)) return 'UK';
  if (/^(?:ca-|canada)/.test(r)) return 'CA';
  if (/^(?:ap-southeast-2|australia)/.test(r)) return 'AU';
  if (/^(?:ap-northeast-1|japan|asia-northeast1)/.test(r)) return 'JP';
  if (/^(?:ap-south|centralindia|asia-south)/.test(r)) return 'IN';
  if (/^(?:sa-|southamerica)/.test(r)) return 'BR';
  return undefined;
}

function regionProvider(region: string): string | undefined {
  if (/^[a-z]{2}-[a-z]+-\d$/.test(region)) return 'aws';
  if (/^[a-z]+-[a-z]+\d$/.test(region)) return 'gcp';
  return 'azure';
}

/** Suffixes of written ids that say what a component is ("orders-db", "cart-cache"). */
const SUFFIX_KINDS: [RegExp, ComponentKind][] = [
  [
    /(?:^|[-_.])(?:db|database|sql|mysql|pg|postgres|mongo|cassandra|ddb|table|oracle|replica|standby|primary|ledger|store)$/,
    'datastore',
  ],
  [/(?:^|[-_.])(?:cache|redis|memcached)$/, 'cache'],
  [/(?:^|[-_.])(?:queue|q|sqs|jobs|bus|tasks)$/, 'queue'],
  [/(?:^|[-_.])(?:topic|stream|events|kafka|kinesis)$/, 'stream'],
  [
    /(?:^|[-_.])(?:bucket|s3|blob|archive|exports|backups|assets|files|uploads|photos|docs|pdf|media|images|site|lake|raw)$/,
    'object-store',
  ],
  [/(?:^|[-_.])(?:es|search|index|opensearch|elastic|solr)$/, 'search'],
  [/(?:^|[-_.])(?:gw|gateway|apigw)$/, 'gateway'],
  [/(?:^|[-_.])(?:lb|alb|elb|nlb|ingress|proxy|nginx)$/, 'load-balancer'],
  [/(?:^|[-_.])(?:vault|secrets|kms)$/, 'secret-store'],
  [/(?:^|[-_.])(?:fn|lambda|function)$/, 'function'],
  [/(?:^|[-_.])(?:ui|web|frontend|spa)$/, 'web-client'],
  [/(?:^|[-_.])(?:cdn)$/, 'cdn'],
  [/(?:^|[-_.])(?:waf)$/, 'waf'],
  [/(?:^|[-_.])(?:idp|sso|auth)$/, 'identity-provider'],
  [/(?:^|[-_.])(?:registry|ecr)$/, 'registry'],
  [/(?:^|[-_.])(?:repo)$/, 'repository'],
  [/(?:^|[-_.])(?:ci|pipeline|runner)$/, 'ci-cd'],
  [/(?:^|[-_.])(?:logs|monitoring|metrics)$/, 'monitoring'],
];

export function suffixKind(name: string): ComponentKind | undefined {
  const n = name.toLowerCase();
  for (const [re, kind] of SUFFIX_KINDS) if (re.test(n)) return kind;
  return undefined;
}

const BOUNDARY_ORDER: Record<BoundaryKind, number> = {
  internet: 0,
  'third-party': 0,
  device: 0,
  'cloud-account': 1,
  'on-prem': 1,
  region: 2,
  network: 3,
  subnet: 4,
  cluster: 5,
  namespace: 6,
  host: 7,
};

export function boundaryDepth(kind: BoundaryKind): number {
  return BOUNDARY_ORDER[kind];
}

const WEIGHT = {
  tech: 6,
  predicateTech: 6,
  head: 4,
  predicateHead: 5,
  user: 10,
  external: 5,
  suffix: 1,
} as const;

export class MentionFinder {
  private readonly tokens: readonly Token[];
  /** Tokens already read (by a mention, a name, or an identity the caller reserved). */
  readonly used: boolean[];
  /** Predicate and apposition phrases and the component each describes ("X, a Vue app"). */
  readonly predicates: { start: number; end: number; comp: DraftComponent }[] = [];
  readonly mentions: Mention[] = [];

  constructor(
    private readonly ctx: Context,
    tokens: readonly Token[],
    private readonly sentenceText: string,
  ) {
    this.tokens = tokens;
    this.used = tokens.map(() => false);
  }

  find(): Mention[] {
    for (let k = 0; k < this.tokens.length; k++) if (this.tokens[k]?.command) this.used[k] = true;
    this.protectNames();
    this.protectTables();
    this.findData();
    this.findRegions();
    const t = this.tokens;
    for (let i = 0; i < t.length; ) {
      if (this.used[i] || !(t[i] as Token).word) {
        i++;
        continue;
      }
      const next = this.readAt(i);
      i = Math.max(next, i + 1);
    }
    this.mentions.sort((a, b) => a.start - b.start);
    return this.mentions;
  }

  private origin() {
    return this.ctx.origin;
  }

  /** The name after "called"/"named" is a name, never data or a verb. */
  private protectNames(): void {
    const t = this.tokens;
    for (let i = 0; i + 1 < t.length; i++) {
      if (
        NAMING.has((t[i] as Token).lower) &&
        (t[i + 1] as Token).word &&
        (t[i + 1] as Token).lower !== 'by'
      ) {
        this.used[i] = true;
      }
    }
  }

  /** "the orders and order_items tables": table and topic names are scope, not components. */
  private protectTables(): void {
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      const word = (t[i] as Token).lower;
      if (
        !/^(?:tables?|columns?|fields?|schemas?|prefix(?:es)?|collections?|partitions?|indexes|indices|keys?)$/.test(
          word,
        )
      )
        continue;
      const list: number[] = [];
      let items = 0;
      for (let k = i - 1; k >= 0 && k >= i - 8; k--) {
        const w = t[k] as Token;
        if (w.lower === 'the' || w.lower === 'its' || DETERMINERS.has(w.lower)) break;
        if (w.text === ',' || w.lower === 'and' || w.lower === 'or') {
          items++;
          continue;
        }
        if (!w.word || PHRASE_BREAKS.has(w.lower) || isVerbWord(w.lower)) break;
        if (TECH_INDEX.match(t, k)) break;
        list.push(k);
      }
      // "the orders and order_items tables of orders-db" is scope; "the leaderboard table" is a component.
      const container = ['of', 'in', 'on', 'from'].includes(t[i + 1]?.lower ?? '');
      if (items > 0 || container || /s$/.test(word)) {
        for (const k of list) this.used[k] = true;
        // The word "tables" itself names no component.
        if (list.length > 0) this.used[i] = true;
      }
    }
  }

  private findData(): void {
    const s = this.sentenceText;
    const found: { start: number; end: number; classification: string; phrase: string }[] = [];
    const addMatches = (re: RegExp, classification: string) => {
      const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
      for (let m = g.exec(s); m !== null; m = g.exec(s)) {
        if (m[0].length === 0) {
          g.lastIndex++;
          continue;
        }
        found.push({ start: m.index, end: m.index + m[0].length, classification, phrase: m[0] });
      }
    };
    for (const kind of DATA_KINDS) addMatches(kind.pattern, kind.classification);
    for (const [alias, classification] of this.ctx.dataAliases) {
      addMatches(
        new RegExp(`(?<![\\w-])${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'i'),
        classification,
      );
    }
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    let last = -1;
    for (const f of found) {
      if (f.start < last) continue;
      const range = this.tokenRange(f.start, f.end);
      if (!range) continue;
      let [a, b] = range;
      if (this.tokens.slice(a, b).some((tok, k) => this.used[a + k] || tok.code || isIdLike(tok.text)))
        continue;
      // A single word that is a component's name ("transfers", the queue) is not data.
      if (b - a === 1 && this.knownLower(this.tokens[a] as Token)) continue;
      // "Payout service", "Transfer processor": a word that names a component's purpose.
      const nextTok = this.tokens[b];
      if (nextTok && (KIND_INDEX.match(this.tokens, b) || TECH_INDEX.match(this.tokens, b))) continue;
      // "with an API key", "using a username and password": how a caller authenticates, not data it sends.
      const leads = this.tokens.slice(Math.max(0, a - 4), a).map((x) => x.lower);
      if (
        (f.classification === 'credentials' || f.classification === 'secret') &&
        leads.some((w) => w === 'with' || w === 'using' || w === 'via')
      )
        continue;
      // "AWS Secrets Manager": a word inside a technology's name.
      let inTech = false;
      for (let k = Math.max(0, a - 3); k <= a && !inTech; k++) {
        const m = TECH_INDEX.match(this.tokens, k);
        if (m && m.end > a) inTech = true;
      }
      if (inTech) continue;
      last = f.end;
      const prev = this.tokens[a - 1];
      let phrase = f.phrase;
      if (prev?.word && DATA_OWNERS.has(prev.lower) && !this.used[a - 1]) {
        a--;
        phrase = `${singular(prev.lower)} ${phrase}`;
      }
      for (let k = a; k < b; k++) this.used[k] = true;
      const key = slug(phrase.replace(/e-mail/gi, 'email'));
      const d = this.ctx.draft.dataAsset(key, phrase, this.origin());
      d.classification ??= f.classification as never;
      this.mentions.push({ type: 'data', start: a, end: b, data: d });
    }
  }

  private findRegions(): void {
    const s = this.sentenceText;
    REGION.lastIndex = 0;
    for (let m = REGION.exec(s); m !== null; m = REGION.exec(s)) {
      const range = this.tokenRange(m.index, m.index + m[0].length);
      if (!range) continue;
      const [a, b] = range;
      if (this.tokens.slice(a, b).some((_, k) => this.used[a + k])) continue;
      for (let k = a; k < b; k++) this.used[k] = true;
      let end = b;
      if (this.tokens[end]?.lower === 'region') {
        this.used[end] = true;
        end++;
      }
      const written = m[0];
      const boundary = this.boundary('region', written, written.toLowerCase().replace(/\s+/g, ''));
      boundary.provider ??= regionProvider(written.toLowerCase().replace(/\s+/g, ''));
      boundary.jurisdiction ??= jurisdictionOf(written);
      this.mentions.push({ type: 'boundary', start: a, end, boundary });
    }
  }

  private tokenRange(start: number, end: number): [number, number] | undefined {
    let a = -1;
    let b = -1;
    for (let k = 0; k < this.tokens.length; k++) {
      const t = this.tokens[k] as Token;
      if (t.start >= start && t.end <= end + 1 && t.start < end) {
        if (a < 0) a = k;
        b = k + 1;
      }
    }
    return a < 0 ? undefined : [a, b];
  }

  private knownLower(t: Token): DraftComponent | undefined {
    const c = this.ctx.draft.component(nameKey(t.text));
    if (c && (c.lowerKeys.has(t.lower) || t.code || t.strong || t.cap)) return c;
    return undefined;
  }

  /** Reads what starts at token i; returns the index after it. */
  private readAt(i: number): number {
    const t = this.tokens;
    const tok = t[i] as Token;
    const lower = tok.lower;
    // "/admin", "port 8000": parts of paths and addresses.
    const before = t[i - 1];
    if (before && before.text === '/' && before.end === tok.start) return i + 1;
    // Pronouns.
    if (lower === 'it' || lower === 'its' || lower === "it's" || lower === 'itself') {
      const subj = this.itReferent(i);
      if (subj.length > 0)
        this.pushComponents(i, i + 1, subj, { pronoun: true, possessive: lower === 'its' });
      return i + 1;
    }
    if (lower === 'they' || lower === 'them' || lower === 'their' || lower === 'theirs') {
      const group = this.currentGroup();
      const comps =
        group.length >= 2
          ? group
          : this.ctx.lastMentioned.length >= 2
            ? this.ctx.lastMentioned
            : this.ctx.lastSubject;
      if (comps.length > 0)
        this.pushComponents(i, i + 1, comps, { pronoun: true, possessive: lower === 'their' });
      return i + 1;
    }
    if (lower === 'both' || (lower === 'each' && t[i + 1]?.lower !== 'of')) {
      const nextTok = t[i + 1];
      const np = nextTok?.word ? this.readNounPhrase(i) : undefined;
      if (
        !np ||
        (np.head === undefined && np.user === undefined && np.techs.length === 0 && np.words.length === 0)
      ) {
        const group = this.currentGroup();
        const comps = group.length >= 2 ? group : this.ctx.lastMentioned;
        if (comps.length > 0) this.pushComponents(i, i + 1, comps, { pronoun: true });
        return i + 1;
      }
    }
    if ((lower === 'everything' || lower === 'everyone') && !this.used[i]) {
      this.mentions.push({
        type: 'component',
        start: i,
        end: i + 1,
        comps: [],
        pronoun: false,
        possessive: false,
        quantifier: 'everything',
      });
      return i + 1;
    }
    if (
      lower === 'all' &&
      t[i + 1]?.lower === 'of' &&
      ['these', 'them', 'this', 'it'].includes(t[i + 2]?.lower ?? '')
    ) {
      this.mentions.push({
        type: 'component',
        start: i,
        end: i + 3,
        comps: [],
        pronoun: false,
        possessive: false,
        quantifier: 'everything',
      });
      return i + 3;
    }
    // "our iOS and Android apps": two components sharing one kind noun.
    const pair = this.coordinatedPair(DETERMINERS.has(lower) ? i + 1 : i);
    if (pair !== undefined) {
      this.used[i] = true;
      return pair;
    }
    const np = this.readNounPhrase(i);
    if (!np) return i + 1;
    return this.resolve(np);
  }

  private coordinatedPair(i: number): number | undefined {
    const t = this.tokens;
    const a = t[i];
    const and = t[i + 1];
    const b = t[i + 2];
    const named = (w: Token | undefined) => w?.word === true && /\p{Lu}/u.test(w.text);
    if (!named(a) || and?.lower !== 'and' || !named(b) || this.used[i] || this.used[i + 2] || !a || !b)
      return undefined;
    const head = KIND_INDEX.match(t, i + 3);
    const headText = head ? text(t, i + 3, head.end) : '';
    if (!head || !/s$/.test(headText) || TECH_INDEX.match(t, i) || TECH_INDEX.match(t, i + 2))
      return undefined;
    const noun = singular(headText);
    for (const w of [a, b]) {
      const name = `${w.text} ${noun}`;
      const c = this.lookupOrCreate(name, false);
      const own = tokenizeName(name);
      c.vote(KIND_INDEX.match(own, 0)?.value ?? head.value, WEIGHT.head, c.no);
      this.pushComponents(t.indexOf(w), t.indexOf(w) + 1, [c]);
    }
    for (let k = i; k < head.end; k++) this.used[k] = true;
    return head.end;
  }

  /** A capitalised name a relation (or a pronoun) uses becomes a component. */
  materialise(m: ComponentMention): DraftComponent[] {
    if (m.comps.length === 0 && m.pending) {
      const key = nameKey(m.pending);
      let c = this.ctx.draft.component(key);
      if (!c) {
        c = this.ctx.draft.addComponent(this.ctx.origin);
        this.ctx.draft.index(c, key);
        const words = m.pending.toLowerCase().split(/\s+/);
        const head = words[words.length - 1] ?? '';
        if (
          words.length > 1 &&
          words.slice(0, -1).some((w) => EXTERNAL_MARKERS.has(w)) &&
          EXTERNAL_HEADS.has(head)
        ) {
          c.vote('external-service', WEIGHT.external, c.no);
        }
        const sk = suffixKind(m.pending);
        if (sk) c.vote(sk, WEIGHT.suffix, c.no);
        c.vote('service', 0.5, c.no);
      }
      c.addName(m.pending, false);
      touch(this.ctx, c);
      m.comps = [c];
    }
    return m.comps;
  }

  /**
   * What "it" refers to: as an object ("query it"), the sentence's subject; as a subject ("..., it's a
   * Django app"), the last thing named before it in the sentence; else the previous sentence's subject.
   */
  private itReferent(i: number): DraftComponent[] {
    const prev = this.tokens[i - 1];
    const objectPosition =
      prev?.word === true && (isVerbWord(prev.lower) || PREPOSITION_WORDS.has(prev.lower));
    // A capitalised subject that "it" or "its" refers back to is a component ("The Mailer reads its ...").
    for (const m of this.mentions)
      if (m.type === 'component' && m.pending && m.comps.length === 0) this.materialise(m);
    const named = this.mentions.filter(
      (m): m is ComponentMention => m.type === 'component' && m.comps.length === 1 && !m.comps[0]?.isUser,
    );
    const coordinated = prev !== undefined && ['and', 'but', 'so', 'then', 'where', ';'].includes(prev.lower);
    if (objectPosition || coordinated) {
      const first = named[0];
      if (first) return first.comps;
    } else {
      const last = named[named.length - 1];
      if (last) return last.comps;
    }
    return this.ctx.lastSubject;
  }

  private currentGroup(): DraftComponent[] {
    const out: DraftComponent[] = [];
    for (const m of this.mentions)
      if (m.type === 'component') for (const c of m.comps) if (!out.includes(c)) out.push(c);
    return out;
  }

  /** Technologies named in a parenthesis after a phrase, applied when the phrase becomes a mention. */
  private pendingTechs: { start: number; techs: NounPhrase['techs'] } | undefined;

  private pushComponents(
    start: number,
    end: number,
    comps: DraftComponent[],
    opts: { pronoun?: boolean; possessive?: boolean } = {},
  ): void {
    for (const c of comps) touch(this.ctx, c);
    if (this.pendingTechs && this.pendingTechs.start === start) {
      const techs = this.pendingTechs.techs;
      this.pendingTechs = undefined;
      for (const c of comps) {
        this.describe(
          c,
          {
            start,
            end,
            det: undefined,
            same: false,
            techs,
            head: undefined,
            user: undefined,
            boundary: undefined,
            words: [],
            possessive: false,
            credential: false,
          },
          WEIGHT.tech,
          0,
          false,
        );
      }
    }
    for (let k = start; k < end; k++) this.used[k] = true;
    this.mentions.push({
      type: 'component',
      start,
      end,
      comps: [...comps],
      pronoun: opts.pronoun ?? false,
      possessive: opts.possessive ?? false,
    });
  }

  readNounPhrase(i: number): NounPhrase | undefined {
    const t = this.tokens;
    let j = i;
    let det: string | undefined;
    let same = false;
    const first = t[j];
    if (first && DETERMINERS.has(first.lower) && !first.code && !first.strong) {
      det = first.lower;
      j++;
    }
    if (t[j]?.lower === 'same') {
      same = true;
      j++;
    }
    const np: NounPhrase = {
      start: i,
      end: j,
      det,
      same,
      techs: [],
      head: undefined,
      user: undefined,
      boundary: undefined,
      words: [],
      possessive: false,
      credential: false,
    };
    /** "the Bank SFTP server", "the Patient API": an earlier head or person word is a modifier. */
    const demote = () => {
      for (const part of [np.head, np.user]) {
        if (!part) continue;
        for (let k = part.start; k < part.end; k++) np.words.push(t[k] as Token);
      }
      np.head = undefined;
      np.user = undefined;
      np.words.sort((a, b) => a.start - b.start);
    };
    while (j < t.length) {
      const tok = t[j] as Token;
      if (this.used[j]) break;
      if (!tok.word) {
        // "Pub/Sub", "C#" are single tokens; "A/B" joins two words of one name.
        if (
          (tok.text === '/' || tok.text === '&') &&
          t[j + 1]?.word &&
          np.words.length + np.techs.length > 0
        ) {
          j++;
          continue;
        }
        break;
      }
      const usable = (k: number) => !this.used[k];
      const tm = TECH_INDEX.match(t, j, usable);
      const km = KIND_INDEX.match(t, j, usable);
      const um = USER_INDEX.match(t, j, usable);
      const bm = BOUNDARY_INDEX.match(t, j, usable);
      const hasContent = np.words.length > 0 || np.techs.length > 0 || np.head !== undefined;
      // The longest reading wins; a technology name is preferred over a kind noun of the same length.
      const best = Math.max(tm?.end ?? 0, km?.end ?? 0, um?.end ?? 0, bm?.end ?? 0);
      if (
        tm &&
        tm.end === best &&
        !(tok.cap === false && tm.value.tech.kind === 'tech-only' && !hasContent && isVerbWord(tok.lower))
      ) {
        // A technology followed by a credential noun is a credential ("the Stripe API key").
        if (this.credentialFollows(tm.end)) {
          np.credential = true;
          np.end = tm.end;
          if (tm.value.tech.kind === 'identity-provider')
            np.techs.push({ value: tm.value, start: j, end: tm.end, text: text(t, j, tm.end) });
          return np;
        }
        demote();
        np.techs.push({ value: tm.value, start: j, end: tm.end, text: text(t, j, tm.end) });
        j = tm.end;
        if ((t[j - 1] as Token).possessive) {
          np.possessive = true;
          break;
        }
        continue;
      }
      // A verb ends the phrase; after a determiner an -ing or -ed form is an adjective ("the booking site").
      const adjectival = det !== undefined && /(?:ing|ed)$/.test(tok.lower) && det !== 'that';
      const sentenceStart = j === this.tokens.findIndex((x) => x.word);
      if (
        !hasContent &&
        isVerbWord(tok.lower) &&
        !adjectival &&
        !tm &&
        !km &&
        !um &&
        !bm &&
        (!tok.cap || sentenceStart) &&
        !tok.code &&
        !tok.strong
      )
        break;
      // A determiner inside a phrase starts another one ("Every night the Claims application").
      if ((hasContent || np.words.length > 0) && DETERMINERS.has(tok.lower) && !tok.code && !tok.strong)
        break;
      const beforeKind = KIND_INDEX.match(t, j + 1) !== undefined || TECH_INDEX.match(t, j + 1) !== undefined;
      if (
        hasContent &&
        isVerbWord(tok.lower) &&
        !km &&
        !um &&
        !bm &&
        !tok.code &&
        !tok.strong &&
        !tok.cap &&
        !beforeKind
      )
        break;
      if (km && km.end === best) {
        if (np.head && np.head.end === j && isVerbWord(tok.lower)) break;
        demote();
        np.head = { kind: km.value, start: j, end: km.end, text: text(t, j, km.end) };
        j = km.end;
        if ((t[j - 1] as Token).possessive) {
          // "the partner's SFTP server": whose it is, part of its name.
          if (
            EXTERNAL_MARKERS.has((t[j - 1] as Token).lower) &&
            (KIND_INDEX.match(t, j) || TECH_INDEX.match(t, j))
          )
            continue;
          np.possessive = true;
          break;
        }
        continue;
      }
      const granted =
        um !== undefined &&
        /^(?:has|have|had|with|granted|gets|get|got|is|are|as)$/.test(t[j - 1]?.lower ?? '') &&
        /^(?:admin|administrator|owner|root)$/.test(tok.lower);
      const rightsFollow =
        um !== undefined &&
        (granted ||
          /^(?:rights|access|permissions?|privileges?|roles?|accounts?|credentials|passwords?|rights|policy|group|groups|tools?|api|apis|panel|ui|console|portal|endpoint|network)$/.test(
            t[um.end]?.lower ?? '',
          ));
      if (um && um.end === best && rightsFollow && !KIND_INDEX.match(t, um.end)) {
        for (let k = j; k < um.end; k++) np.words.push(t[k] as Token);
        j = um.end;
        continue;
      }
      if (um && um.end === best) {
        demote();
        np.user = { name: um.value, start: j, end: um.end };
        j = um.end;
        if ((t[j - 1] as Token).possessive) {
          np.possessive = true;
          break;
        }
        continue;
      }
      if (bm && bm.end === best) {
        demote();
        np.boundary = { kind: bm.value, start: j, end: bm.end, text: text(t, j, bm.end) };
        j = bm.end;
        continue;
      }
      if (PHRASE_BREAKS.has(tok.lower) && !tok.code && !tok.strong) break;
      if (NAMING.has(tok.lower)) break;
      if (np.head || np.user || np.boundary) {
        // Content after a head: a name-like word ("the topic payout-events"), or a word before another
        // head ("the Partner export job": "Partner" is a modifier).
        const nextTok = t[j + 1];
        const moreHead =
          (KIND_INDEX.match(t, j + 1) !== undefined || TECH_INDEX.match(t, j + 1) !== undefined) &&
          !(isVerbWord(tok.lower) && nextTok?.cap === true);
        if (!(tok.code || tok.strong || isIdLike(tok.text))) {
          if (!moreHead || PHRASE_BREAKS.has(tok.lower)) break;
          demote();
        }
      }
      np.words.push(tok);
      j++;
      if (
        tok.possessive &&
        !(EXTERNAL_MARKERS.has(tok.lower) && (KIND_INDEX.match(t, j) || TECH_INDEX.match(t, j)))
      ) {
        np.possessive = true;
        break;
      }
    }
    np.end = j;
    if (np.end === i || (np.end === i + 1 && det)) return undefined;
    return np;
  }

  /** "the Stripe secret key", "DHL and UPS credentials". */
  private credentialFollows(end: number): boolean {
    const t = this.tokens;
    let k = end;
    for (let guard = 0; guard < 8 && k < t.length; guard++) {
      const tok = t[k] as Token;
      if (CREDENTIAL_NOUNS.has(tok.lower)) return true;
      if (
        ['secret', 'access', 'api', 'service', 'admin', 'root', 'client', 'private', 'signing'].includes(
          tok.lower,
        )
      ) {
        k++;
        continue;
      }
      if (tok.lower === 'and' || tok.lower === ',') {
        const tm = TECH_INDEX.match(t, k + 1);
        if (tm) {
          k = tm.end;
          continue;
        }
      }
      return false;
    }
    return false;
  }

  /** Turns a noun phrase into mentions; returns the index after what it consumed. */
  private resolve(np: NounPhrase): number {
    const t = this.tokens;
    if (np.credential) {
      // "Azure AD B2C tokens": the identity provider exists, but the phrase is about its tokens.
      const idp = np.techs[0];
      if (idp) {
        const c = this.byTechnology(np, idp);
        this.pushComponents(np.start, np.end, [c], {});
        const m = this.mentions[this.mentions.length - 1] as ComponentMention;
        m.incidental = true;
      }
      for (let k = np.start; k < np.end; k++) this.used[k] = true;
      return np.end;
    }
    let end = np.end;
    // A name given right after: "called X", "named X", "(X)", ", X,".
    let given: { name: string; lower: boolean; end: number } | undefined;
    const after = t[end];
    if (after && NAMING.has(after.lower) && t[end + 1]?.word) {
      const n = this.readName(end + 1);
      if (n) given = n;
    } else if (after?.text === '(') {
      const close = this.closeParen(end);
      if (close > 0) {
        const inner = this.parenthesis(np, end + 1, close);
        if (inner === 'consumed') end = close + 1;
        else if (inner === 'category') return np.end;
        else if (Array.isArray(inner)) {
          // "**orders-db** (PostgreSQL)": the technology of the component before it.
          this.pendingTechs = { start: np.start, techs: inner };
          for (let k = end; k <= close; k++) this.used[k] = true;
          end = close + 1;
        } else if (inner) {
          given = { ...inner, end: close + 1 };
        }
      }
    } else if (
      after?.text === ',' &&
      !this.named(np) &&
      (np.head || np.techs.length > 0 || np.boundary) &&
      t[end + 1] &&
      (t[end + 1]?.code || t[end + 1]?.strong || isIdLike(t[end + 1]?.text ?? '')) &&
      (t[end + 2] === undefined ||
        t[end + 2]?.text === ',' ||
        t[end + 2]?.text === '.' ||
        isVerbWord(t[end + 2]?.lower ?? ''))
    ) {
      const n = this.readName(end + 1);
      if (n) given = n;
    }
    // "Azure Blob Storage in a container called documents-blob": the container is the component.
    if (
      !given &&
      np.techs.some((x) => x.value.tech.kind !== 'tech-only' && x.value.tech.kind !== 'cluster') &&
      !this.named(np)
    ) {
      const k = end;
      if (t[k]?.lower === 'in' || t[k]?.lower === 'as') {
        let q = k + 1;
        if (['a', 'an', 'the', 'its', 'one'].includes(t[q]?.lower ?? '')) q++;
        for (let guard = 0; guard < 2 && t[q] && !NAMING.has((t[q] as Token).lower); guard++) q++;
        if (t[q] && NAMING.has((t[q] as Token).lower)) {
          const n = this.readName(q + 1);
          if (n) {
            given = n;
            for (let x = end; x < n.end; x++) this.used[x] = true;
          }
        }
      }
    }
    const claim = (to: number) => {
      for (let k = np.start; k < to; k++) this.used[k] = true;
    };

    // A predicate or apposition describes the component before it ("X is a Go service", "X, an Azure
    // Function,", "**cart**: Go service"), or the section's subject when a sentence starts with one.
    const predicateOf = this.predicateTarget(np);
    if (predicateOf && !given && !this.named(np) && !np.user) {
      this.describe(predicateOf, np, WEIGHT.predicateTech, WEIGHT.predicateHead, true);
      this.predicates.push({ start: np.start, end, comp: predicateOf });
      claim(end);
      return end;
    }

    // Boundaries: VPCs, clusters, namespaces, accounts, regions, data centres, hosts.
    const clusterTech = np.techs.find((x) => x.value.tech.kind === 'cluster');
    const componentTech = np.techs.find(
      (x) => x.value.tech.kind !== 'cluster' && x.value.tech.kind !== 'tech-only',
    );
    if ((np.boundary || clusterTech) && !componentTech && (!np.head || np.boundary || clusterTech)) {
      const kind: BoundaryKind = np.boundary?.kind ?? 'cluster';
      if (kind === 'host' && !np.same) return np.end;
      // "the subscription key", "the account ID": a credential, not a boundary.
      if (CREDENTIAL_NOUNS.has(t[end]?.lower ?? '') || t[end]?.lower === 'id') {
        claim(end + 1);
        return end + 1;
      }
      const b = this.resolveBoundary(np, kind, given);
      if (b) {
        claim(given ? given.end : end);
        this.mentions.push({ type: 'boundary', start: np.start, end: given ? given.end : end, boundary: b });
        return given ? given.end : end;
      }
      return np.end;
    }

    // People.
    if (np.user && !componentTech && (!np.head || np.head.start < np.user.start)) {
      const userStart = np.user.start;
      const mods = np.words.filter(
        (w) => !USER_MODIFIER_STOP.has(w.lower) && !w.possessive && t.indexOf(w) < userStart,
      );
      const name = capitalise([...mods.map((w) => w.text.toLowerCase()), np.user.name].join(' '));
      const key = nameKey(name);
      let c = this.ctx.draft.component(key);
      if (!c) {
        c = this.ctx.draft.addComponent(this.origin());
        this.ctx.draft.index(c, key);
      }
      c.addName(name, true);
      c.vote('user', WEIGHT.user, c.no);
      this.pushComponents(np.start, end, [c], { possessive: np.possessive });
      claim(end);
      return end;
    }

    const named = given ?? this.named(np);
    if (named) {
      const c = this.lookupOrCreate(named.name, named.lower);
      this.describe(c, np, WEIGHT.tech, WEIGHT.head, false);
      const stop = given ? Math.max(given.end, end) : end;
      this.pushComponents(np.start, stop, [c], {
        possessive: np.possessive || (t[stop - 1]?.possessive ?? false),
      });
      claim(stop);
      return stop;
    }

    // Quantifiers: "all services", "every microservice", "the services".
    if (
      np.head &&
      (GENERIC_HEADS.has(np.head.text.toLowerCase()) ||
        GENERIC_HEADS.has(singular(np.head.text.toLowerCase()))) &&
      np.words.filter((w) => !ADJECTIVES.has(w.lower)).length === 0 &&
      np.techs.length === 0
    ) {
      const plural = /s$/.test(np.head.text.toLowerCase());
      if (
        (np.det === 'all' || np.det === 'every' || np.det === 'each' || (np.det === 'the' && plural)) &&
        np.head.kind === 'service'
      ) {
        this.mentions.push({
          type: 'component',
          start: np.start,
          end,
          comps: [],
          pronoun: false,
          possessive: false,
          quantifier: 'services',
        });
        claim(end);
        return end;
      }
      if (np.det === 'both' && plural) {
        const kinds =
          COREFERENCE_KINDS.get(np.head.text.toLowerCase()) ??
          COREFERENCE_KINDS.get(singular(np.head.text.toLowerCase()));
        const group = this.currentGroup();
        const pool = group.length >= 2 ? group : this.ctx.lastMentioned;
        const fitting = kinds ? pool.filter((c) => kinds.includes(c.kind)) : pool;
        const comps = fitting.length >= 2 ? fitting : pool;
        if (comps.length > 0) this.pushComponents(np.start, end, comps, { pronoun: true });
        claim(end);
        return end;
      }
    }

    const modifiers = np.words.filter((w) => !ADJECTIVES.has(w.lower) && !/^\d+(?:\.\d+)*$/.test(w.text));
    if (componentTech) {
      const at = (w: Token) => t.indexOf(w);
      const techModifiers = modifiers.filter(
        (w) =>
          at(w) < componentTech.start ||
          (np.head !== undefined && at(w) >= componentTech.end && at(w) < np.head.start),
      );
      const capitalised = techModifiers.filter((w) => w.cap || w.code || w.strong);
      if (
        capitalised.length > 0 &&
        capitalised.length === techModifiers.length &&
        !this.isSentenceStartOnly(np, capitalised)
      ) {
        // "the Enricher Lambda", "Relay web app": a name made of own words plus the technology.
        const lastIdx = Math.max(componentTech.end, np.head?.end ?? 0);
        const only = capitalised.length === 1 ? (capitalised[0] as Token) : undefined;
        // "the SubmitVote Lambda function": a written name (CamelCase, id-like) is the whole name.
        const name =
          only && (isCamel(only.text) || only.code || isIdLike(only.text))
            ? only.text
            : text(t, t.indexOf(capitalised[0] as Token), lastIdx);
        const c = this.lookupOrCreate(name, false);
        this.describe(c, np, WEIGHT.tech, WEIGHT.head, false);
        this.pushComponents(np.start, end, [c], { possessive: np.possessive });
        claim(end);
        return end;
      }
      if (
        GENERIC_TERMS.has(componentTech.value.term.toLowerCase()) &&
        techModifiers.length > 0 &&
        techModifiers.every((w) => !ADJECTIVES.has(w.lower))
      ) {
        // "the partner SFTP server", "the internal message queue": a generic product named by its owner.
        const name = text(
          t,
          t.indexOf(techModifiers[0] as Token),
          Math.max(componentTech.end, np.head?.end ?? 0),
        ).replace(/'s\b/g, '');
        const c = this.lookupOrCreate(
          name,
          techModifiers.every((w) => !w.cap),
        );
        this.describe(c, np, WEIGHT.tech, WEIGHT.head, false);
        this.pushComponents(np.start, end, [c], { possessive: np.possessive });
        claim(end);
        return end;
      }
      const c = this.byTechnology(np, componentTech);
      this.pushComponents(np.start, end, [c], { possessive: np.possessive });
      claim(end);
      return end;
    }

    if (np.head) {
      const headWord = np.head.text.toLowerCase();
      const headStart = np.head.start;
      const mods = modifiers.filter((w) => t.indexOf(w) < headStart);
      const techOnly = np.techs.filter((x) => x.value.tech.kind === 'tech-only');
      const contentMods = mods.filter(
        (w) => !techOnly.some((x) => t.indexOf(w) >= x.start && t.indexOf(w) < x.end),
      );
      if (techOnly.length > 0 && contentMods.length === 0) {
        // "the Django app" after "it's a Django app".
        const full = text(t, (techOnly[0] as NounPhrase['techs'][number]).start, np.head.end);
        const known = this.ctx.draft.component(nameKey(full));
        if (known) {
          known.addName(full, false);
          this.pushComponents(np.start, end, [known], { possessive: np.possessive });
          claim(end);
          return end;
        }
      }
      if (
        contentMods.length > 0 &&
        !(
          contentMods.length === 1 &&
          this.isEnvironment(contentMods[0] as Token) &&
          GENERIC_HEADS.has(headWord)
        )
      ) {
        const first = t.indexOf(contentMods[0] as Token);
        const single = contentMods.length === 1 ? (contentMods[0] as Token) : undefined;
        const typeWord =
          GENERIC_HEADS.has(headWord) &&
          !/^(?:api|apis|app|application|backend|ui|site|website|portal|dashboard|console|server)$/.test(
            headWord,
          );
        const name =
          single && typeWord && (isCamel(single.text) || single.code)
            ? single.text
            : text(t, first, np.head.end);
        const lowerWritten = contentMods.every((w) => !w.cap);
        const existing =
          this.ctx.draft.component(nameKey(name)) ??
          (np.det === 'the' || np.det === 'its' ? this.stemCoreference(contentMods, headWord) : undefined);
        const c = existing ?? this.lookupOrCreate(name, lowerWritten);
        if (existing) c.addName(name, lowerWritten);
        this.describe(c, np, WEIGHT.tech, WEIGHT.head, false);
        this.pushComponents(np.start, end, [c], { possessive: np.possessive });
        claim(end);
        return end;
      }
      // A generic noun: "the database" is the database mentioned last.
      const kinds = COREFERENCE_KINDS.get(headWord) ?? COREFERENCE_KINDS.get(singular(headWord));
      if (np.det !== 'a' && np.det !== 'an' && kinds) {
        // "the portal": the last component called a portal, else the last of a fitting kind.
        const stem = singular(headWord).replace(/[^a-z0-9]/g, '');
        const found =
          this.ctx.recent.find(
            (c) => !c.isUser && [...c.names.keys()].some((n) => nameKey(n).endsWith(stem)),
          ) ?? this.ctx.recent.find((c) => kinds.includes(c.kind) && !c.isUser);
        if (found) {
          this.describe(found, np, WEIGHT.predicateTech, 0, false);
          this.pushComponents(np.start, end, [found], { possessive: np.possessive });
          claim(end);
          return end;
        }
      }
      if (!GENERIC_HEADS.has(headWord) && !GENERIC_HEADS.has(singular(headWord))) {
        // "the bank", "a partner": a thing of its own.
        const name = np.head.text;
        const c = this.lookupOrCreate(name, !(t[np.head.start] as Token).cap);
        this.describe(c, np, WEIGHT.tech, WEIGHT.head, false);
        this.pushComponents(np.start, end, [c], { possessive: np.possessive });
        claim(end);
        return end;
      }
      if (techOnly.length > 0 && (np.det === 'a' || np.det === 'an' || np.det === 'the')) {
        // "a Django app": an unnamed component described by its technology.
        const name = text(t, (techOnly[0] as NounPhrase['techs'][number]).start, np.head.end);
        const c = this.lookupOrCreate(name, false);
        this.describe(c, np, WEIGHT.tech, WEIGHT.head, false);
        this.pushComponents(np.start, end, [c], { possessive: np.possessive });
        claim(end);
        return end;
      }
      return np.end;
    }

    // A technology that only describes ("django talks to mongodb"): the component built with it.
    const techOnly = np.techs.find((x) => x.value.tech.kind === 'tech-only');
    if (techOnly && np.words.length === 0) {
      const found = this.ctx.recent.find(
        (c) => c.techTerm?.toLowerCase() === techOnly.value.term.toLowerCase(),
      );
      if (found) {
        this.pushComponents(np.start, end, [found], { possessive: np.possessive });
        claim(end);
        return end;
      }
      return end;
    }

    // Plain words: a known name, or a capitalised name that a relation may use.
    if (np.words.length > 0 && np.techs.length === 0) {
      const name = text(t, np.start + (np.det ? 1 : 0) + (np.same ? 1 : 0), end);
      const known = this.ctx.draft.component(nameKey(name));
      const allLower = np.words.every((w) => !w.cap && !w.code && !w.strong);
      if (known && (!allLower || known.lowerKeys.has(name.toLowerCase()))) {
        this.pushComponents(np.start, end, [known], { possessive: np.possessive });
        claim(end);
        return end;
      }
      // Try a known name inside a longer run ("Kong talks": "Kong").
      for (let k = np.start; k < end; k++) {
        const w = t[k] as Token;
        const c = this.knownLower(w);
        if (c && (w.cap || w.code || w.strong || c.lowerKeys.has(w.lower))) {
          this.pushComponents(k, k + 1, [c], { possessive: w.possessive });
          return k + 1;
        }
      }
      const proper =
        np.words.every((w) => (w.cap || /^\d/.test(w.text)) && !FILE_NAME.test(w.text)) &&
        !this.isSentenceStartOnly(np, np.words) &&
        !np.words.some((w) => NOT_NAMES.has(w.lower));
      if (proper && (!np.det || (np.det === 'the' && np.words.every((w) => w.cap)))) {
        this.mentions.push({
          type: 'component',
          start: np.start,
          end,
          comps: [],
          pronoun: false,
          possessive: np.possessive,
          pending: name,
        });
        claim(end);
        return end;
      }
    }
    return np.end;
  }

  private isEnvironment(w: Token): boolean {
    return ENVIRONMENTS.has(w.lower);
  }

  /** The words are capitalised only because they start the sentence. */
  private isSentenceStartOnly(np: NounPhrase, words: readonly Token[]): boolean {
    if (words.some((w) => isCamel(w.text) || /^[A-Z0-9]{2,}$/.test(w.text))) return false;
    const firstWord = this.tokens.findIndex((x) => x.word);
    return (
      words.length === 1 &&
      this.tokens.indexOf(words[0] as Token) === firstWord &&
      !(words[0] as Token).code &&
      !(words[0] as Token).strong &&
      np.det === undefined &&
      !this.ctx.draft.component(nameKey((words[0] as Token).text))
    );
  }

  /** A name written in the phrase itself: `code`, **strong**, an id-like word, or a known name. */
  private named(np: NounPhrase): { name: string; lower: boolean; end: number } | undefined {
    for (const w of np.words) {
      if (FILE_NAME.test(w.text) || w.text.startsWith('/') || NOT_NAMES.has(w.lower)) continue;
      const idLike =
        isIdLike(w.text) &&
        (np.words.length === 1 ||
          /[\d_]/.test(w.text) ||
          suffixKind(w.text) !== undefined ||
          this.ctx.draft.component(nameKey(w.text)) !== undefined);
      if (w.code || w.strong || idLike) return { name: w.text, lower: true, end: np.end };
    }
    return undefined;
  }

  private readName(i: number): { name: string; lower: boolean; end: number } | undefined {
    const t = this.tokens;
    const first = t[i];
    if (!first?.word) return undefined;
    if (first.code || first.strong || isIdLike(first.text) || /^[a-z0-9]+$/.test(first.text)) {
      return { name: first.text, lower: true, end: i + 1 };
    }
    // Capitalised words: "named Payment Events".
    let j = i;
    while (
      j < t.length &&
      (t[j] as Token).word &&
      (t[j] as Token).cap &&
      !PHRASE_BREAKS.has((t[j] as Token).lower)
    )
      j++;
    if (j === i) return undefined;
    return { name: text(t, i, j), lower: false, end: j };
  }

  private closeParen(open: number): number {
    for (let k = open + 1; k < this.tokens.length && k < open + 20; k++) {
      if (this.tokens[k]?.text === ')') return k;
    }
    return -1;
  }

  /**
   * What a parenthesis after a phrase says: a name ("(instance relay-db)", "(orders-db)"), a technology
   * ("(PostgreSQL)"), a placement ("(namespace `shop`)"), or the members of a category ("carrier APIs
   * (DHL, UPS)").
   */
  private parenthesis(
    np: NounPhrase,
    a: number,
    b: number,
  ): { name: string; lower: boolean } | NounPhrase['techs'] | 'consumed' | 'category' | undefined {
    const t = this.tokens;
    const inner = t.slice(a, b).filter((x) => x.word);
    if (inner.length === 0) return undefined;
    const firstLower = inner[0]?.lower ?? '';
    if (
      (firstLower === 'called' ||
        firstLower === 'named' ||
        firstLower === 'instance' ||
        firstLower === 'aka' ||
        firstLower === 'id') &&
      inner[1]
    ) {
      for (let k = a; k < b; k++) this.used[k] = true;
      return { name: (inner[1] as Token).text, lower: true };
    }
    const techs: TechMatchValue[] = [];
    const spans: NounPhrase['techs'] = [];
    let onlyTechs = true;
    for (let k = a; k < b; ) {
      const m = TECH_INDEX.match(t, k);
      if (m) {
        techs.push(m.value);
        spans.push({ value: m.value, start: k, end: m.end, text: text(t, k, m.end) });
        k = m.end;
      } else {
        const w = t[k] as Token;
        if (
          w.word &&
          !['on', 'with', 'and', 'or', 'in', 'v', 'version'].includes(w.lower) &&
          !/^\d/.test(w.text)
        )
          onlyTechs = false;
        k++;
      }
    }
    const categoryHead =
      np.head &&
      /s$/.test(np.head.text) &&
      (GENERIC_HEADS.has(np.head.text.toLowerCase()) ||
        EXTERNAL_HEADS.has(singular(np.head.text.toLowerCase())));
    const componentLike =
      np.head !== undefined ||
      np.techs.length > 0 ||
      np.words.some((w) => w.code || w.strong || isIdLike(w.text));
    if (
      onlyTechs &&
      spans.length > 0 &&
      componentLike &&
      !categoryHead &&
      spans.every((x) => x.value.tech.kind !== 'cluster')
    )
      return spans;
    if (techs.length > 0 && categoryHead) {
      // The phrase is a category; the parenthesis names its members. Read them instead.
      for (let k = np.start; k < np.end; k++) this.used[k] = true;
      return 'category';
    }
    if (
      inner.length === 1 &&
      (inner[0]?.code || inner[0]?.strong || isIdLike(inner[0]?.text ?? '')) &&
      techs.length === 0
    ) {
      for (let k = a - 1; k <= b; k++) this.used[k] = true;
      return { name: (inner[0] as Token).text, lower: true };
    }
    return undefined;
  }

  private lookupOrCreate(name: string, lower: boolean): DraftComponent {
    const key = nameKey(name);
    let c = this.ctx.draft.component(key);
    if (!c) {
      c = this.ctx.draft.addComponent(this.origin());
      this.ctx.draft.index(c, key);
      const sk = suffixKind(name);
      if (sk) c.vote(sk, WEIGHT.suffix, c.no);
    }
    c.addName(name, lower);
    return c;
  }

  /** "the export bucket" when a bucket called finance-exports was mentioned. */
  private stemCoreference(mods: readonly Token[], head: string): DraftComponent | undefined {
    const kinds = COREFERENCE_KINDS.get(head) ?? COREFERENCE_KINDS.get(singular(head));
    if (!kinds) return undefined;
    const stems = mods.map((m) => singular(m.lower).replace(/[^a-z0-9]/g, '')).filter((s) => s.length >= 3);
    if (stems.length === 0) return undefined;
    return this.ctx.recent.find(
      (c) =>
        kinds.includes(c.kind) &&
        c.votes.some((v) => v.weight >= 4 && kinds.includes(v.kind)) &&
        [...c.keys].some((k) => stems.every((s) => k.includes(s))),
    );
  }

  /** Adds a phrase's evidence (technology, kind, environment, third party) to a component. */
  describe(c: DraftComponent, np: NounPhrase, techWeight: number, headWeight: number, alias: boolean): void {
    const order = this.ctx.sentence * 1000 + np.start;
    for (const x of np.techs) {
      const tech = x.value.tech;
      if (tech.kind === 'cluster') continue;
      if (tech.kind === 'tech-only') {
        if (!c.tech || c.techWeight < 2) {
          c.tech = slug(x.value.term);
          c.techTerm = x.value.term;
          c.techWeight = 2;
        }
        if (tech.tech === 'spa') c.vote('web-client', 3, order);
        continue;
      }
      c.vote(tech.kind, techWeight, order);
      if (c.techWeight < techWeight) {
        c.tech = tech.tech;
        c.techTerm = x.value.term;
        c.techWeight = techWeight;
      }
      if (tech.provider) c.provider ??= tech.provider;
      if (tech.saas)
        c.saas ??= slug(
          tech.provider === 'saas' || !tech.provider || tech.terms.length > 3 ? x.value.term : tech.provider,
        );
    }
    const spa = np.techs.some((x) => x.value.tech.tech === 'spa');
    if (
      np.head &&
      headWeight > 0 &&
      spa &&
      ['app', 'application', 'frontend', 'ui', 'site', 'website', 'page', 'client'].includes(
        np.head.text.toLowerCase(),
      )
    ) {
      c.vote('web-client', headWeight, order);
    } else if (np.head && headWeight > 0) {
      const head = np.head.text.toLowerCase();
      const headStart = np.head.start;
      const extMods = np.words.filter(
        (w) => this.tokens.indexOf(w) < headStart && EXTERNAL_MARKERS.has(w.lower),
      );
      if (extMods.length > 0 && EXTERNAL_HEADS.has(singular(head)))
        c.vote('external-service', WEIGHT.external, order);
      else c.vote(np.head.kind, headWeight, order);
    }
    for (const w of np.words) {
      const env = ENVIRONMENTS.get(w.lower);
      if (env && !c.environment) c.environment = env;
    }
    if (alias) {
      const mods = np.words.filter((w) => !ADJECTIVES.has(w.lower));
      if ((mods.length > 0 || np.techs.length > 0) && np.head) {
        const from = np.techs[0]?.start ?? this.tokens.indexOf(mods[0] as Token);
        const name = text(
          this.tokens,
          Math.min(from, this.tokens.indexOf((mods[0] ?? this.tokens[from]) as Token)),
          np.head.end,
        );
        const key = nameKey(name);
        if (key && !this.ctx.draft.component(key)) {
          this.ctx.draft.index(c, key);
          c.addName(name, false);
        }
      }
    }
  }

  private byTechnology(np: NounPhrase, tech: NounPhrase['techs'][number]): DraftComponent {
    const term = tech.value.term.toLowerCase();
    // "the load balancer", "the WAF": a generic name refers back to the last component of its kind.
    if (
      GENERIC_TERMS.has(term) &&
      (np.det === 'the' || np.det === 'this' || np.det === 'that' || np.det === 'its')
    ) {
      const kind = tech.value.tech.kind;
      const same = this.ctx.recent.find((c) => c.kind === kind);
      if (same) return same;
    }
    const found =
      this.ctx.recent.find(
        (c) =>
          c.techTerm?.toLowerCase() === term ||
          (c.tech === tech.value.tech.tech && tech.value.tech.terms.length <= 4),
      ) ?? this.ctx.draft.component(nameKey(tech.text));
    const canonical = DISPLAY_NAMES[tech.value.term] ?? tech.text.replace(/ for [A-Za-z]+$/, '');
    if (found) {
      this.describe(found, np, WEIGHT.tech, WEIGHT.head, false);
      found.addName(canonical, false);
      return found;
    }
    const name = canonical;
    const c = this.lookupOrCreate(name, false);
    this.ctx.draft.index(c, nameKey(tech.value.term));
    this.describe(c, np, WEIGHT.tech, WEIGHT.head, false);
    return c;
  }

  /** The component a predicate or apposition phrase describes, if this phrase is one. */
  private predicateTarget(np: NounPhrase): DraftComponent | undefined {
    if (!np.head && np.techs.every((x) => x.value.tech.kind === 'cluster')) return undefined;
    if (np.boundary && !np.head) return undefined;
    const t = this.tokens;
    const prev = t[np.start - 1];
    const indefinite = np.det === 'a' || np.det === 'an';
    const nextTok = t[np.end];
    const prevComp = [...this.mentions]
      .reverse()
      .find(
        (m): m is ComponentMention => m.type === 'component' && m.comps.length === 1 && m.end <= np.start,
      );
    // "listings-db runs on RDS", "hosted on Heroku": the platform describes the component.
    if (
      prev?.lower === 'on' &&
      prevComp &&
      /^(?:runs?|running|hosted|built|deployed|lives|is|are|sits)$/.test(t[np.start - 2]?.lower ?? '') &&
      np.techs.length > 0 &&
      !np.head
    ) {
      return prevComp.comps[0];
    }
    if (prev && prevComp) {
      const p = prev.lower;
      const copula =
        p === 'is' ||
        p === 'are' ||
        p === 'was' ||
        p === "it's" ||
        p === "'s" ||
        (p === 'as' && t[np.start - 2]?.lower === 'counts');
      const firstWordIdx = t.findIndex((x) => x.word);
      const label =
        p === ':' &&
        prevComp.start <= firstWordIdx + 1 &&
        (np.det === 'the' || np.det === undefined || indefinite);
      const appositive = (p === ',' || p === '—' || p === '-') && prevComp.end === np.start - 1 && indefinite;
      if (
        (copula && (indefinite || np.det === undefined)) ||
        appositive ||
        (label && prevComp.end === np.start - 1)
      ) {
        if (np.det === undefined && !np.head && np.techs.every((x) => x.value.tech.kind === 'tech-only'))
          return undefined;
        return prevComp.comps[0];
      }
    }
    // A fragment that describes the section's subject: "A Go service in the payments VPC."
    const firstWord = t.findIndex((x) => x.word);
    const hint = this.ctx.hint;
    if (
      np.start === firstWord &&
      hint &&
      hint.length === 1 &&
      (indefinite || np.det === undefined) &&
      !this.named(np)
    ) {
      const endsFragment =
        nextTok === undefined ||
        nextTok.text === '.' ||
        nextTok.text === ',' ||
        nextTok.text === ';' ||
        [
          'in',
          'on',
          'with',
          'that',
          'which',
          'running',
          'exposed',
          'used',
          'behind',
          'for',
          'built',
          'written',
          'deployed',
          'hosted',
        ].includes(nextTok.lower);
      if (endsFragment && (np.head || np.techs.some((x) => x.value.tech.kind !== 'cluster'))) return hint[0];
    }
    return undefined;
  }

  private resolveBoundary(
    np: NounPhrase,
    kind: BoundaryKind,
    given: { name: string; lower: boolean } | undefined,
  ): DraftBoundary | undefined {
    const t = this.tokens;
    const nameWord = given?.name ?? np.words.find((w) => w.code || w.strong || isIdLike(w.text))?.text;
    const tech = np.techs.find((x) => x.value.tech.kind === 'cluster');
    if (nameWord)
      return this.boundary(kind, nameWord, `${kind}:${nameKey(nameWord)}`, tech?.value.tech.provider);
    // "on the whole subscription" is the scope of a permission, not a place.
    if (
      np.words.some((w) => w.lower === 'whole' || w.lower === 'entire') ||
      np.det === 'all' ||
      np.det === 'every' ||
      np.det === 'any'
    )
      return undefined;
    // "the default guest account", "a service account": an account that is a credential, not a cloud account.
    if (
      kind === 'cloud-account' &&
      !tech &&
      !nameWord &&
      !np.words.some((w) =>
        /^(?:aws|gcp|azure|cloud|production|prod|staging|separate|shared|different|another|same|dev|development|security|audit|logging|backup|management|customer|platform)$/.test(
          w.lower,
        ),
      ) &&
      !np.same
    )
      return undefined;
    const mods = np.words.filter(
      (w) => !['same', 'whole', 'entire', 'single', 'one', 'separate'].includes(w.lower),
    );
    const last = this.ctx.lastBoundary.get(kind);
    if ((np.same || mods.length === 0) && !tech && np.det !== 'a' && np.det !== 'an') {
      if (last) return last;
      if (np.det === 'one' || np.det === 'a') return undefined;
    }
    if (np.det === 'a' && mods.length === 0 && !tech && kind !== 'host') return undefined;
    if (tech && mods.length === 0) {
      // "the EKS cluster", "on AKS": the cluster of that technology mentioned last, or a new one.
      const same = [...this.ctx.boundaryByKey.values()]
        .reverse()
        .find((b) => b.kind === 'cluster' && b.name.toLowerCase().includes(tech.value.term.toLowerCase()));
      if (same) return same;
    }
    const first = mods[0] ? t.indexOf(mods[0]) : tech ? tech.start : (np.boundary?.start ?? np.start);
    const lastIdx = Math.max(np.boundary?.end ?? 0, tech?.end ?? 0, first + 1);
    let name = text(t, first, lastIdx);
    if (kind === 'host') name = 'host';
    const env = mods.map((w) => ENVIRONMENTS.get(w.lower)).find((e) => e !== undefined);
    const b = this.boundary(kind, name, `${kind}:${nameKey(name)}`, tech?.value.tech.provider);
    if (env) (b as DraftBoundary & { environment?: string }).environment = env;
    return b;
  }

  private boundary(kind: BoundaryKind, name: string, key: string, provider?: string): DraftBoundary {
    let b = this.ctx.boundaryByKey.get(key);
    if (!b) {
      const id = isIdLike(name) || /^[a-z0-9]+$/.test(name) ? name : undefined;
      b = this.ctx.draft.addBoundary(kind, name, id, this.origin());
      this.ctx.boundaryByKey.set(key, b);
    }
    if (provider) b.provider ??= provider;
    this.ctx.lastBoundary.set(kind, b);
    return b;
  }
}

export function componentsOf(m: Mention | undefined): DraftComponent[] {
  return m?.type === 'component' ? m.comps : [];
}

export { WEIGHT };
