/**
 * The shapes `threatkrew ask` and `chat` share (issue 8): the context a question is answered over, and
 * the grounded answer (`--format json` prints `AskAnswer` without `kind`).
 */
import type { Analysis } from '../engine/analysis.js';
import type { LocatedDecision } from '../living/risk-decisions.js';
import type { LoadedModel } from '../model/load.js';
import type { Rule } from '../rules/define-rule.js';

/** A loaded model and its analysis, plus how to re-analyse a changed copy (what-if). */
export interface AskContext {
  loaded: LoadedModel;
  analysis: Analysis;
  /** The date risk decisions are judged on; what-if re-analyses use the same. */
  asOf: string;
  /** Risk decisions from a side file (`--risks`), applied besides the model's own on re-analysis. */
  risks?: readonly LocatedDecision[];
  /** The rules the analysis ran (default: the whole catalogue); what-if re-analyses use the same. */
  rules?: readonly Rule[];
}

export interface Citations {
  /** Finding ids (fingerprints), sorted. */
  findings: string[];
  /** Element ids (components, data, flows, identities, boundaries), sorted. */
  elements: string[];
  /** Rule ids, sorted. */
  rules: string[];
  /** Where the cited elements are written in the model, sorted by file then line. */
  locations: { file: string; line: number }[];
}

/** The `findings` part of a diff (DESIGN §7, `renderDiffJson`), without `unchanged`. */
export interface WhatIfResult {
  new: unknown[];
  resolved: unknown[];
  changed: { id: string; field: string; old: string; new: string }[];
}

export type AnswerKind =
  | 'severity'
  | 'threats'
  | 'attack-paths'
  | 'control'
  | 'fix-first'
  | 'what-if'
  | 'framework'
  | 'questions'
  | 'term'
  | 'overview'
  | 'clarify'
  | 'unknown';

export interface AskAnswer {
  kind: AnswerKind;
  answer: string;
  citations: Citations;
  whatIf?: WhatIfResult;
  /**
   * `llm` when an LLM phrased the answer (`--llm`; its ids were checked against the model). DESIGN §8:
   * what the LLM adds is marked. Absent for the deterministic answers.
   */
  origin?: 'llm';
}
