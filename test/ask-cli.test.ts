/**
 * `threatkrew ask` and `threatkrew chat` end to end, through the built CLI: text and JSON answers, the
 * JSON contract (`answer`, `citations`, `whatIf` shaped like the diff's `findings`), byte-identical
 * reruns, chat over piped stdin, and bad input (exit 2 with located errors).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { complete, completionWords } from '../src/cli/commands/chat.js';
import { contextOf, editYaml } from './ask/support.js';
import { BIN, ROOT, runCli } from './support/cli.js';

const ECOM = 'examples/ecommerce-aws.yaml';
const AS_OF = ['--as-of', '2026-01-01'];
const dir = mkdtempSync(join(tmpdir(), 'threatkrew-ask-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chat(args: readonly string[], input: string) {
  const r = spawnSync(process.execPath, [BIN, 'chat', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, THREATKREW_DEBUG: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('threatkrew ask', () => {
  it('answers in text, with the model lines it rests on', () => {
    const r = runCli(['ask', ECOM, 'why is the orders-db replication critical?', ...AS_OF]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Finding 8aaf34011dce474d [unencrypted-replication]');
    expect(r.stdout).toContain('very-likely × impact high = critical');
    expect(r.stdout).toMatch(/Model lines: examples\/ecommerce-aws\.yaml:[\d,]*486/);
  });

  it('prints the JSON contract: answer and citations, no whatIf for other questions', () => {
    const r = runCli(['ask', ECOM, 'what threatens cart-cache?', '--format', 'json', ...AS_OF]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['answer', 'citations']);
    expect(Object.keys(j.citations)).toEqual(['findings', 'elements', 'rules', 'locations']);
    expect(j.citations.findings).toContain('e7ea43daf051acaa');
    expect(j.citations.elements).toContain('cart-cache');
    expect(j.citations.rules).toContain('sensitive-data-in-unencrypted-cache');
    expect(j.citations.locations).toContainEqual({ file: 'examples/ecommerce-aws.yaml', line: 207 });
  });

  it('answers a what-if with the findings part of `threatkrew diff --format json`', () => {
    const question = 'what if cart-checks-stock used mtls and orders-db had 2 replicas?';
    const r = runCli(['ask', ECOM, question, '--format', 'json', ...AS_OF]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['answer', 'citations', 'whatIf']);
    const edited = join(dir, 'ecommerce-edited.yaml');
    writeFileSync(
      edited,
      editYaml(readFileSync(join(ROOT, ECOM), 'utf8'), [
        { set: 'flows[cart-checks-stock].authn', value: 'mtls' },
        { set: 'components[orders-db].replicas', value: 2 },
      ]),
    );
    const d = runCli(['diff', ECOM, edited, '--format', 'json', ...AS_OF]);
    expect(d.code).toBe(0);
    const diff = JSON.parse(d.stdout);
    expect(j.whatIf.resolved).toEqual(diff.findings.resolved);
    expect(j.whatIf.new).toEqual(diff.findings.new);
    expect(j.whatIf.changed).toEqual(diff.findings.changed);
    expect(j.whatIf.resolved.map((f: { id: string }) => f.id).sort()).toEqual(
      ['29222617a983dbb3', '68982d1addcc1d65', '7dab21fd59349d1d'].sort(),
    );
  });

  it('gives byte-identical JSON on a rerun', () => {
    for (const q of ['what should we fix first?', 'what if we remove notifier?', 'summarize']) {
      const a = runCli(['ask', ECOM, q, '--format', 'json', ...AS_OF]);
      const b = runCli(['ask', ECOM, q, '--format', 'json', ...AS_OF]);
      expect(a.code).toBe(0);
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it('reads plain English like analyze does', () => {
    const r = runCli(['ask', 'examples/ecommerce-aws.md', 'summarize', ...AS_OF]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Acme Outfitters shop');
    expect(r.stdout).toContain('[unencrypted-replication]');
    expect(r.stdout).toMatch(/Model lines: examples\/ecommerce-aws\.md:\d+/);
  });

  it('judges risk decisions on --as-of, like analyze', () => {
    const r = runCli(['ask', ECOM, 'why is cart-cache high?', '--as-of', '2028-01-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('which has expired (as of 2028-01-01)');
  });

  it('applies --risks decisions', () => {
    const risks = join(dir, 'risks.yaml');
    writeFileSync(
      risks,
      'threatkrew: 1\nrisks:\n  - { finding: "8aaf34011dce474d", status: mitigated, how: TLS on the peering, reason: done outside the model }\n',
    );
    const r = runCli(['ask', ECOM, 'why is 8aaf34011dce474d critical?', '--risks', risks, ...AS_OF]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Risk decision: Mitigated');
  });

  it('exits 2 with located errors on a broken model', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'threatkrew: 1\nname: Bad\ncomponents:\n  - { id: a, kind: servce }\n');
    const r = runCli(['ask', bad, 'summarize']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:4:\d+: .*servce/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on usage mistakes', () => {
    expect(runCli(['ask', 'examples/nope.yaml', 'summarize']).stderr).toContain(
      'examples/nope.yaml: no such file',
    );
    expect(runCli(['ask', 'examples/nope.yaml', 'summarize']).code).toBe(2);
    const noQuestion = runCli(['ask', ECOM]);
    expect(noQuestion.code).toBe(2);
    expect(noQuestion.stderr).toContain('then the question');
    const fileLast = runCli(['ask', ECOM, 'examples/saas-cicd.yaml']);
    expect(fileLast.code).toBe(2);
    expect(fileLast.stderr).toContain('the last argument is the question');
    expect(runCli(['ask', ECOM, 'summarize', '--as-of', 'tomorrow']).code).toBe(2);
    expect(runCli(['ask', ECOM, 'summarize', '--format', 'xml']).code).toBe(2);
    expect(runCli(['ask', 'notes.docx', 'summarize']).code).toBe(2);
  });

  it('refuses --llm without its settings (exit 2)', () => {
    const r = spawnSync(process.execPath, [BIN, 'ask', ECOM, 'summarize', '--llm'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, THREATKREW_LLM_BASE_URL: '', THREATKREW_LLM_MODEL: '' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('THREATKREW_LLM_BASE_URL');
  });
});

describe('threatkrew chat', () => {
  it('answers questions read line by line from a pipe, and stops at exit', () => {
    const r = chat(
      [ECOM, ...AS_OF],
      'what threatens cart-cache?\n\nwhat if cart-checks-stock used mtls\nexit\nsummarize\n',
    );
    expect(r.code).toBe(0);
    const first = r.stdout.indexOf('cart-cache: cache');
    const second = r.stdout.indexOf('What if: cart-checks-stock: authn none → mtls.');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    // Nothing after exit is answered.
    expect(r.stdout).not.toContain('Acme Outfitters shop: 33 components');
  });

  it('ends at the end of input (Ctrl-D), with exit code 0', () => {
    const r = chat([ECOM, ...AS_OF], 'how bad is it?\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('59 findings');
  });

  it('exits 2 on bad input before reading any question', () => {
    const r = chat(['examples/nope.yaml'], 'summarize\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file');
  });

  it('answers the same way as ask', () => {
    const q = 'why do we need mfa on cognito?';
    const a = runCli(['ask', ECOM, q, ...AS_OF]);
    const c = chat([ECOM, ...AS_OF], `${q}\n`);
    expect(c.stdout).toBe(`${a.stdout}\n`);
  });
});

describe('chat tab completion', () => {
  const words = completionWords(contextOf(ECOM));

  it('offers element ids, names, finding and rule ids and question ids', () => {
    expect(words).toContain('orders-db-dr-replication');
    expect(words).toContain('Orders database (primary)');
    expect(words).toContain('8aaf34011dce474d');
    expect(words).toContain('unencrypted-replication');
    expect(words).toContain('cognito#controls');
  });

  it('completes the last word of the line, case-insensitively', () => {
    expect(complete(words, 'what threatens ORDERS-DB-D')).toEqual([
      ['orders-db-dr-replication'],
      'ORDERS-DB-D',
    ]);
    expect(complete(words, 'why is 8aaf')[0]).toEqual(['8aaf34011dce474d']);
    expect(complete(words, 'what if ')).toEqual([[], '']);
  });
});
