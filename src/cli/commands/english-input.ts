/**
 * Plain-English inputs: reading files (and standard input) with the checks every input gets (size,
 * binary, UTF-8), running the English importer, and reporting what it could not use.
 */
import { readFileSync, statSync } from 'node:fs';
import {
  type EnglishDocument,
  type EnglishImport,
  type EnglishOptions,
  importEnglish,
} from '../../importers/english/index.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import { DEFAULT_MAX_INPUT_MB } from '../../model/source-file.js';
import { type CliIO, UsageError } from '../io.js';

/** How standard input is named in messages and in `source.file`. */
export const STDIN_NAME = '(stdin)';

const err = (file: string, message: string): Diagnostic => ({ severity: 'error', file, message });

/** Checks bytes read from a file or stdin and decodes them. */
function decode(file: string, bytes: Buffer, maxInputMb: number): { text: string } | Diagnostic {
  if (bytes.length > maxInputMb * 1024 * 1024) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    return err(
      file,
      `the input is ${mb} MB, over the ${maxInputMb} MB input limit; raise it with --max-input-mb`,
    );
  }
  if (bytes.subarray(0, 65536).includes(0)) return err(file, 'this is a binary file, not plain-English text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return err(file, 'the text is not UTF-8; save it as UTF-8 and try again');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '')
    return err(file, 'the text is empty; describe your architecture in plain English (see docs/english.md)');
  return { text };
}

/** Reads an English file (or `-` for standard input). */
export function readEnglish(
  input: string,
  maxInputMb = DEFAULT_MAX_INPUT_MB,
  readStdin: () => Buffer = () => readFileSync(0),
): EnglishDocument | Diagnostic {
  if (input === '-') {
    let bytes: Buffer;
    try {
      bytes = readStdin();
    } catch (e) {
      return err(
        STDIN_NAME,
        `cannot read standard input (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`,
      );
    }
    const r = decode(STDIN_NAME, bytes, maxInputMb);
    return 'text' in r ? { file: STDIN_NAME, text: r.text } : r;
  }
  let size: number;
  try {
    const st = statSync(input);
    if (st.isDirectory()) return err(input, 'is a directory; name the .md or .txt files inside it');
    if (!st.isFile()) return err(input, 'is not a regular file');
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err(
      input,
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot read the file (${code ?? 'unknown error'})`,
    );
  }
  if (size > maxInputMb * 1024 * 1024) {
    const mb = (size / 1024 / 1024).toFixed(1);
    return err(
      input,
      `the file is ${mb} MB, over the ${maxInputMb} MB input limit; raise it with --max-input-mb`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(input);
  } catch (e) {
    return err(input, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  const r = decode(input, bytes, maxInputMb);
  return 'text' in r ? { file: input, text: r.text } : r;
}

/** Reads every English input; any unreadable one is a usage error listing all of them. */
export function readEnglishInputs(
  inputs: readonly string[],
  maxInputMb?: number,
  readStdin?: () => Buffer,
): EnglishDocument[] {
  const docs: EnglishDocument[] = [];
  const problems: string[] = [];
  for (const input of inputs) {
    const r = readEnglish(input, maxInputMb, readStdin);
    if ('text' in r) docs.push(r);
    else problems.push(`${r.file}: ${r.message}`);
  }
  if (problems.length > 0) throw new UsageError(problems[0] as string, problems);
  return docs;
}

/** Runs the importer and prints its warnings; no architecture at all is a usage error (exit 2). */
export function importOrFail(
  docs: readonly EnglishDocument[],
  io: CliIO,
  options: EnglishOptions = {},
): EnglishImport {
  const result = importEnglish(docs, options);
  for (const w of result.warnings) io.stderr(`${w}\n`);
  if (result.empty) {
    const files = docs.map((d) => d.file).join(', ');
    throw new UsageError(
      `${files}: no architecture found: name at least one component (a service, a database, a queue, ...) and what it talks to; see docs/english.md`,
    );
  }
  return result;
}

/** Prints each sentence that could not be used, located, so none is dropped silently. */
export function reportUnused(result: EnglishImport, io: CliIO): void {
  for (const u of result.unused) {
    const text = u.text.length > 160 ? `${u.text.slice(0, 157)}...` : u.text;
    io.stderr(
      `${u.file}:${u.line}:${u.col}: warning: could not use this sentence: ${JSON.stringify(text)}\n`,
    );
  }
}
