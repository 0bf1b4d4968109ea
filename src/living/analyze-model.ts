/**
 * The analysis every consumer runs on a loaded model (DESIGN §6–§7): the engine, then the risk decisions
 * (the model's own, located in its files, and those of a `--risks` side file). `analyze`, `diff`, `ask`
 * and its what-if re-analyses all go through here, so that they agree on every finding's status.
 */
import type { Analysis } from '../engine/analysis.js';
import { analyze } from '../engine/run-rules.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { LoadedModel } from '../model/load.js';
import type { View } from '../model/view.js';
import { CATALOGUE } from '../rules/catalog/index.js';
import type { Rule } from '../rules/define-rule.js';
import { applyRiskDecisions, type LocatedDecision, locateDecisions } from './risk-decisions.js';

export interface ModelAnalysisOptions {
  /** The date risk decisions are judged on (YYYY-MM-DD). */
  asOf: string;
  confirmedOnly?: boolean;
  generatedAt?: string;
  /** Decisions from `--risks FILE`, besides the model's own. */
  risks?: readonly LocatedDecision[];
  /** The rules to run (default: the whole catalogue). */
  rules?: readonly Rule[];
  /** Analyse this View instead of the loaded one (a what-if copy); the decisions stay the model's. */
  view?: View;
}

/** Analyses a loaded model and applies its risk decisions; the decisions' diagnostics, unsorted. */
export function analyzeModel(
  loaded: Pick<LoadedModel, 'model' | 'view' | 'sources'>,
  options: ModelAnalysisOptions,
): { analysis: Analysis; diagnostics: Diagnostic[] } {
  const rules = options.rules ?? CATALOGUE;
  const view = options.view ?? loaded.view;
  const engine = (confirmedOnly: boolean) =>
    analyze(view, rules, {
      confirmedOnly,
      asOf: options.asOf,
      ...(options.generatedAt !== undefined ? { generatedAt: options.generatedAt } : {}),
    });
  const analysis = engine(Boolean(options.confirmedOnly));
  const decisions = [...locateDecisions(loaded.model.risks, loaded.sources), ...(options.risks ?? [])];
  if (decisions.length === 0) return { analysis, diagnostics: [] };
  // A decision on an assumed finding that --confirmed-only leaves out is not orphaned.
  const candidates = options.confirmedOnly ? engine(false).findings : analysis.findings;
  return applyRiskDecisions(analysis, decisions, {
    asOf: options.asOf,
    candidates,
    ruleIds: rules.map((r) => r.meta.id),
  });
}
