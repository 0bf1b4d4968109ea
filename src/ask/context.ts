/**
 * Building an AskContext and re-analysing a changed model the way `analyze` does: the engine with the
 * same rules and as-of date, then the risk decisions (the model's own, located, and `--risks` ones).
 * Both go through `living/analyze-model.ts`, as `analyze` does.
 */
import type { Analysis } from '../engine/analysis.js';
import { analyzeModel } from '../living/analyze-model.js';
import type { LocatedDecision } from '../living/risk-decisions.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { LoadedModel } from '../model/load.js';
import type { Model } from '../model/schema.js';
import { View } from '../model/view.js';
import { CATALOGUE } from '../rules/catalog/index.js';
import type { Rule } from '../rules/define-rule.js';
import type { AskContext } from './types.js';

/** The rules a context analyses with (the catalogue unless it says otherwise). */
export function rulesOf(ctx: Pick<AskContext, 'rules'>): readonly Rule[] {
  return ctx.rules ?? CATALOGUE;
}

function run(
  ctx: Pick<AskContext, 'loaded' | 'risks' | 'rules' | 'asOf'>,
  view: View,
): { analysis: Analysis; diagnostics: Diagnostic[] } {
  return analyzeModel(ctx.loaded, {
    asOf: ctx.asOf,
    view,
    ...(ctx.risks ? { risks: ctx.risks } : {}),
    ...(ctx.rules ? { rules: ctx.rules } : {}),
  });
}

/**
 * Loads nothing: analyses an already loaded model for questions. `risks` are decisions from a side file
 * (`--risks`); the model's own are applied too. Errors in the decisions come back as diagnostics.
 */
export function createAskContext(
  loaded: LoadedModel,
  options: { asOf: string; risks?: readonly LocatedDecision[]; rules?: readonly Rule[] },
): { ctx: AskContext; diagnostics: Diagnostic[] } {
  const base = {
    loaded,
    asOf: options.asOf,
    ...(options.risks ? { risks: options.risks } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
  };
  const { analysis, diagnostics } = run(base, loaded.view);
  return { ctx: { ...base, analysis }, diagnostics };
}

/**
 * Re-analyses a changed copy of the context's model: a new View over it that locates elements where the
 * original model writes them, the same rules, as-of date and risk decisions.
 */
export function reanalyze(ctx: AskContext, model: Model): Analysis {
  const original = ctx.loaded.view;
  const view = new View(model, (id, field) => original.location(id, field));
  return run(ctx, view).analysis;
}
