/** Options and steps that several commands share. */
import { InvalidArgumentError, Option } from 'commander';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { type LoadedModel, loadModelFiles } from '../../model/load.js';
import type { CliIO } from '../io.js';
import { UsageError } from '../io.js';

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
