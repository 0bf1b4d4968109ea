import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './support/cli.js';

const root = ROOT;
const run = runCli;

const FLAWED = `threatkrew: 1
name: Flawed
boundaries:
  - { id: internet, kind: internet }
  - { id: vpc, kind: network }
components:
  - { id: user, kind: user, in: internet }
  - { id: api, kind: service, in: vpc }
  - { id: worker, kind: service, in: vpc }
flows:
  - { from: user, to: api, protocol: https, authn: oidc }
  - { from: api, to: worker, protocol: http, authn: none }
`;

describe('threatkrew analyze (end to end)', () => {
  let dir: string;
  let model: string;
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
    dir = mkdtempSync(join(tmpdir(), 'tk-analyze-'));
    model = join(dir, 'flawed.yaml');
    writeFileSync(model, FLAWED);
  });

  it('prints a text report for people and exits 0 without a gate', () => {
    const r = run(['analyze', model]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ThreatKrew analysis of Flawed');
    expect(r.stdout).toMatch(/\[implicit-trust-in-network\]/);
    expect(r.stdout).toMatch(/Mitigation: /);
  });

  it('writes the JSON report of DESIGN §6 with every key, byte-identical on a rerun', () => {
    const a = run(['analyze', model, '--format', 'json', '--as-of', '2026-01-01']);
    const b = run(['analyze', model, '--format', 'json', '--as-of', '2026-01-01']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const json = JSON.parse(a.stdout);
    expect(Object.keys(json)).toEqual([
      'schema',
      'tool',
      'model',
      'findings',
      'attackPaths',
      'questions',
      'bounds',
      'asOf',
      'summary',
    ]);
    expect(json.schema).toBe('threatkrew/analysis@1');
    expect(json.asOf).toBe('2026-01-01');
    expect(Object.keys(json.findings[0])).toEqual([
      'id',
      'ruleId',
      'title',
      'message',
      'severity',
      'likelihood',
      'impact',
      'confidence',
      'stride',
      'cwe',
      'capec',
      'attack',
      'primary',
      'subjects',
      'evidence',
      'mitigation',
      'compliance',
      'status',
      'questions',
    ]);
    expect(Object.keys(json.summary.bySeverity)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(json).not.toHaveProperty('generatedAt');
    const stamped = JSON.parse(run(['analyze', model, '--format', 'json', '--timestamp']).stdout);
    expect(stamped.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('gates with --fail-on: exit 1 with a one-line summary when a finding is at or above, else 0', () => {
    const fail = run(['analyze', model, '--fail-on', 'low']);
    expect(fail.code).toBe(1);
    expect(fail.stderr.trim().split('\n').at(-1)).toMatch(
      /^threatkrew: \d+ open findings? at or above low \(.*\); failing \(--fail-on low\)$/,
    );
    const pass = run(['analyze', model, '--fail-on', 'critical', '--confirmed-only']);
    expect(pass.code).toBe(0);
    expect(pass.stderr).toMatch(/no open finding at or above critical/);
  });

  it('writes --out atomically and refuses to write over an input', () => {
    const out = join(dir, 'report.json');
    expect(run(['analyze', model, '--format', 'json', '--out', out]).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('threatkrew/analysis@1');
    const before = readFileSync(model, 'utf8');
    const r = run(['analyze', model, '--out', model]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to write over an input/);
    expect(readFileSync(model, 'utf8')).toBe(before);
  });

  it('exits 2 on bad input and usage, with located messages and no stack trace', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'threatkrew: 1\nname: b\ncomponents:\n  - { id: a, kind: servce }\n');
    const r = run(['analyze', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:4:20: 'servce' is not a valid \`kind\`; did you mean 'service'?`);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    const md = join(dir, 'arch.md');
    writeFileSync(md, '# My system\n');
    expect(run(['analyze', md]).stderr).toMatch(/no architecture found/);
    expect(run(['analyze', md]).code).toBe(2);
    expect(run(['analyze', join(dir, 'model.toml')]).code).toBe(2);
    expect(run(['analyze', model, '--as-of', 'tomorrow']).code).toBe(2);
    expect(run(['analyze', model, '--format', 'pdf']).code).toBe(2);
    expect(run(['analyze', model, '--fail-on', 'severe']).code).toBe(2);
  });
});

describe('threatkrew rules', () => {
  it('lists the catalogue as JSON with each rule’s metadata', () => {
    const r = run(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const { rules } = JSON.parse(r.stdout);
    expect(rules.length).toBeGreaterThan(0);
    for (const m of rules)
      expect(Object.keys(m)).toEqual(
        expect.arrayContaining(['id', 'title', 'stride', 'cwe', 'compliance', 'mitigation']),
      );
    expect(run(['rules']).stdout).toMatch(/over-privileged-identity/);
    expect(run(['rules', '--format', 'md']).stdout).toMatch(/^<!-- Generated/);
  });
});
