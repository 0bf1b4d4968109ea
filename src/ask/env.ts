/**
 * What every answer needs about one AskContext, computed once and kept while the context lives: the
 * findings by id and by the elements they involve, the rules by id, and the entity index.
 */
import { type Catalog, loadCatalog } from '../compliance/catalog.js';
import type { Analysis, Finding } from '../engine/analysis.js';
import { SEVERITIES, type Severity, severityRank } from '../engine/severity.js';
import type { View } from '../model/view.js';
import type { RuleMeta } from '../rules/define-rule.js';
import { Citer } from './citations.js';
import { rulesOf } from './context.js';
import { EntityIndex } from './resolve.js';
import { cmp } from './text.js';
import type { AskContext } from './types.js';

export interface Env {
  ctx: AskContext;
  view: View;
  analysis: Analysis;
  findingById: ReadonlyMap<string, Finding>;
  rules: ReadonlyMap<string, RuleMeta>;
  index: EntityIndex;
  catalog: Catalog;
  /** Findings that name an element as primary or subject, in analysis order. */
  involving(id: string): Finding[];
  citer(): Citer;
  /** Per-context memo for expensive answers (fix-first ranking). */
  memo: Map<string, unknown>;
}

const cache = new WeakMap<AskContext, Env>();

export function envOf(ctx: AskContext): Env {
  const hit = cache.get(ctx);
  if (hit) return hit;
  const view = ctx.loaded.view;
  const analysis = ctx.analysis;
  const findingById = new Map(analysis.findings.map((f) => [f.id, f] as const));
  const rules = new Map(rulesOf(ctx).map((r) => [r.meta.id, r.meta] as const));
  const byElement = new Map<string, Finding[]>();
  for (const f of analysis.findings) {
    const ids = new Set([
      ...f.primary,
      ...f.subjects.components,
      ...f.subjects.flows,
      ...f.subjects.data,
      ...f.subjects.identities,
      ...f.subjects.boundaries,
    ]);
    for (const id of ids) {
      const list = byElement.get(id);
      if (list) list.push(f);
      else byElement.set(id, [f]);
    }
  }
  const env: Env = {
    ctx,
    view,
    analysis,
    findingById,
    rules,
    index: new EntityIndex(ctx, rules),
    catalog: loadCatalog(),
    involving: (id) => byElement.get(id) ?? [],
    citer: () =>
      new Citer(
        view,
        (id) => findingById.has(id),
        (id) => rules.has(id),
      ),
    memo: new Map(),
  };
  cache.set(ctx, env);
  return env;
}

/** Weights of the fix-first ranking: what removing one open finding of each severity is worth. */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = {
  critical: 10,
  high: 6,
  medium: 3,
  low: 1,
  info: 0,
};

/** Analysis order: severity, then rule id, then id. */
export function byAnalysisOrder(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity) || cmp(a.ruleId, b.ruleId) || cmp(a.id, b.id);
}

/** "2 critical, 1 low" (severities with no finding left out). */
export function severityCounts(findings: readonly Finding[]): string {
  return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}
