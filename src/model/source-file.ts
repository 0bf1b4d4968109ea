/**
 * Reading one input file: size and binary checks, YAML 1.2 (core schema) or JSON parsing, and source
 * positions for any path in the document. JSON is parsed with the fast native parser; the position map
 * is built lazily, only when a diagnostic needs it, so large JSON models stay fast.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

export type Path = readonly (string | number)[];

export interface Position {
  line: number;
  col: number;
}

export const DEFAULT_MAX_INPUT_MB = 64;

/** A parsed input file and the means to locate any path inside it. */
export class SourceFile {
  private positions: { doc: ReturnType<typeof parseDocument>; lines: LineCounter } | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly data: unknown,
    private readonly preparsed?: { doc: ReturnType<typeof parseDocument>; lines: LineCounter },
  ) {
    this.positions = preparsed;
  }

  private index() {
    if (!this.positions) {
      const lines = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lines, version: '1.2', keepSourceTokens: false });
      this.positions = { doc, lines };
    }
    return this.positions;
  }

  /**
   * The position of the value at `path` (or of its key, with `at: 'key'`). A path that does not exist
   * resolves to its nearest existing ancestor, so "missing key" errors point at the object to edit.
   */
  locate(path: Path, at: 'value' | 'key' = 'value'): Position {
    const { doc, lines } = this.index();
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    let last: Node | undefined = (doc.contents as Node | null) ?? undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value;
        if (node && (node as Node).range) last = node as Node;
        else last = keyNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (!item) break;
        keyNode = undefined;
        node = item;
        last = item as Node;
      } else {
        break;
      }
    }
    const target = at === 'key' && keyNode?.range ? keyNode : last;
    const offset = target?.range?.[0] ?? 0;
    const p = lines.linePos(offset);
    return { line: p.line, col: p.col };
  }
}

export type ReadResult = { ok: true; source: SourceFile } | { ok: false; diagnostics: Diagnostic[] };

export interface ReadOptions {
  maxInputMb?: number;
  /** Treat the text as JSON (else YAML). Default: by extension. */
  json?: boolean;
}

const err = (file: string, message: string, line?: number, col?: number): Diagnostic =>
  line === undefined ? { severity: 'error', file, message } : { severity: 'error', file, line, col, message };

/** Reads the bytes of an input file with every check the CLI needs before parsing. */
export function readInputText(file: string, maxInputMb = DEFAULT_MAX_INPUT_MB): { text: string } | Diagnostic {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return err(file, 'no such file');
    if (code === 'EACCES') return err(file, 'permission denied');
    return err(file, `cannot read the file (${code ?? 'unknown error'})`);
  }
  if (stat.isDirectory()) return err(file, 'is a directory; name the model files inside it');
  if (!stat.isFile()) return err(file, 'is not a regular file');
  const limit = maxInputMb * 1024 * 1024;
  if (stat.size > limit) {
    const mb = (stat.size / 1024 / 1024).toFixed(1);
    return err(file, `the file is ${mb} MB, over the ${maxInputMb} MB input limit; raise it with --max-input-mb`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return err(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') {
    return err(file, 'the file is empty; a model starts with `threatkrew: 1` (try `threatkrew init`)');
  }
  if (bytes.subarray(0, 65536).includes(0)) return err(file, 'this is a binary file, not YAML or JSON text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return err(file, 'the file is not UTF-8 text (a binary file?); save it as UTF-8 YAML or JSON');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

export function isJsonPath(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

/** Parses YAML 1.2 (core schema) or JSON text into data plus a locator. */
export function parseSource(file: string, text: string, json = isJsonPath(file)): ReadResult {
  if (json) {
    try {
      return { ok: true, source: new SourceFile(file, text, JSON.parse(text)) };
    } catch (e) {
      // Find the position with the YAML parser (JSON is YAML 1.2); fall back to the start of the file.
      const lines = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lines, version: '1.2', uniqueKeys: true });
      const first = doc.errors[0];
      const native = /position (\d+)/.exec((e as Error).message);
      const offset = first ? first.pos[0] : native ? Number(native[1]) : 0;
      const pos = lines.linePos(Math.min(offset, text.length));
      const detail = first ? first.message.split('\n')[0] : (e as Error).message.replace(/ in JSON at position \d+.*$/, '');
      return { ok: false, diagnostics: [err(file, `invalid JSON: ${detail}`, pos.line, pos.col)] };
    }
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    version: '1.2',
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    return {
      ok: false,
      diagnostics: [err(file, 'the file holds no YAML document; a model starts with `threatkrew: 1`')],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const seenLines = new Set<number>();
  for (const doc of list) {
    for (const e of doc.errors) {
      const p = lines.linePos(e.pos[0]);
      if (seenLines.has(p.line)) continue; // one message per broken line: the rest are follow-ons
      seenLines.add(p.line);
      diagnostics.push(err(file, `invalid YAML: ${e.message.split('\n')[0]}`, p.line, p.col));
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  if (list.length > 1) {
    const second = list[1];
    const p = lines.linePos(second?.range[0] ?? 0);
    return {
      ok: false,
      diagnostics: [
        err(file, 'the file holds several YAML documents (---); keep one model per file', p.line, p.col),
      ],
    };
  }
  const doc = list[0] as ReturnType<typeof parseDocument>;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { ok: false, diagnostics: [err(file, `invalid YAML: ${(e as Error).message}`, 1, 1)] };
  }
  return { ok: true, source: new SourceFile(file, text, data, { doc, lines }) };
}

/** Reads and parses one input file. */
export function readSource(file: string, options: ReadOptions = {}): ReadResult {
  const read = readInputText(file, options.maxInputMb);
  if (!('text' in read)) return { ok: false, diagnostics: [read] };
  return parseSource(file, read.text, options.json ?? isJsonPath(file));
}
