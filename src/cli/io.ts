/** The CLI's edge with the outside world: output streams, files, the package's own files. */
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The current directory (for relative paths). */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Today's UTC date, YYYY-MM-DD (the clock is read only here). */
  today: () => string;
  now: () => Date;
  isTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    today: () => new Date().toISOString().slice(0, 10),
    now: () => new Date(),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** The installed package's root (the folder holding package.json, schema/, catalogs/). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let cachedVersion: string | undefined;
export function toolVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}

/** A usage or input error: exit code 2, message printed as is. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly lines: readonly string[] = [message],
  ) {
    super(message);
  }
}

function tempPath(target: string): string {
  return join(dirname(target), `.threatkrew-tmp-${process.pid}-${Date.now()}-${basename(target)}`);
}

/** Hands each piece of a file's content, in order, to `write`. */
export type Producer = (write: (chunk: string) => void) => void;

function writeTemp(target: string, produce: Producer): string {
  const tmp = tempPath(target);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    produce((chunk) => {
      writeSync(fd, chunk);
    });
    fsyncSync(fd);
  } catch (e) {
    // A producer that fails part-way leaves no half-written temporary file behind.
    closeSync(fd);
    safeUnlink(tmp);
    throw e;
  }
  closeSync(fd);
  return tmp;
}

/** Writes a file atomically: a temporary file in the same folder, then a rename over the target. */
export function writeFileAtomic(target: string, content: string): void {
  writeFileAtomicFrom(target, (write) => write(content));
}

/**
 * As `writeFileAtomic`, for content produced piece by piece (a large JSON report): each piece goes to
 * the temporary file as it comes, so the whole text is never held in memory; the rename happens only
 * once all of it is written.
 */
export function writeFileAtomicFrom(target: string, produce: Producer): void {
  const tmp = writeTemp(target, produce);
  try {
    renameSync(tmp, target);
  } catch (e) {
    safeUnlink(tmp);
    throw e;
  }
}

/** Writes a new file atomically and never over an existing one (EEXIST if it exists). */
export function writeNewFileAtomic(target: string, content: string): void {
  const tmp = writeTemp(target, (write) => write(content));
  try {
    linkSync(tmp, target);
  } finally {
    safeUnlink(tmp);
  }
}

function safeUnlink(p: string) {
  try {
    unlinkSync(p);
  } catch {
    // already gone
  }
}

/** Whether two paths name the same file (following links), for "never overwrite an input". */
export function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}
