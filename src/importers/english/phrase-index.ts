/** Longest-match lookup of multi-word phrases over tokens (technology names, kind nouns, user nouns). */
import { type Token, tokenize } from './tokens.js';

interface Entry<T> {
  words: string[];
  /** Matched exactly as written (for names that are also common words: "Go", "Vault", "Spring"). */
  exact: string[] | undefined;
  value: T;
  phrase: string;
}

export interface PhraseMatch<T> {
  value: T;
  /** Token index after the match. */
  end: number;
  phrase: string;
}

export class PhraseIndex<T> {
  private readonly byFirst = new Map<string, Entry<T>[]>();

  add(phrase: string, value: T, exact = false): void {
    const toks = tokenize(phrase);
    if (toks.length === 0) return;
    const words = toks.map((t) => t.lower);
    const entry: Entry<T> = { words, exact: exact ? toks.map((t) => t.text) : undefined, value, phrase };
    const first = words[0] as string;
    const list = this.byFirst.get(first) ?? [];
    list.push(entry);
    // Longest first; among equal lengths the first added wins.
    list.sort((a, b) => b.words.length - a.words.length);
    this.byFirst.set(first, list);
  }

  /** The longest phrase starting at token `i`. */
  match(tokens: readonly Token[], i: number, usable?: (j: number) => boolean): PhraseMatch<T> | undefined {
    const first = tokens[i];
    if (!first) return undefined;
    const list = this.byFirst.get(first.lower);
    if (!list) return undefined;
    outer: for (const e of list) {
      if (i + e.words.length > tokens.length) continue;
      for (let k = 0; k < e.words.length; k++) {
        const t = tokens[i + k] as Token;
        if (t.lower !== e.words[k]) continue outer;
        if (e.exact && t.text !== e.exact[k]) continue outer;
        if (usable && !usable(i + k)) continue outer;
      }
      return { value: e.value, end: i + e.words.length, phrase: e.phrase };
    }
    return undefined;
  }
}
