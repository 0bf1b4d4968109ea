/**
 * Markdown and plain text cut into sentences with their positions: headings, paragraphs, list items
 * (with their nesting), table rows (with their header) and chat or Q&A lines. Fenced code blocks are
 * skipped and counted; inline markup (links, emphasis) is kept for the tokenizer.
 */

export type SentenceKind = 'heading' | 'text' | 'row';

export interface Sentence {
  file: string;
  /** 1-based position of the first character of the sentence. */
  line: number;
  col: number;
  /** The sentence as written, whitespace collapsed (what `source.text` shows). */
  text: string;
  kind: SentenceKind;
  /** Heading level (1-6) for headings; list depth (1 = top-level item) for list items; else 0. */
  level: number;
  /** The block (paragraph, list item, row) the sentence belongs to, numbered in document order. */
  block: number;
  /** The enclosing list item's block, for nested list items. */
  parentBlock?: number;
  /** The index (in the sentence list) of the nearest heading above. */
  heading?: number;
  /** Whether it ends with a question mark (not a statement). */
  question: boolean;
  /** Table rows: the header cells and this row's cells. */
  row?: { header: string[]; cells: string[] };
}

export interface Segmented {
  sentences: Sentence[];
  /** Lines inside fenced code blocks. */
  codeLines: number;
  /** Non-empty lines outside code blocks. */
  proseLines: number;
}

interface Piece {
  /** Offset of this piece in the block text. */
  at: number;
  line: number;
  col: number;
}

interface Block {
  text: string;
  pieces: Piece[];
  kind: 'paragraph' | 'item' | 'heading';
  level: number;
  indent: number;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,3}[.)])\s+(.*)$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
/** "[10:02] dana:", "10:02 dana:", "dana:" at the start of a chat line; "Q:" and "A:" in interviews. */
const CHAT_PREFIX =
  /^\s*(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s*[\w.@-]+:|\d{1,2}:\d{2}\s+[\w.@-]+:|(?:Q|A|Question|Answer)\s*:)\s*/;
const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|Mr|Mrs|Ms|Dr|Inc|Ltd|Co|No|Fig|St|resp)\.)$/i;

function cellsOf(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Cuts a text into sentences. Lines and columns are 1-based, columns count UTF-16 code units. */
export function segment(file: string, input: string): Segmented {
  const lines = input.split(/\r\n|\r|\n/);
  const sentences: Sentence[] = [];
  let codeLines = 0;
  let proseLines = 0;
  let blockNo = 0;
  let headingIndex: number | undefined;
  const itemStack: { indent: number; block: number }[] = [];

  let i = 0;
  // YAML front matter.
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, k) => k > 0 && (l.trim() === '---' || l.trim() === '...'));
    if (end > 0) i = end + 1;
  }

  let current: Block | undefined;
  const flush = () => {
    if (!current) return;
    const block = current;
    current = undefined;
    if (block.text.trim() === '') return;
    blockNo++;
    if (block.kind === 'heading') {
      sentences.push({
        ...positionOf(block, 0),
        file,
        text: collapse(block.text),
        kind: 'heading',
        level: block.level,
        block: blockNo,
        question: false,
      });
      headingIndex = sentences.length - 1;
      itemStack.length = 0;
      return;
    }
    let parentBlock: number | undefined;
    if (block.kind === 'item') {
      while (
        itemStack.length > 0 &&
        (itemStack[itemStack.length - 1] as { indent: number }).indent >= block.indent
      )
        itemStack.pop();
      parentBlock = itemStack[itemStack.length - 1]?.block;
      itemStack.push({ indent: block.indent, block: blockNo });
    } else {
      itemStack.length = 0;
    }
    for (const [start, end] of splitSentences(block.text)) {
      const raw = block.text.slice(start, end);
      const text = collapse(raw);
      if (text === '') continue;
      sentences.push({
        ...positionOf(block, start + (raw.length - raw.trimStart().length)),
        file,
        text,
        kind: 'text',
        level: block.kind === 'item' ? itemStack.length : 0,
        block: blockNo,
        ...(parentBlock !== undefined ? { parentBlock } : {}),
        ...(headingIndex !== undefined ? { heading: headingIndex } : {}),
        question: /\?["')\]]*$/.test(text),
      });
    }
  };
  const start = (kind: Block['kind'], text: string, line: number, col: number, level = 0, indent = 0) => {
    flush();
    current = { text, pieces: [{ at: 0, line, col }], kind, level, indent };
  };
  const append = (text: string, line: number, col: number) => {
    if (!current) return start('paragraph', text, line, col);
    const at = current.text.length + 1;
    current.text += ` ${text}`;
    current.pieces.push({ at, line, col });
  };

  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    const no = i + 1;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = (fence[1] as string)[0] as string;
      const length = (fence[1] as string).length;
      let k = i + 1;
      for (; k < lines.length; k++) {
        const close = FENCE.exec(lines[k] as string);
        if (close && (close[1] as string)[0] === marker && (close[1] as string).length >= length) break;
      }
      codeLines += Math.min(k, lines.length) - i - 1;
      i = k;
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (/^\s*<!--/.test(line)) {
      flush();
      while (i < lines.length && !(lines[i] as string).includes('-->')) i++;
      continue;
    }
    proseLines++;
    const next = lines[i + 1];
    const heading = HEADING.exec(line);
    if (heading) {
      const text = heading[2] as string;
      start('heading', text, no, line.indexOf(text) + 1, (heading[1] as string).length);
      flush();
      continue;
    }
    // A table: a row of cells followed by a separator row.
    if (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-')) {
      flush();
      const header = cellsOf(line);
      blockNo++;
      const tableBlock = blockNo;
      let k = i + 2;
      for (; k < lines.length; k++) {
        const row = lines[k] as string;
        if (row.trim() === '' || !row.includes('|')) break;
        proseLines++;
        const cells = cellsOf(row);
        blockNo++;
        const col = row.length - row.trimStart().length + 1;
        sentences.push({
          file,
          line: k + 1,
          col,
          text: collapse(row),
          kind: 'row',
          level: 0,
          block: blockNo,
          parentBlock: tableBlock,
          ...(headingIndex !== undefined ? { heading: headingIndex } : {}),
          question: false,
          row: { header, cells },
        });
      }
      proseLines++;
      i = k - 1;
      continue;
    }
    if (next !== undefined && SETEXT.test(next) && !ITEM.test(line) && !current) {
      start(
        'heading',
        line.trim(),
        no,
        line.length - line.trimStart().length + 1,
        next.trim()[0] === '=' ? 1 : 2,
      );
      flush();
      i++;
      continue;
    }
    if (RULE.test(line)) {
      flush();
      continue;
    }
    let content = line;
    let col = 1;
    const quote = /^\s{0,3}(>\s?)+/.exec(content);
    if (quote) {
      col += quote[0].length;
      content = content.slice(quote[0].length);
    }
    const item = ITEM.exec(content);
    if (item) {
      const text = item[3] as string;
      const indent = (item[1] as string).replace(/\t/g, '    ').length;
      start('item', text, no, col + content.length - text.length, 0, indent);
      continue;
    }
    const chat = CHAT_PREFIX.exec(content);
    if (chat) {
      const text = content.slice(chat[0].length);
      start('paragraph', text, no, col + chat[0].length);
      continue;
    }
    const lead = content.length - content.trimStart().length;
    if (current && current.kind === 'item' && lead > 0) {
      append(content.trim(), no, col + lead);
      continue;
    }
    if (current && current.kind === 'item' && lead === 0) {
      // A lazy continuation line of a list item.
      append(content.trim(), no, col + lead);
      continue;
    }
    append(content.trim(), no, col + lead);
  }
  flush();
  return { sentences, codeLines, proseLines };
}

function positionOf(block: Block, offset: number): { line: number; col: number } {
  let piece = block.pieces[0] as Piece;
  for (const p of block.pieces) {
    if (p.at <= offset) piece = p;
    else break;
  }
  return { line: piece.line, col: piece.col + (offset - piece.at) };
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** [start, end) offsets of the sentences of a block. */
export function splitSentences(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  const re = /[.!?]+["')\]]*(?=\s+\S)|[.!?]+["')\]]*$/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    const before = text.slice(start, end);
    const after = text.slice(end).trimStart();
    if (ABBREVIATIONS.test(before)) continue;
    // "1. " of an inline enumeration is not an end.
    if (m[0] === '.' && /(?:^|\s)\d{1,2}\.$/.test(before) && after !== '') continue;
    out.push([start, end]);
    start = end;
  }
  if (start < text.length) out.push([start, text.length]);
  return out;
}
