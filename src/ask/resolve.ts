/**
 * Entity resolution: which elements, findings, rules and open questions a question names, by id (as
 * written, or a flow's derived `<from>-><to>`), by display name ("the orders service"), by the words of
 * an id ("orders db"), with synonyms ("database" for "db") and forgiving small typos ("ordrs-db").
 *
 * Matching prefers, in order: the longest run of words; an id written out; a whole display name or a
 * one-word id; the words of an id or a name without its parenthesised part. Two candidates left equal
 * are ambiguous, unless a word next to the match names only one of them ("the primary orders database").
 */
import type { Finding } from '../engine/analysis.js';
import { editDistance } from '../model/diagnostics.js';
import type { ElementKind } from '../model/view.js';
import * as vocabulary from '../model/vocabulary.js';
import type { RuleMeta } from '../rules/define-rule.js';
import { COMMON_WORDS, cmp, keyTokens, normalizeQuestion, type Token, tokenize } from './text.js';
import type { AskContext } from './types.js';

export type EntityKind = ElementKind | 'finding' | 'rule' | 'question';

/** Something a question can name. */
export interface Entity {
  kind: EntityKind;
  /** The canonical id (a flow's written id where it has one). */
  id: string;
  /** The display label (name, else id). */
  label: string;
}

export interface Mention {
  entity: Entity;
  /** Character offsets in the normalised question. */
  start: number;
  end: number;
  /** The words as written. */
  text: string;
  /** `typo`: matched only after forgiving a small typo. */
  how: 'id' | 'name' | 'typo';
  /** The words are also ordinary vocabulary (`admin`, `internet`, `monitoring`): a weak match. */
  generic: boolean;
}

export interface Ambiguity {
  text: string;
  start: number;
  end: number;
  /** Sorted by id. */
  candidates: Entity[];
  how: 'name' | 'typo';
}

export interface Scan {
  /** In order of position. */
  mentions: Mention[];
  ambiguous: Ambiguity[];
  /** Id-shaped words (with `-`, `.`, digits, `#`) that name nothing and are not vocabulary. */
  unresolved: string[];
  /** 16-hex-digit words that are no finding id. */
  unknownFindings: string[];
}

interface Key {
  tokens: string[];
  entity: Entity;
  /** 3: a one-word id; 2: a whole display name; 1: the words of an id, or a name's core. */
  tier: number;
  generic: boolean;
}

/** Hyphenated words people write that are vocabulary, not ids. */
const PROSE_HYPHENATED = new Set(
  `what-if follow-up so-called end-to-end man-in-the-middle third-party e-mail at-rest in-transit
  multi-factor two-factor least-privilege built-in sign-in log-in login cross-region cross-account
  non-production read-only high-risk well-known long-lived short-lived top-down step-by-step zero-trust
  pre-production server-side client-side two-step real-time day-to-day in-house open-source tl-dr
  re-analyse re-analyze high-level low-level one-line x-ray cc-by`.split(/\s+/),
);

/** Every word of the model's closed vocabularies and field names (never an id typo). */
function vocabularyWords(): Set<string> {
  const out = new Set<string>(PROSE_HYPHENATED);
  for (const v of Object.values(vocabulary)) {
    if (Array.isArray(v)) for (const t of v) if (typeof t === 'string') out.add(t.toLowerCase());
  }
  for (const f of [
    'encrypted-at-rest',
    'secrets-in',
    'runs-as',
    'fetches-urls',
    'assumable-by',
    'information-disclosure',
    'denial-of-service',
    'elevation-of-privilege',
    'very-likely',
    'very-high',
    'false-positive',
    'crown-jewels',
    'attack-path',
    'trust-boundary',
  ]) {
    out.add(f);
  }
  return out;
}

const VOCABULARY = vocabularyWords();

function typoLimit(length: number): number {
  if (length < 5) return 0;
  return length < 8 ? 1 : 2;
}

export class EntityIndex {
  /** Lower-cased literal ids (written, derived flow ids, rule ids, question ids) to entities. */
  private readonly literal = new Map<string, Entity[]>();
  private readonly keysByFirst = new Map<string, Key[]>();
  private readonly keyWords = new Set<string>();
  private readonly findings: readonly Finding[];
  private readonly entities: Entity[] = [];

  constructor(ctx: AskContext, rules: ReadonlyMap<string, RuleMeta>) {
    const view = ctx.loaded.view;
    this.findings = ctx.analysis.findings;
    const add = (e: Entity) => {
      this.entities.push(e);
      return e;
    };
    const elements: [ElementKind, { id: string; name?: string | undefined }[]][] = [
      ['component', [...view.components]],
      ['boundary', [...view.boundaries]],
      ['identity', [...view.identities]],
      ['data', [...view.data]],
    ];
    for (const [kind, list] of elements) {
      for (const e of list) {
        const entity = add({ kind, id: e.id, label: e.name ?? e.id });
        this.addLiteral(e.id, entity);
        this.addNameKeys(entity, e.id, e.name);
      }
    }
    const byEnds = new Map<string, Entity[]>();
    for (const f of view.flows) {
      const entity = add({ kind: 'flow', id: f.id, label: f.flow.name ?? f.id });
      this.addLiteral(f.id, entity);
      const ends = `${f.from.id}->${f.to.id}`;
      byEnds.set(ends, [...(byEnds.get(ends) ?? []), entity]);
      if (f.flow.id !== undefined) this.addNameKeys(entity, f.flow.id, f.flow.name);
      else if (f.flow.name !== undefined) this.addNameKeys(entity, undefined, f.flow.name);
    }
    // A flow may always be named by its ends (DESIGN §3), also when it has an id of its own.
    for (const [ends, list] of byEnds) {
      if (!this.literal.has(ends.toLowerCase())) for (const e of list) this.addLiteral(ends, e);
    }
    for (const r of [...rules.values()].sort((a, b) => cmp(a.id, b.id))) {
      const entity = add({ kind: 'rule', id: r.id, label: r.title });
      this.addLiteral(r.id, entity);
      this.addKey(keyTokens(r.id), entity, 1);
    }
    for (const q of ctx.analysis.questions) {
      const entity = add({ kind: 'question', id: q.id, label: q.text });
      this.addLiteral(q.id, entity);
    }
  }

  private addLiteral(id: string, entity: Entity): void {
    const key = id.toLowerCase();
    const list = this.literal.get(key) ?? [];
    if (!list.some((e) => e.kind === entity.kind && e.id === entity.id)) list.push(entity);
    this.literal.set(key, list);
  }

  private addKey(tokens: string[], entity: Entity, tier: number): void {
    if (tokens.length === 0) return;
    const generic =
      tokens.length === 1 && (COMMON_WORDS.has(tokens[0] as string) || VOCABULARY.has(tokens[0] as string));
    const first = tokens[0] as string;
    const list = this.keysByFirst.get(first) ?? [];
    const dup = list.find(
      (k) =>
        k.entity === entity && k.tokens.length === tokens.length && k.tokens.every((t, i) => t === tokens[i]),
    );
    if (dup) dup.tier = Math.max(dup.tier, tier);
    else list.push({ tokens, entity, tier, generic });
    this.keysByFirst.set(first, list);
    for (const t of tokens) this.keyWords.add(t);
  }

  private addNameKeys(entity: Entity, id: string | undefined, name: string | undefined): void {
    if (id !== undefined) {
      const t = keyTokens(id);
      // A one-word id is the id itself; the words of a longer id are a looser way to say it.
      this.addKey(t, entity, /^[a-z0-9]+$/i.test(id) ? 3 : 1);
    }
    if (name !== undefined) {
      this.addKey(keyTokens(name), entity, 2);
      const core = name.replace(/\([^)]*\)/g, ' ').trim();
      if (core !== name && core !== '') this.addKey(keyTokens(core), entity, 1);
    }
  }

  /** Every entity of some kinds (for did-you-mean lists), sorted by id. */
  all(kinds: readonly EntityKind[]): Entity[] {
    return this.entities.filter((e) => kinds.includes(e.kind)).sort((a, b) => cmp(a.id, b.id));
  }

  /** Finds what a (raw) question names. */
  scan(question: string): Scan {
    const text = normalizeQuestion(question);
    const mentions: Mention[] = [];
    const ambiguous: Ambiguity[] = [];
    const unresolved: string[] = [];
    const unknownFindings: string[] = [];
    const covered: [number, number][] = [];
    const isCovered = (s: number, e: number) => covered.some(([a, b]) => s < b && e > a);

    // 1. Ids written out: words with a character that prose words do not have.
    for (const m of text.matchAll(/[a-z0-9][a-z0-9._:/@#>-]*/g)) {
      let word = m[0];
      const start = m.index ?? 0;
      word = word.replace(/[._:/@>-]+$/, '');
      if (word === '') continue;
      const end = start + word.length;
      if (/^[0-9a-f]{16}$/.test(word)) {
        const f = this.findings.find((x) => x.id === word);
        if (f) mentions.push(this.findingMention(f, start, end, word));
        else unknownFindings.push(word);
        covered.push([start, end]);
        continue;
      }
      if (/^[0-9a-f]{6,15}$/.test(word) && /\d/.test(word) && /[a-f]/.test(word)) {
        const hits = this.findings.filter((x) => x.id.startsWith(word));
        if (hits.length === 1) {
          mentions.push(this.findingMention(hits[0] as Finding, start, end, word));
          covered.push([start, end]);
          continue;
        }
      }
      if (!/[^a-z]/.test(word)) continue; // a plain word: matched by name below
      const hit = this.literal.get(word);
      if (hit && hit.length === 1) {
        mentions.push({ entity: hit[0] as Entity, start, end, text: word, how: 'id', generic: false });
        covered.push([start, end]);
        continue;
      }
      if (hit && hit.length > 1) {
        ambiguous.push({ text: word, start, end, candidates: sortEntities(hit), how: 'name' });
        covered.push([start, end]);
        continue;
      }
      // A sentence may end right after an id that itself ends in a letter: nothing more to strip.
      if (VOCABULARY.has(word) || /^\d+(?:\.\d+)*$/.test(word) || !/[a-z]/.test(word)) continue;
      if (!/[-.#>_:/@]/.test(word)) continue; // e.g. "v2", "s3": words with digits are prose too
      const typo = this.literalTypo(word);
      if (typo.length === 1) {
        mentions.push({ entity: typo[0] as Entity, start, end, text: word, how: 'typo', generic: false });
        covered.push([start, end]);
      } else if (typo.length > 1) {
        ambiguous.push({ text: word, start, end, candidates: typo, how: 'typo' });
        covered.push([start, end]);
      } else {
        // An id that names nothing: its pieces are not matched as names either (that would be a guess).
        unresolved.push(word);
        covered.push([start, end]);
      }
    }

    // 2. Names and the words of ids.
    const tokens = tokenize(text).filter((t) => !isCovered(t.start, t.end));
    interface Span {
      i: number;
      j: number;
      tier: number;
      entities: Entity[];
      generic: boolean;
    }
    const spans: Span[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const keys = this.keysByFirst.get((tokens[i] as Token).word) ?? [];
      const found = new Map<string, Span>();
      for (const k of keys) {
        const j = i + k.tokens.length;
        if (j > tokens.length) continue;
        if (!k.tokens.every((w, n) => (tokens[i + n] as Token).word === w)) continue;
        // The words must be written next to each other (only filler words between them).
        if (!contiguous(text, tokens, i, j)) continue;
        const key = `${j}:${k.tier}`;
        const s = found.get(key) ?? { i, j, tier: k.tier, entities: [], generic: true };
        if (!s.entities.includes(k.entity)) s.entities.push(k.entity);
        s.generic = s.generic && k.generic;
        found.set(key, s);
      }
      spans.push(...found.values());
    }
    spans.sort((a, b) => b.j - b.i - (a.j - a.i) || b.tier - a.tier || a.i - b.i);
    const taken: [number, number][] = [];
    for (const s of spans) {
      if (taken.some(([a, b]) => s.i < b && s.j > a)) continue;
      taken.push([s.i, s.j]);
      const first = tokens[s.i] as Token;
      const last = tokens[s.j - 1] as Token;
      const written = text.slice(first.start, last.end);
      let entities = s.entities;
      if (entities.length > 1) entities = this.disambiguate(entities, tokens, s.i, s.j);
      if (entities.length === 1) {
        mentions.push({
          entity: entities[0] as Entity,
          start: first.start,
          end: last.end,
          text: written,
          how: 'name',
          generic: s.generic,
        });
      } else {
        ambiguous.push({
          text: written,
          start: first.start,
          end: last.end,
          candidates: sortEntities(entities),
          how: 'name',
        });
      }
    }

    // 3. Small typos in the words left over, longest runs first.
    const free = tokens.filter((_, n) => !taken.some(([a, b]) => n >= a && n < b));
    const used = new Set<number>();
    for (let n = 3; n >= 1; n--) {
      for (let i = 0; i + n <= free.length; i++) {
        const run = free.slice(i, i + n);
        if (run.some((t) => used.has(t.start))) continue;
        if (!contiguousRun(text, run)) continue;
        // A typo needs a word that means nothing else; the other words of the run may be known ones
        // ("the ordrs service"), but a run of known words is never a typo.
        const known = (t: Token) =>
          COMMON_WORDS.has(t.raw) ||
          COMMON_WORDS.has(t.word) ||
          this.keyWords.has(t.word) ||
          VOCABULARY.has(t.raw);
        if (run.every(known)) continue;
        if (run.some((t) => /^\d+$/.test(t.raw))) continue;
        const joined = run.map((t) => t.word).join(' ');
        const limit = n === 1 && joined.length === 4 ? 1 : typoLimit(joined.length);
        if (limit === 0) continue;
        const hits = this.nameTypo(
          run.map((t) => t.word),
          limit,
        );
        if (hits.length === 0) continue;
        for (const t of run) used.add(t.start);
        const start = (run[0] as Token).start;
        const end = (run[run.length - 1] as Token).end;
        const written = text.slice(start, end);
        if (hits.length === 1)
          mentions.push({
            entity: hits[0] as Entity,
            start,
            end,
            text: written,
            how: 'typo',
            generic: false,
          });
        else ambiguous.push({ text: written, start, end, candidates: hits, how: 'typo' });
      }
    }

    mentions.sort((a, b) => a.start - b.start || cmp(a.entity.id, b.entity.id));
    ambiguous.sort((a, b) => a.start - b.start);
    return { mentions, ambiguous, unresolved: [...new Set(unresolved)], unknownFindings };
  }

  private findingMention(f: Finding, start: number, end: number, text: string): Mention {
    return {
      entity: { kind: 'finding', id: f.id, label: f.title },
      start,
      end,
      text,
      how: 'id',
      generic: false,
    };
  }

  /** Ids within a small edit distance of a mistyped id-shaped word; the closest ones only. */
  private literalTypo(word: string): Entity[] {
    const limit = typoLimit(word.length);
    if (limit === 0) return [];
    let best = limit + 1;
    let hits: Entity[] = [];
    for (const [id, list] of this.literal) {
      const d = editDistance(word, id, limit);
      if (d > limit) continue;
      if (d < best) {
        best = d;
        hits = [...list];
      } else if (d === best) hits.push(...list);
    }
    return sortEntities(dedupe(hits));
  }

  /** Names and id words within a small edit distance of a run of words; the closest ones only. */
  private nameTypo(words: string[], limit: number): Entity[] {
    const joined = words.join(' ');
    let best = limit + 1;
    let hits: Entity[] = [];
    for (const keys of this.keysByFirst.values()) {
      for (const k of keys) {
        if (k.tokens.length !== words.length || k.generic) continue;
        const d = editDistance(joined, k.tokens.join(' '), limit);
        if (d > limit) continue;
        if (d < best) {
          best = d;
          hits = [k.entity];
        } else if (d === best) hits.push(k.entity);
      }
    }
    return sortEntities(dedupe(hits));
  }

  /** Picks the one candidate that a word next to the match names ("primary", "replica"), if any. */
  private disambiguate(entities: Entity[], tokens: Token[], i: number, j: number): Entity[] {
    // A word right next to the name qualifies it ("the primary orders database", "... database replica");
    // a word a little further away counts only when it is no everyday word ("had 3 replicas" is not).
    const near = new Set<string>();
    for (let n = Math.max(0, i - 3); n < Math.min(tokens.length, j + 3); n++) {
      if (n >= i && n < j) continue;
      const t = tokens[n] as Token;
      const adjacent = n === i - 1 || n === j;
      if (adjacent || !(COMMON_WORDS.has(t.raw) || COMMON_WORDS.has(t.word))) near.add(t.word);
    }
    const words = (e: Entity) => {
      const out = new Set<string>();
      for (const keys of this.keysByFirst.values())
        for (const k of keys) if (k.entity === e) for (const t of k.tokens) out.add(t);
      return out;
    };
    const all = entities.map(words);
    const shared = new Set([...(all[0] ?? [])].filter((w) => all.every((s) => s.has(w))));
    const picked = entities.filter((_, n) => [...(all[n] ?? [])].some((w) => !shared.has(w) && near.has(w)));
    return picked.length === 1 ? picked : entities;
  }

  /**
   * Resolves a piece of text that should name exactly one thing (an id, a name, a typo of either).
   * `kinds` limits what may be named.
   */
  resolve(text: string, kinds?: readonly EntityKind[]): ResolveResult {
    const scan = this.scan(text);
    const ok = (e: Entity) => !kinds || kinds.includes(e.kind);
    const exact = this.literal.get(normalizeQuestion(text));
    if (exact) {
      const list = exact.filter(ok);
      if (list.length === 1) return { status: 'found', entity: list[0] as Entity, how: 'id' };
      if (list.length > 1) return { status: 'ambiguous', candidates: sortEntities(list) };
    }
    const mentions = scan.mentions.filter((m) => ok(m.entity));
    const ambiguous = scan.ambiguous
      .map((a) => ({ ...a, candidates: a.candidates.filter(ok) }))
      .filter((a) => a.candidates.length > 0);
    const strong = mentions.filter((m) => !m.generic);
    const pool = strong.length > 0 ? strong : mentions;
    const distinct = dedupe(pool.map((m) => m.entity));
    if (distinct.length === 1 && ambiguous.length === 0) {
      return { status: 'found', entity: distinct[0] as Entity, how: (pool[0] as Mention).how };
    }
    if (distinct.length + ambiguous.length > 0) {
      return {
        status: 'ambiguous',
        candidates: sortEntities(dedupe([...distinct, ...ambiguous.flatMap((a) => a.candidates)])),
      };
    }
    const pool2 = this.entities.filter(ok);
    const word = normalizeQuestion(text);
    const suggestions = pool2
      .map((e) => ({
        e,
        d: editDistance(word, e.id.toLowerCase(), Math.max(2, Math.floor(word.length / 3))),
      }))
      .filter((x) => x.d <= Math.max(2, Math.floor(word.length / 3)))
      .sort((a, b) => a.d - b.d || cmp(a.e.id, b.e.id))
      .slice(0, 5)
      .map((x) => x.e);
    return { status: 'none', suggestions };
  }
}

export type ResolveResult =
  | { status: 'found'; entity: Entity; how: Mention['how'] }
  | { status: 'ambiguous'; candidates: Entity[] }
  | { status: 'none'; suggestions: Entity[] };

/** Only filler words (or nothing) between the tokens i..j-1 in the text. */
function contiguous(text: string, tokens: Token[], i: number, j: number): boolean {
  return contiguousRun(text, tokens.slice(i, j));
}

function contiguousRun(text: string, run: readonly Token[]): boolean {
  for (let n = 0; n + 1 < run.length; n++) {
    const gap = text.slice((run[n] as Token).end, (run[n + 1] as Token).start);
    if (
      !/^[\s\-_.:/@'()]*(?:(?:the|a|an|our|my|your|their|its|this|that|these|those)[\s\-_.:/@'()]*)*$/.test(
        gap,
      )
    )
      return false;
  }
  return true;
}

function dedupe(list: readonly Entity[]): Entity[] {
  const seen = new Set<string>();
  const out: Entity[] = [];
  for (const e of list) {
    const k = `${e.kind}\u0000${e.id}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out;
}

export function sortEntities(list: readonly Entity[]): Entity[] {
  return dedupe(list).sort((a, b) => cmp(a.id, b.id) || cmp(a.kind, b.kind));
}
