/**
 * Reading one input file: size and binary checks, YAML 1.2 (core schema) or JSON parsing, and source
 * positions for any path in the document. JSON is parsed with the fast native parser, and most YAML by
 * the small reader of `yaml-fast.ts`; the position map is then built lazily, only when a diagnostic or a
 * location needs it, so large models stay fast.
 */
import { readFileSync, statSync } from 'node:fs';
import type { CST, Document, LineCounter, Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { readSimpleYaml } from './yaml-fast.js';
import { yamlLib } from './yaml-lib.js';

export type Path = readonly (string | number)[];

export interface Position {
  line: number;
  col: number;
}

export const DEFAULT_MAX_INPUT_MB = 64;

/**
 * The deepest nesting of lists and mappings read. A model needs fewer than ten levels; the limit keeps
 * the recursive YAML composer (and everything after it) far from the end of the stack, where a deeply
 * nested file would otherwise crash the process.
 */
export const MAX_NESTING = 64;
const TOO_DEEP = `the file nests lists and mappings more than ${MAX_NESTING} levels deep; a model needs far fewer`;

/** A parsed input file and the means to locate any path inside it. */
export class SourceFile {
  private positions: { doc: Document.Parsed; lines: LineCounter } | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly data: unknown,
    preparsed?: { doc: Document.Parsed; lines: LineCounter },
  ) {
    this.positions = preparsed;
  }

  private index() {
    if (!this.positions) {
      const { LineCounter, parseDocument } = yamlLib();
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
    const { isMap, isPair, isScalar, isSeq } = yamlLib();
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    let last: Node | undefined = (doc.contents as Node | null) ?? undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
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
export function readInputText(
  file: string,
  maxInputMb = DEFAULT_MAX_INPUT_MB,
): { text: string } | Diagnostic {
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
    return err(
      file,
      `the file is ${mb} MB, over the ${maxInputMb} MB input limit; raise it with --max-input-mb`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return err(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  const empty = () =>
    err(file, 'the file is empty; a model starts with `threatkrew: 1` (try `threatkrew init`)');
  if (bytes.length === 0) return empty();
  // Binary checks come before any decoding, so a large binary file is refused at once.
  if (bytes.subarray(0, 65536).includes(0)) return err(file, 'this is a binary file, not YAML or JSON text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return err(file, 'the file is not UTF-8 text (a binary file?); save it as UTF-8 YAML or JSON');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return empty();
  return { text };
}

export function isJsonPath(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

/** Parses YAML 1.2 (core schema) or JSON text into data plus a locator. */
export function parseSource(file: string, text: string, json = isJsonPath(file)): ReadResult {
  if (json) {
    try {
      const data: unknown = JSON.parse(text);
      const deep = jsonTooDeep(text);
      if (deep !== undefined) {
        const pos = linePosition(text, deep);
        return { ok: false, diagnostics: [err(file, TOO_DEEP, pos.line, pos.col)] };
      }
      return { ok: true, source: new SourceFile(file, text, data) };
    } catch (e) {
      // The native parser's messages rarely give a position; find the first error with a small scanner.
      const found = jsonSyntaxError(text);
      const offset = found?.offset ?? 0;
      const detail =
        found?.message ?? shortMessage((e as Error).message.replace(/ in JSON at position \d+.*$/, ''));
      const pos = linePosition(text, offset);
      return { ok: false, diagnostics: [err(file, `invalid JSON: ${detail}`, pos.line, pos.col)] };
    }
  }
  // Most model files are plain YAML that a small reader handles many times faster than the library; it
  // gives up on anything else, and on any error, so the library decides and reports those.
  const simple = readSimpleYaml(text);
  if (simple) return { ok: true, source: new SourceFile(file, text, simple.value) };
  // Parse to the concrete syntax tree first (iterative), refuse deep nesting, then compose (recursive).
  const { Composer, LineCounter, Parser } = yamlLib();
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const deep = yamlTooDeep(tokens);
  if (deep !== undefined) {
    const p = lines.linePos(deep);
    return { ok: false, diagnostics: [err(file, TOO_DEEP, p.line, p.col)] };
  }
  // logLevel 'error': the YAML library would otherwise print process warnings (a collection used as a
  // key); such a key is reported as an unknown key instead.
  const composer = new Composer({
    version: '1.2',
    schema: 'core',
    uniqueKeys: true,
    strict: true,
    logLevel: 'error',
  });
  const list = Array.from(composer.compose(tokens));
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
      diagnostics.push(err(file, `invalid YAML: ${shortMessage(e.message)}`, p.line, p.col));
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
  const doc = list[0] as Document.Parsed;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return {
      ok: false,
      diagnostics: [err(file, `invalid YAML: ${shortMessage((e as Error).message)}`, 1, 1)],
    };
  }
  return { ok: true, source: new SourceFile(file, text, data, { doc, lines }) };
}

/** Reads and parses one input file. */
export function readSource(file: string, options: ReadOptions = {}): ReadResult {
  const read = readInputText(file, options.maxInputMb);
  if (!('text' in read)) return { ok: false, diagnostics: [read] };
  return parseSource(file, read.text, options.json ?? isJsonPath(file));
}

/**
 * A parser message made fit for one diagnostic line: its first line, quoted excerpts of the input cut to
 * 40 characters (the YAML parser quotes whole tokens, which can be megabytes long), at most 200 characters.
 */
function shortMessage(message: string): string {
  const first = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, '');
  const cut = first.replace(/"((?:[^"\\]|\\.){40})(?:[^"\\]|\\.)+"/g, '"$1..."');
  return cut.length > 200 ? `${cut.slice(0, 197)}...` : cut;
}

function linePosition(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: end - start + 1 };
}

/**
 * The first syntax error in JSON text (offset and message), or undefined when there is none. Iterative,
 * so deeply nested input cannot overflow the stack.
 */
export function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  const n = text.length;
  let i = 0;
  const stack: ('{' | '[')[] = [];
  type Want = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';
  let want: Want = 'value';
  const found = () => {
    if (i >= n) return 'the end of the file';
    const c = text.charCodeAt(i);
    return c < 0x20 || c === 0x7f || c === 0xfeff
      ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}`
      : `'${text[i]}'`;
  };
  const fail = (message: string, offset = i) => ({ offset, message });
  const after = (): Want => (stack.length === 0 ? 'end' : 'comma-or-close');
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const scanString = (): { offset: number; message: string } | undefined => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) return fail('a string is not closed (missing ")', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else return fail('invalid escape in a string');
      } else if (c < 0x20) {
        return fail(`${found()} inside a string; write it escaped (\\n, \\t, ...)`);
      } else i++;
    }
  };
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) return want === 'end' ? undefined : fail('unexpected end of the file');
    const c = text[i];
    switch (want) {
      case 'end':
        return fail(`unexpected ${found()} after the end of the JSON value`);
      case 'colon':
        if (c !== ':') return fail(`expected ':' after a property name, found ${found()}`);
        i++;
        want = 'value';
        break;
      case 'comma-or-close': {
        const close = stack[stack.length - 1] === '{' ? '}' : ']';
        if (c === ',') {
          i++;
          want = close === '}' ? 'key' : 'value';
        } else if (c === close) {
          i++;
          stack.pop();
          want = after();
        } else return fail(`expected ',' or '${close}', found ${found()}`);
        break;
      }
      case 'key-or-close':
      case 'key': {
        if (c === '}' && want === 'key-or-close') {
          i++;
          stack.pop();
          want = after();
          break;
        }
        if (c !== '"') return fail(`expected a property name in double quotes, found ${found()}`);
        const bad = scanString();
        if (bad) return bad;
        want = 'colon';
        break;
      }
      case 'value-or-close':
      case 'value': {
        if (c === ']' && want === 'value-or-close') {
          i++;
          stack.pop();
          want = after();
          break;
        }
        if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          want = c === '{' ? 'key-or-close' : 'value-or-close';
          break;
        }
        if (c === '"') {
          const bad = scanString();
          if (bad) return bad;
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) i += 4;
        else if (text.startsWith('false', i)) i += 5;
        else {
          number.lastIndex = i;
          if (!number.test(text)) return fail(`unexpected ${found()} where a value belongs`);
          i = number.lastIndex;
        }
        want = after();
        break;
      }
    }
  }
}

/** The offset of the first collection nested deeper than MAX_NESTING in a YAML syntax tree. */
function yamlTooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [t, depth] = top;
    if (t.type === 'document') {
      if (t.value) stack.push([t.value, depth]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth >= MAX_NESTING) return t.offset;
      for (const item of t.items) {
        if ('key' in item && item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/**
 * The offset of the first `[` or `{` nested deeper than MAX_NESTING in (valid) JSON text. Most of a model
 * is the text of strings, so a string is skipped with `indexOf` to its closing quote (one not escaped by
 * an odd run of backslashes) rather than character by character.
 */
export function jsonTooDeep(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let close = text.indexOf('"', i + 1);
      for (;;) {
        if (close === -1) return undefined; // not valid JSON; the parser has said so already
        let backslashes = 0;
        while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        close = text.indexOf('"', close + 1);
      }
      i = close;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}
