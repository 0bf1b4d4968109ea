/**
 * The analysis every command runs on a loaded model: the engine, then the risk decisions (the model's
 * own and `--risks FILE`). Reading the side files (risks, baseline) happens here, in the CLI layer.
 */
import type { Analysis } from '../../engine/analysis.js';
import { analyzeModel } from '../../living/analyze-model.js';
import { baselineIds } from '../../living/baseline.js';
import { decisionsFromRisksFile, type LocatedDecision } from '../../living/risk-decisions.js';
import { type Diagnostic, formatDiagnostics, sortDiagnostics } from '../../model/diagnostics.js';
import type { LoadedModel } from '../../model/load.js';
import { parseSource, readInputText, readSource } from '../../model/source-file.js';
import { type CliIO, UsageError } from '../io.js';

export interface PipelineOptions {
  /** The date risk decisions are judged on (YYYY-MM-DD). */
  asOf: string;
  confirmedOnly?: boolean;
  generatedAt?: string;
  /** Decisions from `--risks FILE`, besides the model's own. */
  risks?: readonly LocatedDecision[];
}

/** Analyses a loaded model and applies its risk decisions; the decisions' diagnostics are returned, sorted. */
export function analyzeLoaded(
  loaded: LoadedModel,
  options: PipelineOptions,
): { analysis: Analysis; diagnostics: Diagnostic[] } {
  const result = analyzeModel(loaded, options);
  if (result.diagnostics.length === 0) return result;
  const files = [
    ...new Set([...loaded.sources.map((s) => s.file), ...result.diagnostics.map((d) => d.file)]),
  ];
  return { analysis: result.analysis, diagnostics: sortDiagnostics(result.diagnostics, files) };
}

/** As `analyzeLoaded`, for commands that run once: warnings printed, errors raise a UsageError (exit 2). */
export function analyzeOrFail(loaded: LoadedModel, io: CliIO, options: PipelineOptions): Analysis {
  const { analysis, diagnostics } = analyzeLoaded(loaded, options);
  const lines = formatDiagnostics(diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) throw new UsageError('invalid risk decisions', lines);
  for (const line of lines) io.stderr(`${line}\n`);
  return analysis;
}

export type RisksRead = { ok: true; decisions: LocatedDecision[] } | { ok: false; lines: string[] };

/** Reads a `--risks` side file: `{ threatkrew: 1, risks: [...] }`, with located errors. */
export function readRisksFile(file: string, maxInputMb?: number): RisksRead {
  const read = readSource(file, maxInputMb === undefined ? {} : { maxInputMb });
  if (!read.ok) return { ok: false, lines: formatDiagnostics(read.diagnostics) };
  const result = decisionsFromRisksFile(read.source);
  if (!result.ok) return { ok: false, lines: formatDiagnostics(sortDiagnostics(result.diagnostics, [file])) };
  return result;
}

export function readRisksOrFail(file: string, maxInputMb?: number): LocatedDecision[] {
  const r = readRisksFile(file, maxInputMb);
  if (!r.ok) throw new UsageError('invalid risks file', r.lines);
  return r.decisions;
}

/** Reads `--baseline FILE` (a JSON analysis): the finding ids it holds; a UsageError (exit 2) when it is not one. */
export function readBaselineOrFail(file: string, maxInputMb?: number): ReadonlySet<string> {
  const read = readInputText(file, maxInputMb);
  if (!('text' in read)) throw new UsageError('bad baseline', formatDiagnostics([read]));
  // A baseline is JSON whatever its name.
  const parsed = parseSource(file, read.text, true);
  if (!parsed.ok) throw new UsageError('bad baseline', formatDiagnostics(parsed.diagnostics));
  const ids = baselineIds(parsed.source.data);
  if (!ids.ok) {
    const p = parsed.source.locate(ids.path);
    const hint = 'write one with `threatkrew baseline <model...> --out FILE`';
    throw new UsageError('bad baseline', [`${file}:${p.line}:${p.col}: ${ids.message}; ${hint}`]);
  }
  return ids.ids;
}
