/** What the English importer understands, sentence by sentence, and how it handles bad input. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../engine/run-rules.js';
import { loadModelSources } from '../../model/load.js';
import type { Component, Flow, ModelFile } from '../../model/schema.js';
import { SourceFile } from '../../model/source-file.js';
import { CATALOGUE } from '../../rules/catalog/index.js';
import { type EnglishImport, importEnglish } from './index.js';
import { TECHNOLOGIES } from './lexicon.js';
import { refineWithLlm } from './llm.js';

const read = (text: string, file = 'design.md'): EnglishImport => importEnglish([{ file, text }]);
const comp = (m: ModelFile, id: string): Component => {
  const c = m.components?.find((x) => x.id === id);
  if (!c) throw new Error(`no component ${id} in [${m.components?.map((x) => x.id).join(', ')}]`);
  return c;
};
const flow = (m: ModelFile, from: string, to: string): Flow => {
  const f = m.flows?.find((x) => x.from === from && x.to === to);
  if (!f)
    throw new Error(`no flow ${from}->${to} in [${m.flows?.map((x) => `${x.from}->${x.to}`).join(', ')}]`);
  return f;
};
const analysisOf = (m: ModelFile) => {
  const loaded = loadModelSources([new SourceFile('design.md', '', m)]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return analyze(loaded.view, CATALOGUE, { asOf: '2026-06-01' });
};

describe('names, kinds and coreference', () => {
  it('reads "a PostgreSQL database called orders-db" and "the Orders service"', () => {
    const { model } = read('The Orders service writes to a PostgreSQL database called orders-db.');
    expect(comp(model, 'orders-db')).toMatchObject({ kind: 'datastore', tech: 'postgresql' });
    expect(comp(model, 'orders')).toMatchObject({ kind: 'service', name: 'Orders service' });
    expect(flow(model, 'orders', 'orders-db').actions).toEqual(['write']);
  });

  it('resolves "it", "the database" and "both"', () => {
    const { model } = read(
      'The Cart service calls the Inventory service. It also reads from a MySQL database called stock-db. ' +
        'The database is encrypted at rest. The Cart service and the Inventory service talk over plain HTTP; both run in the same VPC.',
    );
    flow(model, 'cart', 'stock-db');
    expect(comp(model, 'stock-db')['encrypted-at-rest']).toBe(true);
    expect(comp(model, 'cart').in).toBe(comp(model, 'inventory').in);
    expect(model.boundaries?.find((b) => b.id === comp(model, 'cart').in)?.kind).toBe('network');
  });

  it('maps technologies to kinds, Kubernetes to a cluster boundary and namespaces inside it', () => {
    const { model } = read(
      'The Orders service runs in the `checkout` namespace of the `shop-prod` Kubernetes cluster. ' +
        'It publishes to Amazon SQS, caches in Redis, searches in Elasticsearch, reads secrets from HashiCorp Vault, ' +
        'calls Stripe and sends prompts to the OpenAI API. Shoppers reach it through CloudFront and AWS WAF.',
    );
    const orders = comp(model, 'orders');
    const ns = model.boundaries?.find((b) => b.id === orders.in);
    expect(ns?.kind).toBe('namespace');
    expect(model.boundaries?.find((b) => b.id === ns?.in)?.kind).toBe('cluster');
    const kinds = Object.fromEntries((model.components ?? []).map((c) => [c.name ?? c.id, c.kind]));
    expect(kinds).toMatchObject({
      'Amazon SQS': 'queue',
      Redis: 'cache',
      Elasticsearch: 'search',
      'HashiCorp Vault': 'secret-store',
      Stripe: 'external-service',
      'OpenAI API': 'llm',
      CloudFront: 'cdn',
      'AWS WAF': 'waf',
      Shopper: 'user',
    });
    // SaaS sits in a third-party boundary.
    const openai = (model.components ?? []).find((c) => c.name === 'OpenAI API');
    expect(model.boundaries?.find((b) => b.id === openai?.in)?.kind).toBe('third-party');
  });

  it('gives stable ids: the same text always gives the same model', () => {
    const text = 'Customers use the Web app. The Web app calls the Orders API over HTTPS.';
    expect(JSON.stringify(read(text).model)).toBe(JSON.stringify(read(text).model));
  });
});

describe('relations and their direction (the caller is from)', () => {
  const cases: [string, string, string][] = [
    ['The Orders service calls the Billing service.', 'orders', 'billing'],
    ['The Orders service talks to the Billing service.', 'orders', 'billing'],
    ['The Orders service sends invoices to the Billing service.', 'orders', 'billing'],
    ['The API gateway forwards requests to the Orders service.', 'api-gateway', 'orders'],
    ['The Orders service reads from orders-db.', 'orders', 'orders-db'],
    ['The Orders service writes to orders-db.', 'orders', 'orders-db'],
    ['The Orders service stores orders in orders-db.', 'orders', 'orders-db'],
    ['The Orders service publishes to order-events.', 'orders', 'order-events'],
    ['The Billing service consumes from order-events.', 'billing', 'order-events'],
    ['The Reporting job queries orders-db.', 'reporting-job', 'orders-db'],
    ['orders-db replicates to orders-replica.', 'orders-db', 'orders-replica'],
    ['The Export job exports orders to reports-bucket.', 'export-job', 'reports-bucket'],
    ['The Deploy pipeline deploys to the Orders service.', 'deploy-pipeline', 'orders'],
    ['The Orders service retrieves keys from secrets-vault.', 'orders', 'secrets-vault'],
    ['The Orders service logs to logs-es.', 'orders', 'logs-es'],
    ['The Billing service is called by the Orders service.', 'orders', 'billing'],
    ['The Orders service sits behind Kong.', 'kong', 'orders'],
  ];
  for (const [text, from, to] of cases) {
    it(text, () => {
      flow(read(text).model, from, to);
    });
  }

  it('gives purposes and actions: replication, backup, deploy, telemetry, read and write', () => {
    const { model } = read(
      'orders-db replicates to orders-replica. orders-db backs up to backup-bucket. ' +
        'The Orders service reads and writes orders-db. The Orders service logs to logs-es.',
    );
    expect(flow(model, 'orders-db', 'orders-replica').purpose).toBe('replication');
    expect(flow(model, 'orders-db', 'backup-bucket').purpose).toBe('backup');
    expect(flow(model, 'orders', 'orders-db').actions?.sort()).toEqual(['read', 'write']);
    expect(flow(model, 'orders', 'logs-es').purpose).toBe('telemetry');
  });
});

describe('security facts', () => {
  it('reads encryption in transit: HTTPS, TLS, mTLS, plain HTTP, without TLS, PLAINTEXT', () => {
    const { model } = read(
      [
        'The Web app calls the Orders API over HTTPS.',
        'The Orders API calls the Billing API over gRPC with TLS.',
        'The Billing API calls the Ledger API with mTLS.',
        'The Ledger API calls the Audit API over plain HTTP.',
        'The Audit API writes to audit-db without TLS.',
        'The Orders API publishes to order-events using the PLAINTEXT listener.',
      ].join(' '),
    );
    expect(flow(model, 'web-app', 'orders-api').protocol).toBe('https');
    expect(flow(model, 'orders-api', 'billing-api').protocol).toBe('grpcs');
    expect(flow(model, 'billing-api', 'ledger-api')).toMatchObject({ authn: 'mtls', encrypted: true });
    expect(flow(model, 'ledger-api', 'audit-api').protocol).toBe('http');
    expect(flow(model, 'audit-api', 'audit-db').encrypted).toBe(false);
    expect(flow(model, 'orders-api', 'order-events').protocol).toBe('kafka-plaintext');
  });

  it('reads authentication methods and their absence', () => {
    const { model } = read(
      [
        'The Orders API calls the Billing API with an API key.',
        'The Billing API calls the Ledger API with a JWT.',
        'The Ledger API calls the Tax API using OAuth2.',
        'The Tax API calls the Audit API without authentication.',
        'The Audit API connects to audit-db with a username and password.',
        'The Audit API calls the Archive API using its IAM role.',
      ].join(' '),
    );
    expect(flow(model, 'orders-api', 'billing-api').authn).toBe('api-key');
    expect(flow(model, 'billing-api', 'ledger-api').authn).toBe('jwt');
    expect(flow(model, 'ledger-api', 'tax-api').authn).toBe('oauth2');
    expect(flow(model, 'tax-api', 'audit-api').authn).toBe('none');
    expect(flow(model, 'audit-api', 'audit-db').authn).toBe('password');
    expect(flow(model, 'audit-api', 'archive-api').authn).toBe('iam');
  });

  it('reads trust, validation and controls', () => {
    const { model } = read(
      [
        'Users call the Orders service through API Gateway.',
        'API Gateway validates JWTs and applies rate limiting, but it does not validate request bodies.',
        'The Orders service trusts API Gateway to validate input.',
        'The Inventory service trusts every caller inside the VPC.',
        'The Admin console requires MFA and is only reachable from the office IP allow-list.',
        'The Refund bot issues refunds without human approval.',
        'orders-db has audit logging.',
      ].join(' '),
    );
    expect(comp(model, 'api-gateway').enforces).toEqual(['authentication', 'rate-limiting']);
    expect(comp(model, 'orders').assumes).toEqual(['input-validated-upstream']);
    expect(comp(model, 'inventory').assumes).toEqual(['network-trusted']);
    expect(comp(model, 'admin-console').controls).toEqual(['mfa', 'ip-allowlist']);
    expect(comp(model, 'refund-bot').controls).toEqual([]);
    expect(comp(model, 'orders-db').controls).toEqual(['audit-logging']);
    expect(model.assumptions?.map((a) => a.id)).toEqual([
      'orders-assumes-input-validated-upstream',
      'inventory-assumes-network-trusted',
    ]);
  });

  it('reads permissions and what is actually needed', () => {
    const { model } = read(
      [
        'The Reporting job runs as the IAM role reporting-role.',
        'reporting-role has admin on orders-db.',
        'The Reporting job only reads the orders and customers tables of orders-db.',
        'The CI pipeline uses the IAM user deploy-bot, which has AdministratorAccess and long-lived access keys.',
        'The Payout worker runs as payout-role, which has s3:* on all buckets.',
        'The Search service has read-only access to orders-db.',
      ].join(' '),
    );
    const identities = Object.fromEntries((model.identities ?? []).map((i) => [i.id, i]));
    expect(identities['reporting-role']?.grants).toEqual([{ resource: 'orders-db', actions: ['admin'] }]);
    expect(flow(model, 'reporting-job', 'orders-db')).toMatchObject({
      actions: ['read'],
      scope: ['orders', 'customers'],
    });
    expect(identities['deploy-bot']).toMatchObject({
      kind: 'machine-user',
      credentials: 'long-lived',
      grants: [{ resource: '*', actions: ['*'] }],
    });
    expect(identities['payout-role']?.grants).toEqual([{ resource: '*', actions: ['*'] }]);
    expect(comp(model, 'search')['runs-as']).toBeDefined();
    const findings = analysisOf(model).findings.filter((f) => f.ruleId === 'over-privileged-identity');
    expect(findings.map((f) => f.primary[0])).toEqual(
      expect.arrayContaining(['deploy-bot', 'payout-role', 'reporting-role']),
    );
  });

  it('reads encryption at rest, exposure, VPN-only, data kinds and secrets', () => {
    const { model } = read(
      [
        'The Patient API stores patient records in records-db, which holds PHI and is encrypted at rest.',
        'The Patient API uploads scans to scans-bucket. scans-bucket is public and is not encrypted at rest.',
        'Clinicians use the Admin portal, which is only reachable over the VPN.',
        'The Billing service writes card data and invoices to billing-db.',
        'The Billing service keeps its database password in an environment variable.',
        'The Tax service has its API key hard-coded in the source code.',
        'The Mailer reads its SMTP credentials from a config file.',
        'The Patient API sends customer PII to the CRM API over the internet.',
      ].join(' '),
    );
    expect(comp(model, 'records-db')).toMatchObject({ 'encrypted-at-rest': true });
    expect(comp(model, 'scans-bucket')).toMatchObject({ exposure: 'public', 'encrypted-at-rest': false });
    expect(comp(model, 'admin-portal').exposure).toBe('internal');
    expect(flow(model, 'clinician', 'admin-portal').via).toBe('vpn');
    const classes = Object.fromEntries((model.data ?? []).map((d) => [d.id, d.classification]));
    expect(classes).toMatchObject({
      phi: 'phi',
      'card-data': 'pci',
      invoices: 'financial',
      'customer-pii': 'pii',
    });
    expect(comp(model, 'billing-db').stores).toEqual(expect.arrayContaining(['card-data', 'invoices']));
    expect(comp(model, 'billing')['secrets-in']).toEqual(['env']);
    expect(comp(model, 'tax')['secrets-in']).toEqual(['source-code']);
    expect(comp(model, 'mailer')['secrets-in']).toEqual(['config-file']);
    expect(flow(model, 'patient-api', 'crm-api').via).toBe('internet');
  });

  it('reads regions, accounts and shared networks as boundaries', () => {
    const { model } = read(
      'The Orders service runs in the prod VPC in eu-west-1, in the AWS account shop-prod. orders-db replicates to orders-dr, a replica in us-east-1.',
    );
    const b = Object.fromEntries((model.boundaries ?? []).map((x) => [x.id, x]));
    expect(b['eu-west-1']).toMatchObject({ kind: 'region', jurisdiction: 'EU', provider: 'aws' });
    expect(b['us-east-1']).toMatchObject({ kind: 'region', jurisdiction: 'US' });
    expect(b['prod-vpc']).toMatchObject({ kind: 'network', in: 'eu-west-1' });
    expect(comp(model, 'orders-dr').in).toBe('us-east-1');
  });
});

describe('questions and unused sentences', () => {
  it('asks about the facts that matter and nothing else', () => {
    const { model } = read(
      'The Orders service calls the Billing service. The Billing service writes customer PII to billing-db.',
    );
    const ids = (model.questions ?? []).map((q) => `${q.subject} ${q.attribute}`).sort();
    expect(ids).toEqual([
      'billing->billing-db authn',
      'billing->billing-db encrypted',
      'billing-db encrypted-at-rest',
      'billing-db exposure',
      'orders->billing authn',
      'orders->billing encrypted',
    ]);
    expect(
      model.questions?.find((q) => q.attribute === 'encrypted' && q.subject === 'orders->billing')?.text,
    ).toBe('Is the flow from Orders service to Billing service encrypted?');
  });

  it('returns the sentences it could not use, located', () => {
    const r = read(
      '# Title\n\nWe are proud of this design.\n\nThe Orders service calls the Billing service.\n',
    );
    expect(r.unused).toEqual([{ file: 'design.md', line: 3, col: 1, text: 'We are proud of this design.' }]);
  });
});

describe('bad input', () => {
  it('an empty text or one without architecture is empty', () => {
    expect(read('').empty).toBe(true);
    expect(read('Bake the cake for forty minutes and let it cool.').empty).toBe(true);
  });

  it('another language gives a warning and a partial model', () => {
    const r = read(
      'Der Bestelldienst ruft den Lagerdienst über HTTP auf. Die Daten werden in PostgreSQL gespeichert und nicht verschlüsselt.',
    );
    expect(r.warnings.join('\n')).toMatch(/does not read as English/);
    expect(r.model.components?.some((c) => c.tech === 'postgresql')).toBe(true);
  });

  it('markdown full of code blocks gives a warning and reads the prose', () => {
    const code = '```yaml\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  replicas: 3\n```\n';
    const r = read(`${code}\nThe Orders service calls the Billing service.\n\n${code}`);
    expect(r.warnings.join('\n')).toMatch(/mostly code blocks/);
    flow(r.model, 'orders', 'billing');
  });

  it('reads 1 MB of text in seconds', () => {
    const paragraph =
      'The Orders service calls the Billing service over HTTPS and writes customer PII to orders-db. ' +
      'It publishes to order-events. The Billing service consumes from order-events and calls Stripe with an API key. ' +
      'orders-db replicates to orders-replica in us-east-1 without TLS.\n\n';
    let text = '';
    for (let i = 0; text.length < 1024 * 1024; i++)
      text += paragraph.replace(/orders-db/g, `orders-db-${i % 500}`);
    const started = performance.now();
    const r = read(text);
    const ms = performance.now() - started;
    console.log(
      `English importer: ${(text.length / 1024 / 1024).toFixed(2)} MB in ${Math.round(ms)} ms (${r.model.components?.length} components, ${r.model.flows?.length} flows)`,
    );
    expect(ms).toBeLessThan(15_000);
    expect(r.model.components?.length).toBeGreaterThan(500);
  });
});

describe('LLM refinement (the merge; the request is tested end to end)', () => {
  const docs = [
    {
      file: 'design.md',
      text: 'The Orders service calls the Billing service. The Billing service writes to billing-db.\nWe also run a fraud checker.',
    },
  ];
  const base = importEnglish(docs).model;
  const answer = {
    threatkrew: 1,
    name: 'LLM view',
    boundaries: [
      { id: 'internet', kind: 'internet' },
      { id: 'vpc', kind: 'network' },
    ],
    components: [
      { id: 'orders', kind: 'service', description: 'Takes orders', exposure: 'public' },
      { id: 'billing', kind: 'service' },
      { id: 'billing-db', kind: 'datastore', 'encrypted-at-rest': false },
      { id: 'fraud', kind: 'service', name: 'fraud checker', in: 'vpc', controls: [] },
      { id: 'hacker', kind: 'user', in: 'internet' },
    ],
    identities: [{ id: 'fraud-role', kind: 'service-role', grants: [{ resource: '*', actions: ['*'] }] }],
    flows: [
      { from: 'orders', to: 'billing', protocol: 'http', authn: 'none' },
      { from: 'orders', to: 'fraud', authn: 'none', encrypted: false },
      { from: 'hacker', to: 'billing-db' },
    ],
  };

  it('adds elements marked origin llm, and turns its security facts into questions', () => {
    const r = refineWithLlm(base, { ok: true, content: JSON.stringify(answer) }, docs);
    expect(r.warnings).toEqual([]);
    const m = r.model;
    const fraud = comp(m, 'fraud');
    expect(fraud).toMatchObject({ kind: 'service', name: 'fraud checker', in: 'vpc' });
    expect(fraud.source).toMatchObject({ origin: 'llm', file: 'design.md', line: 2 });
    expect(fraud.controls).toBeUndefined();
    expect(comp(m, 'orders')).toMatchObject({ description: 'Takes orders' });
    expect(comp(m, 'orders').source?.llm).toEqual(['description']);
    expect(comp(m, 'orders').exposure).toBeUndefined();
    expect(comp(m, 'billing-db')['encrypted-at-rest']).toBeUndefined();
    expect(flow(m, 'orders', 'billing').authn).toBeUndefined();
    expect(flow(m, 'orders', 'fraud').source?.origin).toBe('llm');
    expect(m.flows?.some((f) => f.to === 'billing-db' && f.from !== 'billing')).toBe(false);
    expect(m.components?.some((c) => c.kind === 'user')).toBe(false);
    const q = (subject: string, attribute: string) =>
      m.questions?.find((x) => x.subject === subject && x.attribute === attribute)?.text;
    expect(q('orders', 'exposure')).toMatch(/an LLM suggested: public/);
    expect(q('billing-db', 'encrypted-at-rest')).toMatch(/an LLM suggested: false/);
    expect(q('orders->billing', 'authn')).toMatch(/an LLM suggested: none/);
    expect(q('orders->fraud', 'encrypted')).toMatch(/an LLM suggested: false/);
    expect(q('fraud-role', 'grants')).toMatch(/an LLM suggested/);
    expect(q('billing-db', 'exposure')).toMatch(/an LLM suggested: public/);
    // Facts only the LLM gave make no confirmed finding.
    const before = new Set(
      analysisOf(base)
        .findings.filter((f) => f.confidence === 'confirmed')
        .map((f) => f.id),
    );
    const after = analysisOf(m)
      .findings.filter((f) => f.confidence === 'confirmed')
      .map((f) => f.id);
    expect(after.filter((id) => !before.has(id))).toEqual([]);
  });

  it('keeps the deterministic model on a failed answer', () => {
    for (const [answer2, message] of [
      [{ ok: false as const, reason: 'the LLM refused to answer' }, /refused/],
      [{ ok: true as const, content: 'not json {' }, /not valid JSON/],
      [
        {
          ok: true as const,
          content: JSON.stringify({ threatkrew: 1, components: [{ id: 'x', kind: 'banana' }] }),
        },
        /does not match the model schema/,
      ],
    ] as const) {
      const r = refineWithLlm(base, answer2, docs);
      expect(r.model).toBe(base);
      expect(r.warnings.join('\n')).toMatch(message);
    }
  });
});

describe('the documentation', () => {
  it('docs/english.md lists every technology of the lexicon', () => {
    const doc = readFileSync(new URL('../../../docs/english.md', import.meta.url), 'utf8');
    const missing = TECHNOLOGIES.flatMap((t) => t.terms).filter((term) => !doc.includes(term));
    expect(missing).toEqual([]);
  });
});
