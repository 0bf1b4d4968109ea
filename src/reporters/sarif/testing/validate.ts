/**
 * Validating SARIF in tests: the real SARIF Multitool (`@microsoft/sarif-multitool`, `validate` verb),
 * plus the same SARIF 2.1.0 JSON Schema checked with ajv.
 *
 * How the Multitool (5.7.0) reports problems, found by running it:
 * - It exits 0 whether or not it finds errors (also with `--rich-return-code`); it exits non-zero only
 *   when it cannot run at all (for instance no file found: `ERR997.NoValidAnalysisTargets`).
 * - On the console it prints one line per problem, `<file>(<line>,<col>): error|warning|note <RULE>: ...`.
 *   With `--output FILE` it writes them as a SARIF log: JSON schema violations are `JSON1xxx` results
 *   with level `error`; its own rules are `SARIF1xxx` (errors) and `SARIF2xxx` (warnings, written with
 *   no `level`, which SARIF reads as `warning`). Only errors count as failure here.
 * - Blind spot: a file whose results break a schema `enum` (for instance `level: "bogus"`) makes it stop
 *   silently: nothing is reported for that file or any file after it, and it still says "Analysis
 *   completed successfully". So a canary file with one known warning (SARIF2008, no `$schema`) is
 *   validated last, with one thread; a missing canary warning means the run was cut short. The ajv check
 *   of the bundled schema catches what such a run would have hidden.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { Log, ReportingDescriptor, Result } from 'sarif';

const require = createRequire(import.meta.url);

/** The platform binary (the package's `bin.js` runs it through a shell and loses a signal's status). */
export function multitoolPath(): string {
  return require('@microsoft/sarif-multitool') as string;
}

export interface SarifProblem {
  file: string;
  level: 'error' | 'warning' | 'note' | 'none';
  ruleId: string;
  message: string;
  line?: number;
  col?: number;
}

const CANARY: Log = {
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'Canary', version: '1.0.0', informationUri: 'https://example.com/canary' } },
      results: [],
    },
  ],
} as Log;

function formatMessage(r: Result, rule: ReportingDescriptor | undefined): string {
  if (r.message.text !== undefined) return r.message.text;
  const template = r.message.id === undefined ? undefined : rule?.messageStrings?.[r.message.id]?.text;
  if (template === undefined) return JSON.stringify(r.message);
  return template.replace(/\{(\d+)\}/g, (_, i: string) => r.message.arguments?.[Number(i)] ?? '');
}

/**
 * Runs `sarif-multitool validate` once over all files and returns every problem it reports (errors,
 * warnings, notes). Throws when the tool cannot run or stops before the canary.
 */
export function validateWithMultitool(files: readonly string[]): SarifProblem[] {
  const dir = mkdtempSync(join(tmpdir(), 'tk-sarif-validate-'));
  try {
    const canary = join(dir, 'zz-canary.sarif');
    writeFileSync(canary, JSON.stringify(CANARY));
    const out = join(dir, 'validation.sarif');
    const args = ['validate', ...files.map((f) => resolve(f)), canary];
    args.push('--output', out, '--log', 'ForceOverwrite', '--threads', '1');
    const run = spawnSync(multitoolPath(), args, { encoding: 'utf8', timeout: 180_000 });
    if (run.error || run.status !== 0) {
      throw new Error(
        `sarif-multitool failed (status ${run.status}, ${run.error?.message ?? 'no spawn error'}):\n${run.stdout}\n${run.stderr}`,
      );
    }
    const log = JSON.parse(readFileSync(out, 'utf8')) as Log;
    const problems: SarifProblem[] = [];
    for (const run of log.runs) {
      const rules = run.tool.driver.rules ?? [];
      for (const r of run.results ?? []) {
        const rule = r.ruleIndex !== undefined ? rules[r.ruleIndex] : rules.find((d) => d.id === r.ruleId);
        const phys = r.locations?.[0]?.physicalLocation;
        const uri = phys?.artifactLocation?.uri ?? '';
        const p: SarifProblem = {
          file: uri.startsWith('file:') ? fileURLToPath(uri) : uri,
          level: r.level ?? rule?.defaultConfiguration?.level ?? 'warning',
          ruleId: r.ruleId ?? '?',
          message: formatMessage(r, rule),
        };
        if (phys?.region?.startLine !== undefined) p.line = phys.region.startLine;
        if (phys?.region?.startColumn !== undefined) p.col = phys.region.startColumn;
        problems.push(p);
      }
    }
    const canaryFile = resolve(canary);
    if (!problems.some((p) => resolve(p.file) === canaryFile && p.ruleId === 'SARIF2008')) {
      throw new Error(
        `sarif-multitool stopped before the last file (a file with a schema enum violation does that silently):\n${run.stdout}`,
      );
    }
    return problems.filter((p) => resolve(p.file) !== canaryFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let compiled: ReturnType<InstanceType<typeof Ajv2020.default>['compile']> | undefined;

/** Errors of the SARIF 2.1.0 JSON Schema shipped with the Multitool, checked with ajv. */
export function schemaErrors(log: unknown): string[] {
  if (compiled === undefined) {
    const schemaFile = join(dirname(multitoolPath()), 'sarif-2.1.0.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
    // The schema has `required` lists inside `anyOf` that ajv's strict mode rejects; formats are checked
    // loosely (ajv-formats is not a dependency).
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s) && URL.canParse(s, 'https://base.invalid/'));
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    compiled = ajv.compile(schema);
  }
  if (compiled(log)) return [];
  return (compiled.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
}
