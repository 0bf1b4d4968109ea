/**
 * `threatkrew watch`: re-analyses whenever an input changes and prints what changed since the last run.
 * The folders of the inputs are watched (not the files), so editors that save by writing a new file and
 * renaming it over the old one are followed; events are debounced, and a save that leaves the bytes as
 * they were is ignored. A save that makes the model invalid prints its new errors and keeps the last
 * valid analysis to compare the next one with; nothing a user saves ends the watch. Ctrl-C (SIGINT) or
 * SIGTERM stop it, with exit code 0.
 */
import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { Analysis } from '../../engine/analysis.js';
import { diffFindings } from '../../living/diff.js';
import { analysisHeadline, findingsHeadline, renderFindingsText } from '../../living/diff-report.js';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { type CliIO, UsageError } from '../io.js';
import type { Result } from './index.js';
import { loadInputs } from './inputs.js';
import { analyzeLoaded, readRisksFile } from './pipeline.js';
import { asOfOption, checkDate, fromOption, maxInputOption, risksOption } from './shared.js';

/** Quiet time after the last file event before the analysis runs again. */
export const DEBOUNCE_MS = 200;

interface WatchOpts {
  format: 'text';
  from?: string;
  risks?: string;
  asOf?: string;
  maxInputMb: number;
}

type Run = { ok: true; analysis: Analysis; messages: string[] } | { ok: false; messages: string[] };

export function registerWatch(program: Command, io: CliIO, result: Result): void {
  program
    .command('watch')
    .description(
      're-analyse the architecture whenever its files change, and print what changed (Ctrl-C stops)',
    )
    .argument('<input...>', 'model files (.yaml, .yml, .json), joined into one model')
    .addOption(new Option('--format <format>', 'output format').choices(['text']).default('text'))
    .addOption(fromOption())
    .addOption(risksOption("risk decisions from a side file (watched too), besides the model's own `risks`"))
    .addOption(asOfOption())
    .addOption(maxInputOption())
    .action(async (inputs: string[], opts: WatchOpts) => {
      checkDate(opts.asOf);
      await watchInputs(inputs, io, opts);
      result.code = 0;
    });
}

function analyseOnce(inputs: readonly string[], io: CliIO, opts: WatchOpts): Run {
  const lines: string[] = [];
  const capture: CliIO = { ...io, stderr: (t) => lines.push(...t.split('\n').filter((l) => l !== '')) };
  try {
    const loaded = loadInputs(inputs, capture, { from: opts.from, maxInputMb: opts.maxInputMb });
    const risks = opts.risks === undefined ? undefined : readRisksFile(opts.risks, opts.maxInputMb);
    if (risks && !risks.ok) return { ok: false, messages: [...lines, ...risks.lines] };
    const { analysis, diagnostics } = analyzeLoaded(loaded, {
      asOf: opts.asOf ?? io.today(),
      risks: risks?.ok ? risks.decisions : [],
    });
    const messages = [...lines, ...formatDiagnostics(diagnostics)];
    if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, messages };
    return { ok: true, analysis, messages };
  } catch (e) {
    if (e instanceof UsageError) return { ok: false, messages: [...lines, ...e.lines] };
    throw e;
  }
}

/** A digest of the inputs' bytes, to skip saves that change nothing. */
function digest(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) {
    try {
      h.update(readFileSync(f));
    } catch (e) {
      h.update(`missing:${(e as NodeJS.ErrnoException).code ?? ''}`);
    }
    h.update('\0');
  }
  return h.digest('hex');
}

async function watchInputs(inputs: readonly string[], io: CliIO, opts: WatchOpts): Promise<void> {
  // Ctrl-C is taken from the start, so that it always ends the watch cleanly.
  let done = () => {};
  const stopped = new Promise<void>((resolve) => {
    done = resolve;
  });
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    done();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await watchUntil(inputs, io, opts, stopped);
  } finally {
    stop();
  }
}

async function watchUntil(
  inputs: readonly string[],
  io: CliIO,
  opts: WatchOpts,
  stopped: Promise<void>,
): Promise<void> {
  const files = [...inputs, ...(opts.risks === undefined ? [] : [opts.risks])];
  const out = (line: string) => io.stdout(`${line}\n`);
  const err = (line: string) => io.stderr(`${line}\n`);
  let shown = new Set<string>();
  /** Prints the messages not printed after the run before (a warning is said once, not at every save). */
  const say = (messages: readonly string[]) => {
    for (const m of messages) if (!shown.has(m)) err(m);
    shown = new Set(messages);
  };

  let last: Analysis | undefined;
  let lastDigest = '';

  const rerun = (changed: readonly string[]) => {
    const now = digest(files);
    if (now === lastDigest) return;
    lastDigest = now;
    const run = analyseOnce(inputs, io, opts);
    out('');
    if (!run.ok) {
      out(
        `${changed.join(', ')} changed: the model is invalid${last ? '; the last valid analysis is kept' : ''}`,
      );
      say(run.messages);
      return;
    }
    say(run.messages);
    if (!last) {
      out(`${changed.join(', ')} changed: the model is valid`);
    } else {
      const d = diffFindings(last, run.analysis);
      out(`${changed.join(', ')} changed: ${findingsHeadline(d)}`);
      for (const line of renderFindingsText({ old: last, new: run.analysis, findings: d })) out(line);
    }
    last = run.analysis;
    out(analysisHeadline(last));
  };

  // Watch each folder once; an event counts when it names one of the inputs (or names nothing).
  const byDir = new Map<string, Map<string, string>>();
  for (const f of files) {
    const abs = resolve(io.cwd, f);
    const dir = dirname(abs);
    const names = byDir.get(dir) ?? new Map<string, string>();
    names.set(basename(abs), f);
    byDir.set(dir, names);
  }
  let timer: NodeJS.Timeout | undefined;
  const pending = new Set<string>();
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: true }, (_event, filename) => {
        const name = filename === null ? undefined : names.get(filename.toString());
        if (filename !== null && name === undefined) return;
        if (name !== undefined) pending.add(name);
        else for (const n of names.values()) pending.add(n);
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          const changed = [...pending].sort();
          pending.clear();
          rerun(changed);
        }, DEBOUNCE_MS);
      });
    } catch (e) {
      for (const x of watchers) x.close();
      throw new UsageError(
        `${dir}: cannot watch this folder (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    w.on('error', (e) =>
      err(`threatkrew: watching ${dir} failed (${(e as NodeJS.ErrnoException).code ?? e.message})`),
    );
    watchers.push(w);
  }

  // The first analysis runs once the folders are watched, so that no save is missed.
  lastDigest = digest(files);
  const first = analyseOnce(inputs, io, opts);
  out(`threatkrew: watching ${files.join(', ')} (Ctrl-C to stop)`);
  say(first.messages);
  if (first.ok) {
    last = first.analysis;
    out(analysisHeadline(last));
  } else out('the model is invalid; fix it and save');

  await stopped;
  if (timer) clearTimeout(timer);
  for (const w of watchers) w.close();
  err('threatkrew: stopped watching');
}
