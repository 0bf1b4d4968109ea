/** Options and steps that several commands share. */
import { InvalidArgumentError, Option } from 'commander';
import type { Finding } from '../../engine/analysis.js';
import { atLeast, type Severity } from '../../engine/severity.js';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { type LoadedModel, loadModelFiles } from '../../model/load.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';

/** `--from`: the input kind of model files whose extension does not say (analyze, baseline, watch, ask, chat). */
export function fromOption(): Option {
  return new Option('--from <kind>', 'input kind, when the extension does not say').choices([
    'yaml',
    'english',
  ]);
}

/** `--risks`: risk decisions from a side file, besides the model's own. */
export function risksOption(
  description = "risk decisions from a side file ({ threatkrew: 1, risks: [...] }), besides the model's own `risks`",
): Option {
  return new Option('--risks <file>', description);
}

/** `--as-of`: the date risk decisions' expiry is judged on. */
export function asOfOption(): Option {
  return new Option(
    '--as-of <date>',
    'judge risk-decision expiry on this date (YYYY-MM-DD; default today, UTC)',
  );
}

export function maxInputOption(): Option {
  return new Option('--max-input-mb <n>', 'largest input file to read, in MB')
    .default(64)
    .argParser(positiveNumber);
}

export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('give a positive number.');
  return n;
}

/** Loads model files; on any error prints every diagnostic and raises a UsageError (exit 2). */
export function loadOrFail(files: readonly string[], io: CliIO, maxInputMb?: number): LoadedModel {
  const loaded = loadModelFiles(files, { maxInputMb });
  if (!loaded.ok) throw new UsageError('invalid model', formatDiagnostics(loaded.diagnostics));
  for (const line of formatDiagnostics(loaded.diagnostics)) io.stderr(`${line}\n`);
  return loaded;
}

export const GATE_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export function failOnOption(description: string): Option {
  return new Option('--fail-on <severity>', description).choices(GATE_SEVERITIES);
}

/** `--as-of`: a date written YYYY-MM-DD, or absent. */
export function checkDate(asOf: string | undefined): void {
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    throw new UsageError(`--as-of ${asOf}: give a date as YYYY-MM-DD`);
  }
}

/**
 * The `--fail-on` gate over the findings that count (open ones among `findings`): prints one summary line
 * on stderr and returns the exit code, 1 when one is at or above the level, else 0.
 */
export function gate(findings: readonly Finding[], level: Severity, io: CliIO, what = 'open'): number {
  const failing = findings.filter((f) => f.status === 'open' && atLeast(f.severity, level));
  if (failing.length === 0) {
    io.stderr(`threatkrew: no ${what} finding at or above ${level}; passing (--fail-on ${level})\n`);
    return 0;
  }
  const bySev = ['critical', 'high', 'medium', 'low']
    .map((s) => [s, failing.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  io.stderr(
    `threatkrew: ${failing.length} ${what} finding${failing.length === 1 ? '' : 's'} at or above ${level} (${bySev}); failing (--fail-on ${level})\n`,
  );
  return 1;
}
