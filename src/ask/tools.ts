/**
 * Context-level entry points to the answer machinery, for callers outside this folder (the CLI, an LLM
 * layer that calls them as tools): entity resolution, question scanning, and the fix ranking.
 */
import { type RankedFix, rankFixes } from './answers/fix-first.js';
import { envOf } from './env.js';
import type { EntityKind, ResolveResult, Scan } from './resolve.js';
import type { AskContext } from './types.js';
import { type ParsedChange, parseChange } from './what-if/parse.js';

/**
 * Resolves text that should name one thing (an element, finding, rule or open question) by id, display
 * name or the words of an id, with synonyms and small typos forgiven: found, ambiguous (the candidates)
 * or none (the closest ids). `kinds` limits what may be named.
 */
export function resolveEntity(ctx: AskContext, text: string, kinds?: readonly EntityKind[]): ResolveResult {
  return envOf(ctx).index.resolve(text, kinds);
}

/** Everything a question names: mentions in order, ambiguous names, id-shaped words that name nothing. */
export function scanQuestion(ctx: AskContext, question: string): Scan {
  return envOf(ctx).index.scan(question);
}

/** Fixes for the open findings, ranked by the severity-weighted risk each removes (each re-analysed). */
export function rankedFixes(ctx: AskContext): RankedFix[] {
  return rankFixes(envOf(ctx));
}

/**
 * Reads a what-if question ("what if reporting-role only had read on orders-db?") into structured
 * edits, or says why it cannot (a clarifying question naming the candidates, or what it could not read).
 */
export function readChange(ctx: AskContext, question: string): ParsedChange {
  return parseChange(envOf(ctx), question);
}
