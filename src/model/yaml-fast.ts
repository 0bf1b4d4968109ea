/**
 * A fast reader for the plain YAML that model files are written in: block mappings and sequences, flow
 * mappings and sequences (which may span lines), single-line quoted strings, plain scalars, literal and
 * folded block scalars (`|`, `>-`, ...) and comments.
 * The `yaml` library is a complete YAML 1.2 implementation, and slow: it takes a fifth of a second for a
 * 40 KB model in a fresh process, more than the rest of `threatkrew analyze`.
 *
 * This reader never decides anything the library would decide differently. It gives the same value as
 * the library's `toJS()` (core schema, YAML 1.2) for the documents it accepts, and gives up (returns
 * undefined) on anything else: multi-line plain or quoted scalars, the rarer forms of block scalars (keep
 * chomping, indentation indicators, more-indented folded lines, leading blank lines), anchors, aliases, tags,
 * explicit keys, documents markers, directives, tabs, carriage returns, duplicate keys, numbers other
 * than plain decimal integers, keys that are not plain strings, unusual indentation, errors of any kind.
 * The caller then parses the text with the library, which reports errors with their positions; positions
 * of a document read here are computed by the library too, lazily, only when a message needs one.
 */

/** Thrown (never escaping `readSimpleYaml`) when the text needs the full parser. */
const GIVE_UP: unique symbol = Symbol('give up');

/** Nesting beyond this is left to the full parser, which enforces the real limit (MAX_NESTING). */
const MAX_DEPTH = 48;
/** The library refuses implicit keys longer than 1024 characters; longer ones are left to it. */
const MAX_KEY = 1000;

/** Characters the reader does not handle anywhere: tabs, carriage returns, control and odd line breaks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSUPPORTED_CHARS = /[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
/** Document markers and directives at the start of a line. */
const DOCUMENT_MARKERS = /^(?:---|\.\.\.)(?:[ \n]|$)|^%/m;
/** Characters that may not start a plain scalar (YAML 1.2 indicators). */
const INDICATORS = new Set([
  '-',
  '?',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
]);
/** The core schema's numbers (the `yaml` library's own patterns): anything but a simple integer is left to it. */
const CORE_NUMBERS = [
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
const SAFE_INTEGER = /^-?(?:0|[1-9][0-9]{0,14})$/;
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
};

/** The value of a YAML document in the subset described above, or undefined to use the full parser. */
export function readSimpleYaml(text: string): { value: unknown } | undefined {
  if (UNSUPPORTED_CHARS.test(text) || DOCUMENT_MARKERS.test(text)) return undefined;
  try {
    return { value: new Reader(text).document() };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

/** One line of the text: where it starts, its indentation, where its content starts and where it ends. */
interface Line {
  start: number;
  indent: number;
  content: number;
  end: number;
}

class Reader {
  /** The start of the next line not yet read. */
  private next = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    const first = this.contentLine();
    if (first?.indent !== 0) giveUp();
    const value = this.blockNode(first, 0);
    if (this.contentLine()) giveUp();
    return value;
  }

  // ---- lines ---------------------------------------------------------------------------------------

  private line(start: number): Line {
    const t = this.text;
    let end = t.indexOf('\n', start);
    if (end === -1) end = t.length;
    let content = start;
    while (content < end && t.charCodeAt(content) === 32) content++;
    return { start, indent: content - start, content, end };
  }

  /** The next line with content (not blank, not only a comment), from `this.next`; it is not consumed. */
  private contentLine(): Line | undefined {
    const t = this.text;
    let start = this.next;
    while (start < t.length) {
      const l = this.line(start);
      if (l.content < l.end && t[l.content] !== '#') return l;
      start = l.end + 1;
    }
    this.next = t.length;
    return undefined;
  }

  private consume(l: Line): void {
    this.next = l.end + 1;
  }

  /** Nothing but spaces and a comment from `p` to the end of the line `l` (a comment needs a space before it). */
  private restIsBlank(p: number, end: number): boolean {
    const t = this.text;
    let q = p;
    while (q < end && t.charCodeAt(q) === 32) q++;
    if (q === end) return true;
    return t[q] === '#' && q > p;
  }

  private isSequenceEntry(l: Line): boolean {
    const t = this.text;
    return t[l.content] === '-' && (l.content + 1 === l.end || t[l.content + 1] === ' ');
  }

  // ---- block collections -----------------------------------------------------------------------------

  /** A block collection starting at the content of line `l` (a lone scalar on its own line is left to the library). */
  private blockNode(l: Line, depth: number): unknown {
    if (depth > MAX_DEPTH) giveUp();
    if (this.isSequenceEntry(l)) return this.blockSequence(l, l.content, depth);
    const key = this.blockKey(l.content, l.end);
    if (!key) giveUp();
    return this.blockMapping(l, l.content, depth);
  }

  /** Entries `- ...` aligned with the first one, at `dash` on line `first` (maybe after another `- `). */
  private blockSequence(first: Line, dash0: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) giveUp();
    const t = this.text;
    const col = dash0 - first.start;
    const out: unknown[] = [];
    let l: Line | undefined = first;
    let dash = dash0;
    while (l) {
      let p = dash + 1;
      while (p < l.end && t.charCodeAt(p) === 32) p++;
      if (p === l.end || (t[p] === '#' && p > dash + 1)) {
        // `-` alone: the item is the block below it, more indented, or null.
        this.consume(l);
        const below = this.contentLine();
        out.push(below && below.indent > col ? this.blockNode(below, depth + 1) : null);
      } else if (t[p] === '-' && (p + 1 === l.end || t[p + 1] === ' ')) {
        out.push(this.blockSequence(l, p, depth + 1)); // `- - a`: a nested sequence on the same line
      } else if (this.blockKey(p, l.end)) {
        // `- key: value` and more keys below, aligned with the first: a compact mapping.
        out.push(this.blockMapping(l, p, depth + 1));
      } else if (t[p] === '|' || t[p] === '>') {
        out.push(this.blockScalar(p, l, col));
      } else {
        const [value, end] = this.inlineValue(p, col, depth + 1);
        this.endOfValue(end, col);
        out.push(value);
      }
      const after = this.contentLine();
      if (!after || after.indent < col) break;
      if (after.indent > col) giveUp();
      if (!this.isSequenceEntry(after)) break; // the mapping this sequence is the value of goes on
      l = after;
      dash = after.content;
    }
    return out;
  }

  /** Entries `key: value` whose keys are at the column of `first` (on line `l`, maybe after a `- `). */
  private blockMapping(l: Line, first: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) giveUp();
    const t = this.text;
    const col = first - l.start;
    const out: Record<string, unknown> = {};
    let line = l;
    let p = first;
    for (;;) {
      const key = this.blockKey(p, line.end);
      if (!key) giveUp();
      setKey(out, key.name);
      let value: unknown;
      if (this.restIsBlank(key.after, line.end)) {
        // Nothing after the colon: the value is the block below, or a sequence at this same column.
        this.consume(line);
        const below = this.contentLine();
        if (below && below.indent > col) value = this.blockNode(below, depth + 1);
        else if (below && below.indent === col && this.isSequenceEntry(below))
          value = this.blockSequence(below, below.content, depth + 1);
        else value = null;
      } else {
        let q = key.after;
        while (t.charCodeAt(q) === 32) q++;
        if (t[q] === '|' || t[q] === '>') value = this.blockScalar(q, line, col);
        else {
          const [v, end] = this.inlineValue(q, col, depth + 1);
          this.endOfValue(end, col);
          value = v;
        }
      }
      out[key.name] = value;
      const after = this.contentLine();
      if (!after || after.indent < col) return out;
      if (after.indent > col || this.isSequenceEntry(after)) giveUp();
      line = after;
      p = after.content;
    }
  }

  /**
   * After a value written on its line: the rest of the line is blank, and no more indented line follows
   * (that would continue a plain scalar, or be an error).
   */
  private endOfValue(end: number, col: number): void {
    const l = this.line(this.lineStartOf(end));
    if (!this.restIsBlank(end, l.end)) giveUp();
    this.consume(l);
    const after = this.contentLine();
    if (after && after.indent > col) giveUp();
  }

  private lineStartOf(p: number): number {
    return this.text.lastIndexOf('\n', p - 1) + 1;
  }

  /** A key at `p` followed by `:` and a space or the end of the line, or undefined when there is none. */
  private blockKey(p: number, end: number): { name: string; after: number } | undefined {
    const t = this.text;
    const c = t[p];
    if (c === '"' || c === "'") {
      const [name, close] = c === '"' ? this.doubleQuoted(p) : this.singleQuoted(p);
      let q = close;
      while (q < end && t.charCodeAt(q) === 32) q++;
      if (t[q] !== ':' || (q + 1 < end && t[q + 1] !== ' ')) return undefined;
      if (close - p > MAX_KEY) giveUp();
      return { name: checkedKey(name), after: q + 1 };
    }
    if (c === undefined || INDICATORS.has(c)) return undefined;
    for (let q = p; q < end; q++) {
      const ch = t[q];
      if (ch === '#' && t[q - 1] === ' ') return undefined; // a comment before any colon
      if (ch === ':' && (q + 1 === end || t[q + 1] === ' ')) {
        const raw = t.slice(p, q).trimEnd();
        if (raw.length > MAX_KEY || /[[\]{},#]/.test(raw)) giveUp();
        const value = plainScalar(raw);
        if (typeof value !== 'string') giveUp();
        return { name: checkedKey(value), after: q + 1 };
      }
    }
    return undefined;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose indicator is at `p` on line `l`, in a block at
   * column `col`, with clip or strip (`-`) chomping. Its lines are those below, indented like the first.
   */
  private blockScalar(p: number, l: Line, col: number): string {
    const t = this.text;
    const folded = t[p] === '>';
    let q = p + 1;
    const strip = t[q] === '-';
    if (strip) q++;
    while (q < l.end && t.charCodeAt(q) === 32) q++;
    if (q !== l.end || l.end === t.length) giveUp(); // keep chomping, indentation indicator, comment
    const lines: string[] = []; // content lines, '' for an empty line
    let indent = -1;
    let start = l.end + 1;
    while (start < t.length) {
      const line = this.line(start);
      if (line.content === line.end) {
        if (indent === -1 || line.indent > indent) giveUp(); // leading or over-indented blank lines
        lines.push('');
      } else {
        if (indent === -1) {
          if (line.indent <= col) giveUp(); // an empty block scalar
          indent = line.indent;
        }
        if (line.indent < indent) break;
        const content = t.slice(line.start + indent, line.end);
        if (folded && content.startsWith(' ')) giveUp(); // more-indented lines are not folded
        if (line.end === t.length) giveUp(); // the last line has no line break
        lines.push(content);
      }
      start = line.end + 1;
    }
    if (indent === -1) giveUp();
    this.next = start;
    // Trailing blank lines belong to chomping: clip keeps one line break, strip none.
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    let out = '';
    for (let i = 0; i < lines.length; i++) {
      const s = lines[i] as string;
      if (i === 0) out = s;
      else if (!folded) out += `\n${s}`;
      else if (s === '') out += '\n';
      else out += lines[i - 1] === '' ? s : ` ${s}`;
    }
    return strip ? out : `${out}\n`;
  }

  // ---- values on one line (flow collections may run on) -----------------------------------------------

  /** A scalar or flow collection starting at `p`; `col` is the indentation of the block it belongs to. */
  private inlineValue(p: number, col: number, depth: number): [unknown, number] {
    const t = this.text;
    const c = t[p] as string;
    if (c === '{' || c === '[') return this.flowCollection(p, col, depth);
    if (c === '"') return this.doubleQuoted(p);
    if (c === "'") return this.singleQuoted(p);
    if (INDICATORS.has(c) && !(c === '-' && /[A-Za-z0-9_.]/.test(t[p + 1] ?? ''))) giveUp();
    let end = t.indexOf('\n', p);
    if (end === -1) end = t.length;
    let q = p;
    while (q < end && !(t[q] === '#' && t[q - 1] === ' ')) q++;
    const raw = t.slice(p, q).trimEnd();
    // `a: b` inside a value is a nested mapping (an error); `a:` at the end is one too.
    if (raw.includes(': ') || raw.endsWith(':')) giveUp();
    return [plainScalar(raw), p + raw.length];
  }

  private flowCollection(p: number, col: number, depth: number): [unknown, number] {
    if (depth > MAX_DEPTH) giveUp();
    const t = this.text;
    const map = t[p] === '{';
    const close = map ? '}' : ']';
    const out: unknown = map ? {} : [];
    let q = this.flowSpace(p + 1, col);
    if (t[q] === close) return [out, q + 1];
    for (;;) {
      if (map) {
        const [name, afterKey] = this.flowKey(q);
        setKey(out as Record<string, unknown>, name);
        q = this.flowSpace(afterKey + 1, col);
        const [value, end] = this.flowValue(q, col, depth + 1);
        (out as Record<string, unknown>)[name] = value;
        q = this.flowSpace(end, col);
      } else {
        const [value, end] = this.flowValue(q, col, depth + 1);
        (out as unknown[]).push(value);
        q = this.flowSpace(end, col);
        if (t[q] === ':') giveUp(); // `[a: b]`: a single-pair mapping
      }
      if (t[q] === close) return [out, q + 1];
      if (t[q] !== ',') giveUp();
      q = this.flowSpace(q + 1, col);
      if (t[q] === close || t[q] === ',') giveUp(); // a trailing or empty entry
    }
  }

  /** Skips spaces, line breaks and comments inside a flow collection; continuation lines must be indented. */
  private flowSpace(p: number, col: number): number {
    const t = this.text;
    let q = p;
    for (;;) {
      const c = t[q];
      if (c === ' ') q++;
      else if (c === '\n') {
        q++;
        let indent = 0;
        while (t[q] === ' ') {
          q++;
          indent++;
        }
        if (q < t.length && t[q] !== '\n' && t[q] !== '#' && indent <= col) giveUp();
      } else if (c === '#') {
        if (q === p && q > 0 && t[q - 1] !== ' ' && t[q - 1] !== '\n') giveUp();
        while (q < t.length && t[q] !== '\n') q++;
      } else if (c === undefined) giveUp();
      else return q;
    }
  }

  /** A flow mapping key at `p` and the position of its colon (which a space or line break must follow). */
  private flowKey(p: number): [string, number] {
    const t = this.text;
    const c = t[p] as string;
    let name: string;
    let q: number;
    if (c === '"' || c === "'") {
      const [value, end] = c === '"' ? this.doubleQuoted(p) : this.singleQuoted(p);
      if (end - p > MAX_KEY) giveUp();
      name = value;
      q = end;
      while (t[q] === ' ') q++;
    } else {
      if (INDICATORS.has(c)) giveUp();
      q = p;
      while (q < t.length && !(t[q] === ':' && (t[q + 1] === ' ' || t[q + 1] === '\n'))) {
        const ch = t[q];
        if (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}' || ch === '\n' || ch === '#')
          giveUp();
        q++;
      }
      const raw = t.slice(p, q).trimEnd();
      if (raw.length > MAX_KEY) giveUp();
      const value = plainScalar(raw);
      if (typeof value !== 'string') giveUp();
      name = value;
    }
    if (t[q] !== ':' || (t[q + 1] !== ' ' && t[q + 1] !== '\n')) giveUp();
    return [checkedKey(name), q];
  }

  private flowValue(p: number, col: number, depth: number): [unknown, number] {
    const t = this.text;
    const c = t[p] as string;
    if (c === '{' || c === '[') return this.flowCollection(p, col, depth);
    if (c === '"') return this.doubleQuoted(p);
    if (c === "'") return this.singleQuoted(p);
    if (INDICATORS.has(c) && !(c === '-' && /[A-Za-z0-9_.]/.test(t[p + 1] ?? ''))) giveUp();
    let q = p;
    for (; q < t.length; q++) {
      const ch = t[q];
      if (ch === ',' || ch === ']' || ch === '}' || ch === '\n') break;
      if (ch === ':' && (q + 1 === t.length || ' \n,]}'.includes(t[q + 1] as string))) giveUp();
      if (ch === '#' && t[q - 1] === ' ') break;
      if (ch === '[' || ch === '{') giveUp();
    }
    const raw = t.slice(p, q).trimEnd();
    if (t[q] === '\n' || t[q] === '#') {
      // A plain scalar runs on over a line break unless the collection goes on with `,` or closes.
      const next = this.flowSpace(q, -1);
      if (t[next] !== ',' && t[next] !== ']' && t[next] !== '}') giveUp();
    }
    return [plainScalar(raw), p + raw.length];
  }

  // ---- quoted scalars (on one line) ----------------------------------------------------------------------

  private doubleQuoted(p: number): [string, number] {
    const t = this.text;
    let out = '';
    let from = p + 1;
    for (let q = p + 1; q < t.length; q++) {
      const c = t[q];
      if (c === '"') return [out + t.slice(from, q), q + 1];
      if (c === '\n') giveUp();
      if (c === '\\') {
        out += t.slice(from, q);
        const e = t[q + 1] as string;
        if (e === 'u') {
          const hex = t.slice(q + 2, q + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) giveUp();
          out += String.fromCharCode(Number.parseInt(hex, 16));
          q += 5;
        } else {
          const s = ESCAPES[e];
          if (s === undefined) giveUp();
          out += s;
          q += 1;
        }
        from = q + 1;
      }
    }
    return giveUp();
  }

  private singleQuoted(p: number): [string, number] {
    const t = this.text;
    let out = '';
    let from = p + 1;
    for (let q = p + 1; q < t.length; q++) {
      const c = t[q];
      if (c === '\n') giveUp();
      if (c === "'") {
        if (t[q + 1] === "'") {
          out += t.slice(from, q + 1);
          q++;
          from = q + 1;
          continue;
        }
        return [out + t.slice(from, q), q + 1];
      }
    }
    return giveUp();
  }
}

/** A plain scalar's value in the YAML 1.2 core schema: null, a boolean, a safe decimal integer or a string. */
function plainScalar(raw: string): unknown {
  switch (raw) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  if (SAFE_INTEGER.test(raw)) return Number(raw);
  // Floats, octal, hexadecimal, signs, leading zeros, big integers. Only text that starts like a number
  // can be one, so most strings skip the patterns.
  if (/^[-+.0-9]/.test(raw) && CORE_NUMBERS.some((re) => re.test(raw))) giveUp();
  return raw;
}

/** Keys the library would treat specially (a merge key, the prototype) or that are empty. */
function checkedKey(name: string): string {
  if (name === '' || name === '<<' || name === '__proto__') giveUp();
  return name;
}

/** Duplicate keys are an error the library reports (uniqueKeys). */
function setKey(out: Record<string, unknown>, name: string): void {
  if (Object.hasOwn(out, name)) giveUp();
}
