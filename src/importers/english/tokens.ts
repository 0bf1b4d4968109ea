/**
 * Tokens of one sentence: words (with their offsets, case and markup) and punctuation. Markdown links
 * keep their text, `code` and **strong** spans mark the words inside (they usually name things), and a
 * possessive 's is split off.
 */

export interface Token {
  /** The word as written (markup removed). */
  text: string;
  /** Lower case, curly apostrophes made straight. */
  lower: string;
  /** Offset in the sentence text. */
  start: number;
  end: number;
  /** Inside `backticks`. */
  code: boolean;
  /** Inside **strong** or __strong__ emphasis. */
  strong: boolean;
  /** A word (letters or digits), not punctuation. */
  word: boolean;
  /** Starts with an upper-case letter. */
  cap: boolean;
  /** Was followed by a possessive 's. */
  possessive: boolean;
  /** Inside a `code span of several words` (a command, not a name). */
  command?: boolean;
}

const WORD = /[\p{L}\p{N}](?:[\p{L}\p{N}_.:/@+#'’-]*(?:[\p{L}\p{N}+#]|:\*))?/uy;
const KEEP_APOSTROPHE = new Set([
  "it's",
  "that's",
  "what's",
  "there's",
  "here's",
  "who's",
  "let's",
  "he's",
  "she's",
]);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let strong = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    // Markdown link: keep the text, drop the target.
    if (ch === ']' && text[i + 1] === '(') {
      const close = text.indexOf(')', i + 2);
      if (close > 0 && close - i < 300) {
        i = close + 1;
        continue;
      }
    }
    if (ch === '[' || (ch === '!' && text[i + 1] === '[')) {
      i += ch === '!' ? 2 : 1;
      continue;
    }
    if ((ch === '*' && text[i + 1] === '*') || (ch === '_' && text[i + 1] === '_')) {
      strong = !strong;
      i += 2;
      continue;
    }
    if (ch === '`') {
      const close = text.indexOf('`', i + 1);
      if (close > i + 1) {
        const inner = text.slice(i + 1, close);
        // One word in backticks names something; several are a command or a snippet.
        const command = /\s/.test(inner.trim());
        for (const t of tokenize(inner)) {
          out.push({
            ...t,
            start: t.start + i + 1,
            end: t.end + i + 1,
            code: !command,
            command,
            strong: strong || t.strong,
          });
        }
        i = close + 1;
        continue;
      }
    }
    // ".NET" is a word.
    if (
      ch === '.' &&
      text.startsWith('NET', i + 1) &&
      !/[\p{L}\p{N}]/u.test(text[i + 4] ?? '') &&
      !/[\p{L}\p{N}]/u.test(text[i - 1] ?? '')
    ) {
      out.push({
        text: '.NET',
        lower: '.net',
        start: i,
        end: i + 4,
        code: false,
        strong,
        word: true,
        cap: true,
        possessive: false,
      });
      i += 4;
      continue;
    }
    WORD.lastIndex = i;
    const m = WORD.exec(text);
    if (m) {
      let word = m[0].replace(/’/g, "'");
      let end = i + m[0].length;
      let possessive = false;
      const lower = word.toLowerCase();
      if (!KEEP_APOSTROPHE.has(lower) && /'s$/i.test(word) && word.length > 2) {
        word = word.slice(0, -2);
        possessive = true;
      }
      if (
        end < n &&
        (text[end] === "'" || text[end] === '’') &&
        /s$/i.test(word) &&
        !/[\p{L}]/u.test(text[end + 1] ?? '')
      ) {
        possessive = true;
        end++;
      }
      const first = word[0] ?? '';
      out.push({
        text: word,
        lower: word.toLowerCase(),
        start: i,
        end,
        code: false,
        strong,
        word: true,
        cap: first !== first.toLowerCase(),
        possessive,
      });
      i = end;
      continue;
    }
    // A lone `*` or `_` is emphasis markup; drop it.
    if (ch === '*' || ch === '_') {
      i++;
      continue;
    }
    out.push({
      text: ch,
      lower: ch,
      start: i,
      end: i + 1,
      code: false,
      strong,
      word: false,
      cap: false,
      possessive: false,
    });
    i++;
  }
  return out;
}
