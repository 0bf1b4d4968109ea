import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINGERPRINT_KEY } from '../src/reporters/sarif/sarif.js';
import { validateWithMultitool } from '../src/reporters/sarif/testing/validate.js';
import { ROOT, runCli } from './support/cli.js';

const root = ROOT;
const EXAMPLE = 'examples/ecommerce-aws.yaml';
const CLEAN = 'examples/hardened-payments.yaml';
const HEADER = 'id,severity,confidence,rule,title,primary,subjects,stride,cwe,mitigation,status';
const run = (args: string[]) => runCli(args);

function ok(args: string[]) {
  const r = run(args);
  if (r.code !== 0) throw new Error(`threatkrew ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

/** The findings of the JSON report, the reference the other formats are checked against. */
function jsonFindings(input: string): { id: string; ruleId: string }[] {
  return JSON.parse(ok(['analyze', input, '--format', 'json', '--as-of', '2026-01-01']).stdout).findings;
}

describe('threatkrew analyze --format sarif|csv (end to end)', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
    dir = mkdtempSync(join(tmpdir(), 'tk-reports-'));
  });

  it('writes SARIF that the SARIF Multitool accepts, one result per finding, byte-identical on a rerun', () => {
    const a = ok(['analyze', EXAMPLE, '--format', 'sarif', '--as-of', '2026-01-01']);
    const b = ok(['analyze', EXAMPLE, '--format', 'sarif', '--as-of', '2026-01-01']);
    expect(a.stdout).toBe(b.stdout);
    const log = JSON.parse(a.stdout) as Log;
    const results = log.runs[0]?.results ?? [];
    const findings = jsonFindings(EXAMPLE);
    expect(results.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])).toEqual(findings.map((f) => f.id));
    expect(results.map((r) => r.ruleId)).toEqual(findings.map((f) => f.ruleId));
    expect(results[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(EXAMPLE);
    expect(log.runs[0]?.invocations).toBeUndefined();

    const out = join(dir, 'ecommerce.sarif');
    const written = ok(['analyze', EXAMPLE, '--format', 'sarif', '--as-of', '2026-01-01', '--out', out]);
    expect(written.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(a.stdout);
    const clean = join(dir, 'clean.sarif');
    ok(['analyze', CLEAN, '--format', 'sarif', '--out', clean]);
    const errors = validateWithMultitool([out, clean]).filter((p) => p.level === 'error');
    expect(errors).toEqual([]);
  }, 180_000);

  it('records the time only with --timestamp', () => {
    const log = JSON.parse(ok(['analyze', EXAMPLE, '--format', 'sarif', '--timestamp']).stdout) as Log;
    expect(log.runs[0]?.invocations?.[0]?.executionSuccessful).toBe(true);
    expect(log.runs[0]?.invocations?.[0]?.endTimeUtc).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('writes CSV with the fixed header and one CRLF row per finding, byte-identical on a rerun', () => {
    const a = ok(['analyze', EXAMPLE, '--format', 'csv', '--as-of', '2026-01-01']);
    const b = ok(['analyze', EXAMPLE, '--format', 'csv', '--as-of', '2026-01-01']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(a.stdout.endsWith('\r\n')).toBe(true);
    const findings = jsonFindings(EXAMPLE);
    // Every row starts with its finding id (hex, never quoted); example mitigations hold no line breaks.
    const rows = a.stdout.split('\r\n').slice(1, -1);
    expect(rows.map((r) => r.split(',')[0])).toEqual(findings.map((f) => f.id));

    const out = join(dir, 'ecommerce.csv');
    const written = ok(['analyze', EXAMPLE, '--format', 'csv', '--as-of', '2026-01-01', '--out', out]);
    expect(written.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(a.stdout);
    expect(ok(['analyze', CLEAN, '--format', 'csv']).stdout).toBe(`${HEADER}\r\n`);
  });

  it('keeps the --fail-on gate with the new formats', () => {
    const r = run(['analyze', EXAMPLE, '--format', 'sarif', '--fail-on', 'high']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).version).toBe('2.1.0');
  });
});
