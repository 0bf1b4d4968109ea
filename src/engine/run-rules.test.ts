import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadModelSources } from '../model/load.js';
import { parseSource } from '../model/source-file.js';
import type { View } from '../model/view.js';
import { type Draft, defineRule, type Rule } from '../rules/define-rule.js';
import type { Finding } from './analysis.js';
import { analyze, sortById } from './run-rules.js';

function view(yaml: string): View {
  const parsed = parseSource('model.yaml', yaml);
  if (!parsed.ok) throw new Error('bad yaml');
  const loaded = loadModelSources([parsed.source]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.view;
}

const MODEL = `threatkrew: 1
name: engine test
boundaries:
  - { id: internet, kind: internet }
  - { id: net, kind: network }
components:
  - { id: user, kind: user, in: internet }
  - { id: api, kind: service, in: net }
  - { id: db, kind: datastore, in: net, stores: [pii] }
data:
  - { id: pii, classification: pii }
flows:
  - { from: user, to: api, protocol: https, authn: oidc }
  - { from: api, to: db, protocol: postgres, authn: password }
questions:
  - { id: q-db-enc, subject: "api->db", attribute: encrypted, text: "Does the API use TLS to the database?" }
`;

function rule(id: string, drafts: (v: View) => Draft[], extra: Partial<Rule['meta']> = {}): Rule {
  return defineRule({
    meta: {
      id,
      title: `Rule ${id}`,
      summary: 's',
      stride: ['tampering'],
      cwe: ['CWE-20'],
      capec: [],
      attack: [],
      compliance: { soc2: ['CC8.1'] },
      assumes: ['encrypted'],
      detection: 'd',
      severityRationale: 'r',
      falsePositives: 'f',
      references: [],
      messages: { a: 'A on {x}', b: 'B on {x}' },
      mitigation: 'fix {x}',
      ...extra,
    },
    *detect(v) {
      yield* drafts(v);
    },
  });
}

const base = { data: { x: 'api' }, evidence: ['e'] } as const;

describe('the engine', () => {
  it('merges drafts with one root cause: highest factors, confirmed wins, union of subjects and evidence', () => {
    const r = rule('merge', () => [
      {
        ...base,
        messageId: 'a',
        primary: ['api'],
        subjects: ['db'],
        likelihood: 'possible',
        impact: 'very-high',
        confidence: 'assumed',
        unknowns: [{ subject: 'api->db', attribute: 'encrypted' }],
        evidence: ['one'],
      },
      {
        ...base,
        messageId: 'b',
        primary: ['api'],
        subjects: ['user'],
        likelihood: 'very-likely',
        impact: 'low',
        confidence: 'confirmed',
        evidence: ['two'],
      },
    ]);
    const a = analyze(view(MODEL), [r]);
    expect(a.findings).toHaveLength(1);
    const f = a.findings[0];
    expect(f?.likelihood).toBe('very-likely');
    expect(f?.impact).toBe('very-high');
    expect(f?.confidence).toBe('confirmed');
    expect(f?.severity).toBe('critical');
    expect(f?.subjects.components).toEqual(['api', 'db', 'user']);
    expect(f?.evidence).toEqual(['one', 'two']);
    // the message of the most severe draft: b (very-likely/low confirmed = medium) vs a (possible/very-high assumed = medium) tie → 'a'
    expect(f?.messageId).toBe('a');
    expect(f?.message).toBe('A on api');
    expect(f?.mitigation).toBe('fix api');
  });

  it('drops a finding that another rule supersedes on the same primary, and only then', () => {
    const general = rule('general', () => [
      {
        ...base,
        messageId: 'a',
        primary: ['api->db'],
        likelihood: 'likely',
        impact: 'high',
        confidence: 'confirmed',
      },
      {
        ...base,
        messageId: 'a',
        primary: ['user->api'],
        likelihood: 'likely',
        impact: 'high',
        confidence: 'confirmed',
      },
    ]);
    const specific = rule(
      'specific',
      () => [
        {
          ...base,
          messageId: 'a',
          primary: ['api->db'],
          likelihood: 'likely',
          impact: 'high',
          confidence: 'confirmed',
        },
      ],
      { supersedes: ['general'] },
    );
    const got = analyze(view(MODEL), [general, specific]).findings.map(
      (f) => `${f.ruleId}:${f.primary.join(',')}`,
    );
    expect(got.sort()).toEqual(['general:user->api', 'specific:api->db']);
  });

  it('turns unknowns into one question per subject and attribute, keeping the model’s own question', () => {
    const r = rule('asks', () => [
      {
        ...base,
        messageId: 'a',
        primary: ['api->db'],
        likelihood: 'likely',
        impact: 'high',
        confidence: 'assumed',
        unknowns: [{ subject: 'api->db', attribute: 'encrypted' }],
      },
      {
        ...base,
        messageId: 'a',
        primary: ['db'],
        likelihood: 'likely',
        impact: 'high',
        confidence: 'assumed',
        unknowns: [{ subject: 'api->db', attribute: 'encrypted' }],
      },
    ]);
    const a = analyze(view(MODEL), [r]);
    expect(a.questions).toEqual([
      {
        id: 'q-db-enc',
        subject: 'api->db',
        attribute: 'encrypted',
        text: 'Does the API use TLS to the database?',
      },
    ]);
    expect(a.findings.every((f) => f.questions.join() === 'q-db-enc')).toBe(true);
  });

  it('orders findings by severity, then rule id, then id, and drops assumed ones with confirmedOnly', () => {
    const r1 = rule('b-rule', () => [
      {
        ...base,
        messageId: 'a',
        primary: ['api'],
        likelihood: 'possible',
        impact: 'low',
        confidence: 'confirmed',
      },
    ]);
    const r2 = rule('a-rule', () => [
      {
        ...base,
        messageId: 'a',
        primary: ['db'],
        likelihood: 'possible',
        impact: 'low',
        confidence: 'confirmed',
      },
      {
        ...base,
        messageId: 'a',
        primary: ['user'],
        likelihood: 'very-likely',
        impact: 'very-high',
        confidence: 'assumed',
        unknowns: [{ subject: 'user', attribute: 'encrypted' }],
      },
    ]);
    const a = analyze(view(MODEL), [r1, r2]);
    expect(a.findings.map((f) => `${f.severity} ${f.ruleId} ${f.primary}`)).toEqual([
      'critical a-rule user',
      'low a-rule db',
      'low b-rule api',
    ]);
    expect(analyze(view(MODEL), [r1, r2], { confirmedOnly: true }).findings.map((f) => f.primary[0])).toEqual(
      ['db', 'api'],
    );
  });

  it('rejects drafts that break the rule contract', () => {
    const bad = (d: Partial<Draft>) =>
      rule('bad', () => [
        {
          ...base,
          messageId: 'a',
          primary: ['api'],
          likelihood: 'likely',
          impact: 'high',
          confidence: 'confirmed',
          ...d,
        } as Draft,
      ]);
    expect(() => analyze(view(MODEL), [bad({ messageId: 'zzz' })])).toThrow(/unknown messageId/);
    expect(() => analyze(view(MODEL), [bad({ primary: [] })])).toThrow(/primary/);
    expect(() => analyze(view(MODEL), [bad({ primary: ['ghost'] })])).toThrow(/unknown element/);
    expect(() => analyze(view(MODEL), [bad({ confidence: 'assumed' })])).toThrow(/unknowns/);
    expect(() => analyze(view(MODEL), [bad({ data: {} })])).toThrow(/placeholder \{x\}/);
  });

  it('finds attack paths to crown jewels with their weakest link', () => {
    const a = analyze(view(MODEL), []);
    expect(a.attackPaths).toEqual([
      {
        from: 'user',
        to: 'db',
        hops: ['user->api', 'api->db'],
        weakestLink: { flow: 'api->db', reason: 'weak authentication (password), encryption not stated' },
        findings: [],
      },
    ]);
    expect(a.bounds).toEqual({ maxHops: 8, maxPathsPerTarget: 3, hit: false });
  });

  it('is deterministic', () => {
    const r = rule('det', (v) =>
      v.flows.map(
        (f) =>
          ({
            ...base,
            messageId: 'a',
            primary: [f.id],
            likelihood: 'likely',
            impact: 'high',
            confidence: 'confirmed',
          }) as Draft,
      ),
    );
    expect(JSON.stringify(analyze(view(MODEL), [r]).findings)).toBe(
      JSON.stringify(analyze(view(MODEL), [r]).findings),
    );
  });
});

describe('sortById', () => {
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // Ids from a few shared eight-digit prefixes, so that runs tie on the prefix the keys sort by, some
  // repeated (the sort is stable), and now and then one that is not a fingerprint.
  const hex = fc.constantFrom(...'0123456789abcdef'.split(''));
  const id = fc.oneof(
    {
      arbitrary: fc.tuple(
        fc.constantFrom('00000000', 'ffffffff', '7a3c0b19', '7a3c0b1a'),
        fc.array(hex, { minLength: 0, maxLength: 8 }),
      ),
      weight: 8,
    },
    {
      arbitrary: fc.string({ minLength: 0, maxLength: 12 }).map((s) => [s, [] as string[]] as const),
      weight: 1,
    },
  );
  const findings = (ids: (readonly [string, readonly string[]])[]) =>
    ids.map(([head, tail], n) => ({ id: head + tail.join(''), n }) as unknown as Finding & { n: number });

  it('orders as a stable sort by id does, for runs sorted by key and by comparison', () => {
    fc.assert(
      fc.property(
        fc.array(id, { minLength: 0, maxLength: 400, size: 'max' }),
        fc.boolean(),
        (ids, hexOnly) => {
          const run = findings(hexOnly ? ids.filter(([h]) => /^[0-9a-f]{8}/.test(h)) : ids);
          const expected = [...run].sort(byId).map((f) => (f as unknown as { n: number }).n);
          sortById(run);
          expect(run.map((f) => (f as unknown as { n: number }).n)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
