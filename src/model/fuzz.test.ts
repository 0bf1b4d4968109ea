/**
 * Property-based fuzzing of the loader: valid seed models, mutated structurally or as text, serialised as
 * YAML or JSON. Whatever the input, loading never throws, and it either succeeds with a model or fails
 * with located, readable errors. 10 000 runs in all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { starterModel } from '../cli/commands/starter-model.js';
import { type Diagnostic, formatDiagnostics } from './diagnostics.js';
import { type LoadResult, loadModelSources } from './load.js';
import { jsonSyntaxError, parseSource } from './source-file.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const RICH: Obj = {
  $schema: '../schema/threatkrew.schema.json',
  threatkrew: 1,
  name: 'Fuzz seed',
  description: 'A richer model: every list, most fields.',
  boundaries: [
    { id: 'internet', kind: 'internet' },
    { id: 'partners', kind: 'third-party', in: 'internet', provider: 'acme' },
    { id: 'aws', kind: 'cloud-account', provider: 'aws' },
    { id: 'eu', kind: 'region', in: 'aws', jurisdiction: 'EU' },
    { id: 'us', kind: 'region', in: 'aws', jurisdiction: 'US' },
    { id: 'vpc', kind: 'network', in: 'eu', name: 'prod VPC' },
    { id: 'k8s', kind: 'cluster', in: 'vpc' },
    { id: 'ns-shop', kind: 'namespace', in: 'k8s' },
    { id: 'dr', kind: 'network', in: 'us' },
  ],
  components: [
    { id: 'shopper', kind: 'user', in: 'internet' },
    { id: 'partner', kind: 'external-service', in: 'partners' },
    { id: 'cdn', kind: 'cdn', in: 'aws', enforces: ['waf', 'tls-termination'] },
    {
      id: 'gw',
      kind: 'gateway',
      tech: 'aws-api-gateway',
      in: 'vpc',
      enforces: ['authentication', 'rate-limiting'],
      exposure: 'public',
    },
    {
      id: 'orders',
      kind: 'service',
      name: 'Orders',
      in: 'ns-shop',
      'runs-as': 'orders-role',
      assumes: ['input-validated-upstream'],
      controls: ['audit-logging'],
      'secrets-in': ['env'],
      privileged: false,
      'fetches-urls': 'unknown',
      environment: 'production',
    },
    {
      id: 'db',
      kind: 'datastore',
      tech: 'postgresql',
      in: 'vpc',
      stores: ['pii', 'orders-data'],
      'encrypted-at-rest': true,
      replicas: 2,
    },
    { id: 'db-dr', kind: 'datastore', in: 'dr', stores: ['pii'] },
    { id: 'queue', kind: 'queue', in: 'vpc', controls: [] },
    { id: 'ci', kind: 'ci-cd', 'runs-as': 'deployer', 'secrets-in': ['ci-variables'] },
  ],
  identities: [
    {
      id: 'orders-role',
      kind: 'service-role',
      credentials: 'short-lived',
      grants: [
        { resource: 'db', actions: ['read', 'write'], scope: ['orders'] },
        { resource: 'queue', actions: ['publish'] },
      ],
    },
    {
      id: 'deployer',
      kind: 'ci-role',
      credentials: 'long-lived',
      grants: [{ resource: '*', actions: ['*'] }],
    },
  ],
  data: [
    { id: 'pii', classification: 'pii', name: 'Customer PII' },
    { id: 'orders-data', classification: 'financial' },
  ],
  flows: [
    { from: 'shopper', to: 'cdn', protocol: 'https', authn: 'none' },
    { from: 'cdn', to: 'gw', protocol: 'https', authn: 'oidc', via: 'internet' },
    { from: 'partner', to: 'gw', protocol: 'HTTPS', authn: 'api-key' },
    {
      id: 'gw-orders',
      from: 'gw',
      to: 'orders',
      protocol: 'http',
      authn: 'jwt',
      actions: ['invoke'],
      data: ['pii'],
      purpose: 'user-traffic',
      via: 'private',
    },
    {
      id: 'orders-db',
      from: 'orders',
      to: 'db',
      protocol: 'postgres',
      encrypted: true,
      authn: 'password',
      actions: ['read', 'write'],
      scope: ['orders'],
      data: ['pii', 'orders-data'],
    },
    { from: 'orders', to: 'queue', protocol: 'amqps', actions: ['publish'] },
    { from: 'db', to: 'db-dr', protocol: 'postgres', purpose: 'replication', encrypted: 'unknown' },
    { from: 'ci', to: 'orders', protocol: 'https', authn: 'iam', purpose: 'deploy' },
  ],
  assumptions: [{ id: 'a1', text: 'The VPC is private.' }],
  questions: [
    { id: 'q1', subject: 'db->db-dr', attribute: 'encrypted', text: 'Is replication encrypted?' },
    { id: 'q2', subject: 'orders', attribute: 'privileged', text: 'Privileged?' },
  ],
  risks: [
    {
      id: 'r1',
      rule: 'unencrypted-flow',
      primary: 'gw-orders',
      status: 'accepted',
      reason: 'Inside the VPC.',
      owner: 'sec-team',
      expires: '2027-01-31',
    },
    { finding: '0123456789abcdef', status: 'mitigated', reason: 'Fixed.', how: 'TLS everywhere' },
    { rule: 'public-datastore', primary: ['db', 'db-dr'], status: 'false-positive', reason: 'Not public.' },
  ],
};

const SEEDS: Obj[] = [parseYaml(starterModel('./schema/threatkrew.schema.json')) as Obj, RICH];
const SEED_IDS = [
  ...new Set(
    SEEDS.flatMap((s) =>
      Object.values(s).flatMap((v) =>
        Array.isArray(v)
          ? v.flatMap((e) => (e && typeof e === 'object' && 'id' in e ? [String(e.id)] : []))
          : [],
      ),
    ),
  ),
];
const REF_KEYS = new Set([
  'in',
  'from',
  'to',
  'runs-as',
  'subject',
  'resource',
  'stores',
  'data',
  'primary',
  'id',
]);

// ---- structural mutations ------------------------------------------------------------------------------

interface Slot {
  parent: Json[] | Obj;
  key: string | number;
  /** The nearest object key above (for list items: the list's key). */
  field: string;
}

function slots(root: Obj): Slot[] {
  const out: Slot[] = [];
  const stack: [Json, string][] = [[root, '']];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, field] = top;
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        out.push({ parent: node, key: i, field });
        stack.push([v, field]);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        out.push({ parent: node, key: k, field: k });
        stack.push([v, k]);
      }
    }
  }
  return out;
}

const get = (s: Slot): Json => (s.parent as Record<string | number, Json>)[s.key] as Json;
const set = (s: Slot, v: Json) => {
  (s.parent as Record<string | number, Json>)[s.key] = v;
};
const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const pick = <T>(xs: readonly T[], n: number): T | undefined =>
  xs.length === 0 ? undefined : xs[n % xs.length];

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'typo'; at: number; pos: number; ch: string; edit: 'insert' | 'delete' | 'replace' | 'case' }
  | { op: 'retype'; at: number; value: Json }
  | { op: 'duplicate'; at: number }
  | { op: 'ref'; at: number; value: string }
  | { op: 'unicode'; at: number; pos: number; text: string }
  | { op: 'nest'; at: number; depth: number; asList: boolean };

const refValue = fc.oneof(
  fc.constantFrom(...SEED_IDS),
  fc.constantFrom(
    'a->b',
    'shopper->cdn',
    'db->db-dr',
    '*',
    '',
    ' ',
    '-x',
    'x'.repeat(129),
    'undefined-id',
    'ID',
  ),
  fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/),
  fc.string({ maxLength: 12 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('typo' as const),
    at: fc.nat(),
    pos: fc.nat(),
    ch: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-_ $<'),
    edit: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const, 'case' as const),
  }),
  fc.record({
    op: fc.constant('retype' as const),
    at: fc.nat(),
    value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('ref' as const), at: fc.nat(), value: refValue }),
  fc.record({
    op: fc.constant('unicode' as const),
    at: fc.nat(),
    pos: fc.nat(),
    text: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 16 }),
      fc.string({ unit: 'grapheme', maxLength: 16 }),
    ),
  }),
  fc.record({
    op: fc.constant('nest' as const),
    at: fc.nat(),
    depth: fc.integer({ min: 1, max: 80 }),
    asList: fc.boolean(),
  }),
);

/** Another value of a different JSON type than `old`. */
function otherType(old: Json, value: Json): Json {
  if (typeOf(value) !== typeOf(old)) return value;
  switch (typeOf(old)) {
    case 'string':
      return 123;
    case 'number':
      return 'twelve';
    case 'boolean':
      return null;
    case 'null':
      return true;
    case 'array':
      return { not: 'a list' };
    default:
      return ['not', 'a', 'mapping'];
  }
}

function typo(word: string, m: Extract<Mutation, { op: 'typo' }>): string {
  const i = m.pos % (word.length + 1);
  switch (m.edit) {
    case 'insert':
      return word.slice(0, i) + m.ch + word.slice(i);
    case 'delete':
      return word.length === 0 ? m.ch : word.slice(0, i) + word.slice(i + 1);
    case 'replace':
      return word.slice(0, i) + m.ch + word.slice(i + 1);
    default:
      return word.toUpperCase() === word ? `${word}x` : word.toUpperCase();
  }
}

/** Applies mutations to a deep copy of the seed; the result may be any JSON value (or nothing). */
function mutate(seed: Obj, mutations: readonly Mutation[]): Json | undefined {
  const box: Obj = { root: structuredClone(seed) };
  for (const m of mutations) {
    const all = slots(box);
    switch (m.op) {
      case 'delete': {
        const s = pick(all, m.at);
        if (!s) break;
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
        else delete s.parent[s.key as string];
        break;
      }
      case 'typo': {
        const s = pick(
          all.filter((x) => !Array.isArray(x.parent) && x.parent !== box),
          m.at,
        );
        if (!s) break;
        const parent = s.parent as Obj;
        const key = s.key as string;
        const renamed = typo(key, m);
        const entries = Object.entries(parent).map(([k, v]): [string, Json] => [k === key ? renamed : k, v]);
        for (const k of Object.keys(parent)) delete parent[k];
        for (const [k, v] of entries) parent[k] = v;
        break;
      }
      case 'retype': {
        const s = pick(all, m.at);
        if (s) set(s, otherType(get(s), m.value));
        break;
      }
      case 'duplicate': {
        const s = pick(
          all.filter((x) => Array.isArray(x.parent)),
          m.at,
        );
        if (s) (s.parent as Json[]).splice((s.key as number) + 1, 0, structuredClone(get(s)));
        break;
      }
      case 'ref': {
        const s = pick(
          all.filter((x) => REF_KEYS.has(x.field) && typeof get(x) === 'string'),
          m.at,
        );
        if (s) set(s, m.value);
        break;
      }
      case 'unicode': {
        const s = pick(
          all.filter((x) => typeof get(x) === 'string'),
          m.at,
        );
        if (!s) break;
        const v = get(s) as string;
        const i = m.pos % (v.length + 1);
        set(s, v.slice(0, i) + m.text + v.slice(i));
        break;
      }
      case 'nest': {
        const s = pick(all, m.at);
        if (!s) break;
        let v = get(s);
        for (let d = 0; d < m.depth; d++) v = m.asList ? [v] : { deeper: v };
        set(s, v);
        break;
      }
    }
  }
  return box.root;
}

// ---- serialising and checking ----------------------------------------------------------------------------

type Format = 'yaml' | 'yaml-flow' | 'json' | 'json-compact';
const format = fc.constantFrom<Format>('yaml', 'yaml-flow', 'json', 'json-compact');

function serialise(value: Json | undefined, f: Format): { file: string; text: string } {
  if (f === 'json' || f === 'json-compact') {
    const text = value === undefined ? '' : JSON.stringify(value, null, f === 'json' ? 2 : undefined);
    return { file: 'fuzz.json', text };
  }
  const text =
    value === undefined ? '' : stringifyYaml(value, { collectionStyle: f === 'yaml-flow' ? 'flow' : 'any' });
  return { file: 'fuzz.yaml', text };
}

function load(file: string, text: string): LoadResult {
  const parsed = parseSource(file, text);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  return loadModelSources([parsed.source]);
}

/** What must hold for any input: no throw; a model, or located and readable errors. */
function checkOutcome(file: string, text: string): void {
  const result = load(file, text);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  const problems: string[] = [];
  const report = (d: Diagnostic, why: string) => problems.push(`${why}: ${JSON.stringify(d)}`);
  for (const d of result.diagnostics) {
    if (d.file !== file) report(d, 'wrong file');
    if (d.severity !== 'error' && d.severity !== 'warning') report(d, 'bad severity');
    if (typeof d.message !== 'string' || d.message.trim() === '') report(d, 'empty message');
    // One diagnostic is one line of output, whatever the user wrote.
    if (/[\n\r\u2028\u2029]/.test(d.message)) report(d, 'message spans lines');
    if (d.message.length > 600) report(d, 'message too long');
    for (const junk of ['undefined', '[object Object]', 'NaN']) {
      if (d.message.includes(junk) && !text.includes(junk)) report(d, `message says ${junk}`);
    }
    const located =
      Number.isInteger(d.line) &&
      Number.isInteger(d.col) &&
      (d.line as number) >= 1 &&
      (d.col as number) >= 1;
    // Only a problem with the whole file (it holds no document at all) may come without a position.
    const wholeFile = result.diagnostics.length === 1 && /holds no YAML document/.test(d.message);
    if (!located && !wholeFile) report(d, 'not located');
    else if ((d.line as number) > lineCount + 1) report(d, `line beyond the end (${lineCount} lines)`);
  }
  if (result.ok) {
    if (!result.model || !result.view) problems.push('ok without a model');
    for (const d of result.diagnostics) if (d.severity === 'error') report(d, 'error on ok');
    // Derived facts must be computable on anything the loader accepts.
    const v = result.view;
    v.entryPaths();
    for (const c of v.components) {
      v.isInternetReachable(c.id);
      v.isExposed(c.id);
      v.componentBoundaries(c.id);
    }
    for (const f of v.flows) void [f.crosses, f.crossRegion, f.encrypted, f.authnStrength];
  } else if (!result.diagnostics.some((d) => d.severity === 'error')) {
    problems.push('failed without an error');
  }
  formatDiagnostics(result.diagnostics);
  if (problems.length > 0) {
    throw new Error(`${problems.join('\n')}\n--- ${file} ---\n${text.slice(0, 2000)}`);
  }
}

// ---- text mutations ---------------------------------------------------------------------------------------

type TextEdit =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; ch: string }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete-line'; at: number }
  | { op: 'duplicate-line'; at: number };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('flip' as const),
    at: fc.nat(),
    ch: fc.oneof(
      fc.constantFrom(...':-{}[],#&*!|>\'"%@`?\t\n\r \\'.split('')),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
  }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom(
        '\n---\n',
        '&a ',
        '*a',
        '!!binary ',
        '<<: ',
        '\ufeff',
        '\u0000',
        '\t',
        'null',
        '~',
        '\n- ',
      ),
    ),
  }),
  fc.record({ op: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat() }),
);

function editText(text: string, edits: readonly TextEdit[]): string {
  let t = text;
  for (const e of edits) {
    const i = e.at % (t.length + 1);
    switch (e.op) {
      case 'truncate':
        t = t.slice(0, i);
        break;
      case 'flip':
        t = t.slice(0, i) + e.ch + t.slice(i + 1);
        break;
      case 'insert':
        t = t.slice(0, i) + e.text + t.slice(i);
        break;
      default: {
        const lines = t.split('\n');
        const n = e.at % lines.length;
        if (e.op === 'delete-line') lines.splice(n, 1);
        else lines.splice(n, 0, lines[n] ?? '');
        t = lines.join('\n');
      }
    }
  }
  return t;
}

// ---- properties -------------------------------------------------------------------------------------------

const seedIndex = fc.nat({ max: SEEDS.length - 1 });

describe('loader fuzzing', () => {
  it('loads every seed cleanly, as YAML and as JSON', () => {
    for (const seed of SEEDS) {
      for (const f of ['yaml', 'yaml-flow', 'json', 'json-compact'] as const) {
        const { file, text } = serialise(seed, f);
        const r = load(file, text);
        expect(r.diagnostics, `${f}\n${text}`).toEqual([]);
        expect(r.ok).toBe(true);
      }
    }
  });

  it('survives structural mutations of valid models', () => {
    fc.assert(
      fc.property(seedIndex, fc.array(mutation, { minLength: 1, maxLength: 4 }), format, (s, ms, f) => {
        const { file, text } = serialise(mutate(SEEDS[s] as Obj, ms), f);
        checkOutcome(file, text);
      }),
      { numRuns: 5000 },
    );
  });

  it('survives edits to the serialised text', () => {
    fc.assert(
      fc.property(seedIndex, fc.array(textEdit, { minLength: 1, maxLength: 5 }), format, (s, edits, f) => {
        const { file, text } = serialise(SEEDS[s] as Obj, f);
        checkOutcome(file, editText(text, edits));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds a JSON syntax error exactly when the native parser does', () => {
    fc.assert(
      fc.property(seedIndex, fc.array(textEdit, { maxLength: 3 }), (s, edits) => {
        const text = editText(JSON.stringify(SEEDS[s]), edits);
        let native = true;
        try {
          JSON.parse(text);
        } catch {
          native = false;
        }
        const found = jsonSyntaxError(text);
        expect(found === undefined, `${JSON.stringify(found)}\n${text}`).toBe(native);
        if (found) expect(found.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 500 },
    );
  });

  it('survives random documents', () => {
    const element = fc.dictionary(
      fc.oneof(
        fc.constantFrom('id', 'kind', 'in', 'from', 'to', 'name', 'stores', 'grants', 'status'),
        fc.string({ maxLength: 6 }),
      ),
      fc.oneof(fc.constantFrom(...SEED_IDS), fc.jsonValue({ maxDepth: 2 })),
      { maxKeys: 5 },
    );
    const doc = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          threatkrew: fc.oneof(fc.constant(1), fc.jsonValue({ maxDepth: 1 })),
          name: fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })),
          boundaries: fc.array(element, { maxLength: 3 }),
          components: fc.array(element, { maxLength: 4 }),
          identities: fc.array(element, { maxLength: 2 }),
          data: fc.array(element, { maxLength: 2 }),
          flows: fc.array(element, { maxLength: 4 }),
          questions: fc.array(element, { maxLength: 2 }),
          risks: fc.array(element, { maxLength: 2 }),
        },
        { requiredKeys: ['threatkrew'] },
      ),
    );
    fc.assert(
      fc.property(doc, format, (d, f) => {
        const { file, text } = serialise(d as Json, f);
        checkOutcome(file, text);
      }),
      { numRuns: 1500 },
    );
  });
});
