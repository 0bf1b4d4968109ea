/**
 * Grounded questions and answers over a threat model (issue 8): `threatkrew ask` and `chat`. Explicit
 * exports only (STYLE 11). Besides `answerQuestion`, the building blocks an LLM layer may call as tools:
 *
 * - `createAskContext`: analyse a loaded model for questions (the engine and the risk decisions);
 * - `resolveEntity`, `scanQuestion`: what a piece of text names (ids, names, synonyms, typos);
 * - `whatIf`, `validateChange`, `readChange`: structured model changes, validated and re-analysed;
 * - `rankedFixes`: fixes ranked by the severity-weighted risk each removes;
 * - `GLOSSARY`: the definitions of the terms a threat model uses.
 */

export { answerQuestion } from './answer.js';
export type { RankedFix } from './answers/fix-first.js';
export { createAskContext, reanalyze } from './context.js';
export { GLOSSARY, type GlossaryEntry, glossaryEntry } from './glossary.js';
export { answerJson, renderAnswerJson, renderAnswerText } from './render.js';
export type { Entity, EntityKind, Mention, ResolveResult, Scan } from './resolve.js';
export { rankedFixes, readChange, resolveEntity, scanQuestion } from './tools.js';
export type { AnswerKind, AskAnswer, AskContext, Citations, WhatIfResult } from './types.js';
export {
  applyEdits,
  type Change,
  describeEdit,
  type Edit,
  FIELDS,
  type FieldType,
  validateChange,
  type WhatIfOutcome,
  whatIf,
} from './what-if/change.js';
export type { ParsedChange } from './what-if/parse.js';
