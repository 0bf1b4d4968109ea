/**
 * The sides of a diff: model files, plain-English files, or `git:REV:path` for a file in the current
 * repository's history (read with `git cat-file blob REV:path`, i.e. what `git show REV:path` prints for
 * a file, but refusing a folder). Errors name the side as the user wrote it and exit 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type Diagnostic, formatDiagnostics, sortDiagnostics } from '../../model/diagnostics.js';
import { type LoadedModel, loadModelSources } from '../../model/load.js';
import { DEFAULT_MAX_INPUT_MB, parseSource, readSource, type SourceFile } from '../../model/source-file.js';
import { type CliIO, UsageError } from '../io.js';
import { inputKind, loadInputs } from './inputs.js';

const GIT = /^git:([^:]*):(.*)$/;

export interface GitRef {
  rev: string;
  path: string;
}

/** `git:REV:path` → its parts; undefined for any other input. */
export function parseGitRef(input: string): GitRef | undefined {
  const m = GIT.exec(input);
  return m ? { rev: m[1] as string, path: m[2] as string } : undefined;
}

/** The text of a file at a revision of the repository around `cwd`; a UsageError when git cannot give it. */
export function readGitFile(
  input: string,
  ref: GitRef,
  cwd: string,
  maxInputMb = DEFAULT_MAX_INPUT_MB,
): string {
  const fail = (message: string): never => {
    throw new UsageError(`${input}: ${message}`);
  };
  if (ref.rev === '' || ref.path === '')
    fail('write a git side as git:REV:path, e.g. git:origin/main:arch.yaml');
  if (ref.rev.startsWith('-')) fail(`'${ref.rev}' is not a revision`);
  const limit = maxInputMb * 1024 * 1024;
  const r = spawnSync('git', ['cat-file', 'blob', `${ref.rev}:${ref.path}`], {
    cwd,
    maxBuffer: limit + 1,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail('git is not installed (or not on the PATH)');
    if (code === 'ENOBUFS')
      fail(`the file is over the ${maxInputMb} MB input limit; raise it with --max-input-mb`);
    fail(`cannot run git (${code ?? r.error.message})`);
  }
  if (r.status !== 0) {
    const said = (r.stderr.toString('utf8').trim().split('\n')[0] ?? '').replace(/^fatal: /, '');
    fail(
      `git cannot read ${ref.path} at ${ref.rev}${said ? ` (${said})` : ''}; give a revision and a path from the repository's root, or ./path from the current folder`,
    );
  }
  const bytes = r.stdout;
  if (bytes.length === 0) fail('the file is empty at that revision');
  if (bytes.subarray(0, 65536).includes(0)) fail('this is a binary file, not a model');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('the file is not UTF-8 text');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface SideOptions {
  maxInputMb: number;
  /** Print the side's warnings (the old side's are left out: nobody edits history). */
  warnings: boolean;
}

/** Loads one side of a diff into a model. */
export function loadSide(inputs: readonly string[], io: CliIO, options: SideOptions): LoadedModel {
  const quiet: CliIO = { ...io, stderr: options.warnings ? io.stderr : () => {} };
  const refs = inputs.map((input) => ({ input, ref: parseGitRef(input) }));
  if (refs.every((r) => r.ref === undefined))
    return loadInputs(inputs, quiet, { maxInputMb: options.maxInputMb });
  const kindOf = (r: { input: string; ref: GitRef | undefined }) => inputKind(r.ref ? r.ref.path : r.input);
  if (refs.every((r) => kindOf(r) === 'yaml')) return loadModelSide(refs, quiet, options);
  return loadViaFiles(refs, quiet, options);
}

/** Model files only: git sides are parsed straight from git, named `git:REV:path` in every message. */
function loadModelSide(
  refs: readonly { input: string; ref: GitRef | undefined }[],
  io: CliIO,
  options: SideOptions,
): LoadedModel {
  const diagnostics: Diagnostic[] = [];
  const sources: SourceFile[] = [];
  for (const { input, ref } of refs) {
    const read = ref
      ? parseSource(input, readGitFile(input, ref, io.cwd, options.maxInputMb))
      : readSource(input, { maxInputMb: options.maxInputMb });
    if (read.ok) sources.push(read.source);
    else diagnostics.push(...read.diagnostics);
  }
  const order = refs.map((r) => r.input);
  if (diagnostics.length > 0)
    throw new UsageError('invalid model', formatDiagnostics(sortDiagnostics(diagnostics, order)));
  const loaded = loadModelSources(sources);
  if (!loaded.ok) throw new UsageError('invalid model', formatDiagnostics(loaded.diagnostics));
  for (const line of formatDiagnostics(loaded.diagnostics)) io.stderr(`${line}\n`);
  return loaded;
}

/**
 * A side with plain English: git sides are written to a temporary folder under their own file names and
 * the whole side goes through `loadInputs`, with the temporary paths put back to `git:REV:path` in
 * every message.
 */
function loadViaFiles(
  refs: readonly { input: string; ref: GitRef | undefined }[],
  io: CliIO,
  options: SideOptions,
): LoadedModel {
  const dir = mkdtempSync(join(tmpdir(), 'threatkrew-side-'));
  const names = new Map<string, string>();
  const rename = (text: string) => {
    let out = text;
    for (const [tmp, input] of names) out = out.split(tmp).join(input);
    return out;
  };
  try {
    const files = refs.map(({ input, ref }, i) => {
      if (!ref) return input;
      const folder = join(dir, String(i));
      mkdirSync(folder);
      const file = join(folder, basename(ref.path));
      writeFileSync(file, readGitFile(input, ref, io.cwd, options.maxInputMb));
      names.set(file, input);
      return file;
    });
    try {
      return loadInputs(
        files,
        { ...io, stderr: (t) => io.stderr(rename(t)) },
        { maxInputMb: options.maxInputMb },
      );
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(rename(e.message), e.lines.map(rename));
      throw e;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
