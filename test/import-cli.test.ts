/**
 * End to end: `threatkrew import` and `threatkrew analyze <file.md>` run as a real process, and the
 * `--llm` path against a local server that speaks the chat-completions API (a good answer, invalid JSON,
 * a schema-violating answer, a slow one, a refusal, an HTTP error).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CliRun, ROOT, runCliAsync } from './support/cli.js';

const KEY = 'sk-test-DO-NOT-PRINT-4242';

type Run = CliRun;
const run = runCliAsync;

const DESIGN = `# Checkout

Customers use the Web app. The Web app calls the Orders service over HTTPS.
The Orders service writes customer PII to a PostgreSQL database called orders-db.
We are very proud of this design.
`;

describe('threatkrew import and analyze of plain English (end to end)', () => {
  let dir: string;
  let design: string;
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
    dir = mkdtempSync(join(tmpdir(), 'tk-import-'));
    design = join(dir, 'design.md');
    writeFileSync(design, DESIGN);
  });

  it('writes YAML to stdout: schema line, header, sources as comments, unused sentences, a valid model', async () => {
    const r = await run(['import', design, '--from', 'english']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^# yaml-language-server: \$schema=.*threatkrew\.schema\.json$/);
    expect(lines[1]).toMatch(/^# Imported from plain English by `threatkrew import`/);
    expect(r.stdout).toContain(
      `# ${design}:4:1: The Orders service writes customer PII to a PostgreSQL database called orders-db.`,
    );
    expect(r.stdout).toMatch(/# Sentences ThreatKrew could not use \(1\)/);
    expect(r.stdout).toContain('We are very proud of this design.');
    expect(r.stderr).toContain(
      `${design}:5:1: warning: could not use this sentence: "We are very proud of this design."`,
    );
    const model = parse(r.stdout);
    expect(model.components.map((c: { id: string }) => c.id)).toEqual([
      'customer',
      'web-app',
      'orders',
      'orders-db',
    ]);
    const out = join(dir, 'stdout.yaml');
    writeFileSync(out, r.stdout);
    const v = await run(['validate', out]);
    expect(v.code).toBe(0);
  });

  it('gives byte-identical output on a rerun', async () => {
    const a = await run(['import', design]);
    const b = await run(['import', design]);
    expect(a.stdout).toBe(b.stdout);
  });

  it('writes JSON or YAML files by the --out extension, and refuses others', async () => {
    const json = join(dir, 'model.json');
    const r = await run(['import', design, '--out', json]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const model = JSON.parse(readFileSync(json, 'utf8'));
    expect(model.threatkrew).toBe(1);
    expect(model.components[2].source).toMatchObject({ file: design, line: 3, origin: 'english' });
    const yaml = join(dir, 'model.yaml');
    expect((await run(['import', design, '--out', yaml])).code).toBe(0);
    expect(readFileSync(yaml, 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.?\//);
    const bad = await run(['import', design, '--out', join(dir, 'model.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/name a \.yaml, \.yml or \.json file/);
    const over = await run(['import', design, '--out', design]);
    expect(over.code).toBe(2);
  });

  it('reads standard input with -', async () => {
    const r = await run(['import', '-'], { input: DESIGN });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('file: (stdin)');
  });

  it('refuses empty text, text without architecture and binary input with exit 2 and a clear message', async () => {
    const empty = join(dir, 'empty.md');
    writeFileSync(empty, '\n  \n');
    let r = await run(['import', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the text is empty; describe your architecture/);
    const recipe = join(dir, 'recipe.txt');
    writeFileSync(recipe, 'Whisk the eggs with sugar. Bake for forty minutes and let it cool.');
    r = await run(['analyze', recipe]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no architecture found/);
    const binary = join(dir, 'binary.md');
    writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]));
    r = await run(['import', binary]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/binary/);
    r = await run(['import', design, '--from', 'terraform']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not supported yet/);
  });

  it('warns about another language and keeps the partial model', async () => {
    const de = join(dir, 'de.md');
    writeFileSync(
      de,
      'Der Bestelldienst schreibt Kundendaten in PostgreSQL. Die Datenbank ist nicht verschlüsselt und öffentlich.',
    );
    const r = await run(['import', de]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/does not read as English/);
    expect(r.stdout).toMatch(/tech: postgresql/);
  });

  it('analyze examples/ecommerce-aws.md reports the four flaws of the brief, confirmed', async () => {
    const r = await run([
      'analyze',
      'examples/ecommerce-aws.md',
      '--format',
      'json',
      '--as-of',
      '2026-06-01',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const has = (rule: string, primary: string) =>
      report.findings.find(
        (f: { ruleId: string; primary: string[]; confidence: string }) =>
          f.ruleId === rule && f.primary.includes(primary) && f.confidence === 'confirmed',
      );
    expect(has('over-privileged-identity', 'reporting-role')?.message).toMatch(/admin.*only read/);
    expect(has('implicit-trust-in-network', 'cart->inventory')).toBeDefined();
    expect(has('unencrypted-replication', 'orders-db->orders-db-replica')?.message).toMatch(/across regions/);
    expect(has('gateway-validation-assumption', 'orders')?.subjects.components).toContain('api-gateway');
  });

  it('joins several English files, and English with YAML models', async () => {
    const more = join(dir, 'more.md');
    writeFileSync(more, 'The Orders service publishes to an SQS queue called order-events.\n');
    let r = await run(['analyze', design, more, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).model.counts.components).toBe(5);
    const yaml = join(dir, 'billing.yaml');
    writeFileSync(
      yaml,
      'threatkrew: 1\nname: Shop\ncomponents:\n  - { id: billing, kind: service, name: Billing service }\n',
    );
    const calls = join(dir, 'calls.md');
    writeFileSync(calls, 'The Orders service calls the Billing service without authentication.\n');
    r = await run(['analyze', yaml, calls, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.model.name).toBe('Shop');
    expect(report.model.counts.components).toBe(2);
  });
});

describe('threatkrew import --llm (a local chat-completions server)', () => {
  let server: Server;
  let base: string;
  let dir: string;
  let design: string;
  let mode = 'good';
  const requests: {
    auth: string | undefined;
    body: { model: string; response_format: unknown; messages: { role: string; content: string }[] };
  }[] = [];
  const good = {
    threatkrew: 1,
    components: [
      { id: 'orders', kind: 'service', description: 'Takes and stores orders' },
      { id: 'fraud-checker', kind: 'service', name: 'fraud checker', controls: [] },
    ],
    flows: [{ from: 'orders', to: 'fraud-checker', authn: 'none', encrypted: false }],
  };
  const answer = (content: string) =>
    JSON.stringify({
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tk-llm-'));
    design = join(dir, 'design.md');
    writeFileSync(design, `${DESIGN}The Orders service also asks a fraud checker about risky orders.\n`);
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        requests.push({ auth: req.headers.authorization, body: JSON.parse(body) });
        const send = (status: number, text: string) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(text);
        };
        if (req.url !== '/v1/chat/completions') return send(404, '{}');
        if (mode === 'good') return send(200, answer(JSON.stringify(good)));
        if (mode === 'invalid-json') return send(200, answer('Sure! Here is the model: {components: [oops'));
        if (mode === 'schema')
          return send(
            200,
            answer(JSON.stringify({ threatkrew: 1, components: [{ id: 'x', kind: 'banana' }] })),
          );
        if (mode === 'refusal') {
          return send(
            200,
            JSON.stringify({
              choices: [
                {
                  index: 0,
                  message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
                  finish_reason: 'stop',
                },
              ],
            }),
          );
        }
        if (mode === 'error') return send(500, '{"error":{"message":"boom"}}');
        if (mode === 'slow') {
          setTimeout(() => send(200, answer(JSON.stringify(good))), 3000);
          return;
        }
        send(400, '{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const env = (extra: Record<string, string> = {}) => ({
    THREATKREW_LLM_BASE_URL: base,
    THREATKREW_LLM_MODEL: 'test-model',
    THREATKREW_LLM_API_KEY: KEY,
    ...extra,
  });
  const noKey = (r: Run) => {
    expect(r.stdout).not.toContain(KEY);
    expect(r.stderr).not.toContain(KEY);
  };

  it('--llm without its settings exits 2 and says which are missing', async () => {
    const r = await run(['import', design, '--llm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--llm needs THREATKREW_LLM_BASE_URL and THREATKREW_LLM_MODEL/);
  });

  it('without --llm nothing reaches the network, even with the settings present', async () => {
    const before = requests.length;
    const r = await run(['import', design], { env: env() });
    expect(r.code).toBe(0);
    expect(requests.length).toBe(before);
  });

  it('a good answer is merged: the LLM only adds, marked in source; its security facts become questions', async () => {
    mode = 'good';
    const before = requests.length;
    const r = await run(['import', design, '--llm', '--out', join(dir, 'llm.json')], { env: env() });
    expect(r.code).toBe(0);
    noKey(r);
    expect(requests.length).toBe(before + 1);
    const req = requests[requests.length - 1];
    expect(req?.auth).toBe(`Bearer ${KEY}`);
    expect(req?.body.model).toBe('test-model');
    expect(req?.body.response_format).toEqual({ type: 'json_object' });
    expect(req?.body.messages[0]?.content).toContain(
      '"$id":"https://threatkrew.dev/schema/threatkrew.schema.json"',
    );
    expect(req?.body.messages[1]?.content).toContain('The Orders service writes customer PII');
    const model = JSON.parse(readFileSync(join(dir, 'llm.json'), 'utf8'));
    const fraud = model.components.find((c: { id: string }) => c.id === 'fraud-checker');
    expect(fraud.source).toMatchObject({ origin: 'llm', line: 6 });
    expect(fraud.controls).toBeUndefined();
    const orders = model.components.find((c: { id: string }) => c.id === 'orders');
    expect(orders).toMatchObject({ description: 'Takes and stores orders' });
    expect(orders.source).toMatchObject({ origin: 'english', llm: ['description'] });
    const flow = model.flows.find(
      (f: { from: string; to: string }) => f.from === 'orders' && f.to === 'fraud-checker',
    );
    expect(flow.authn).toBeUndefined();
    expect(flow.source.origin).toBe('llm');
    expect(model.questions.map((q: { text: string }) => q.text).join('\n')).toMatch(/an LLM suggested: none/);
    const yaml = await run(['import', design, '--llm'], { env: env() });
    expect(yaml.stdout).toMatch(/# Refined by an LLM/);
    expect(yaml.stdout).toMatch(/\(added by an LLM\)/);
  });

  for (const [name, m, message] of [
    ['invalid JSON', 'invalid-json', /not valid JSON/],
    ['a schema-violating answer', 'schema', /does not match the model schema/],
    ['a refusal', 'refusal', /refused/],
    ['an HTTP error', 'error', /HTTP 500/],
    ['a slow answer (timeout)', 'slow', /did not answer within 300 ms/],
  ] as const) {
    it(`${name}: a warning and the deterministic result, exit code unchanged`, async () => {
      mode = m;
      const deterministic = await run(['import', design]);
      const r = await run(['import', design, '--llm'], { env: env({ THREATKREW_LLM_TIMEOUT_MS: '300' }) });
      expect(r.code).toBe(0);
      noKey(r);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/the deterministic reading is used/);
      expect(r.stdout).toBe(deterministic.stdout);
    });
  }

  it('an unreachable endpoint is a warning too', async () => {
    const r = await run(['import', design, '--llm'], {
      env: {
        THREATKREW_LLM_BASE_URL: 'http://127.0.0.1:9/v1',
        THREATKREW_LLM_MODEL: 'm',
        THREATKREW_LLM_API_KEY: KEY,
      },
    });
    expect(r.code).toBe(0);
    noKey(r);
    expect(r.stderr).toMatch(/could not be reached/);
  });
});
