/**
 * Deployment helpers for the rules about what reaches production through the delivery pipeline
 * (unsigned-artifact-deployment, unapproved-production-deployment, deployment-bypassing-pipeline,
 * long-lived-deploy-credentials, exposed-build-infrastructure): which flows deliver, which targets count
 * as production, and how a target's environment is named in the evidence.
 */
import { dataReaches, isProduction } from '../../model/queries.js';
import type { Component } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';
import type { TriState } from '../../model/vocabulary.js';
import type { Unknown } from '../define-rule.js';

/** Artifact stores (registry, repository): they keep what is pushed into them, they do not run it. */
export const ARTIFACT_STORE_KINDS: ReadonlySet<string> = new Set(['registry', 'repository']);

/** Build infrastructure: repositories, registries and CI/CD systems (exposed-build-infrastructure's). */
export const BUILD_KINDS: ReadonlySet<string> = new Set(['repository', 'registry', 'ci-cd']);

/** A deploy flow that delivers into its `to` end (a read-only deploy flow only fetches). */
export function deliversInto(f: FlowFacts): boolean {
  return f.flow.purpose === 'deploy' && dataReaches(f.flow, 'to');
}

/**
 * Whether a deploy target is production: its stated environment; when none is stated, a
 * container-platform counts as production (it runs the workloads), anything else is unknown.
 */
export function productionTarget(c: Component): TriState {
  const p = isProduction(c);
  if (p !== 'unknown') return p;
  return c.kind === 'container-platform' ? true : 'unknown';
}

/** How a deploy target's environment was judged, for evidence. */
export function targetFact(c: Component): string {
  if (c.environment !== undefined) return `environment ${c.environment}`;
  return c.kind === 'container-platform'
    ? 'container-platform, no environment stated: counted as production'
    : `${c.kind}, environment not stated`;
}

/** "flow ci->prod: purpose deploy into prod (environment production)", for evidence. */
export function deployFact(f: FlowFacts): string {
  return `flow ${f.id}: purpose deploy into ${f.to.id} (${targetFact(f.to)})`;
}

/** Deliveries whose target is production, and those whose target states no environment. */
export interface ProductionSplit<T> {
  production: T[];
  unstated: T[];
}

/** Splits deliveries by `productionTarget` of their target; those into non-production are left out. */
export function splitByProduction<T>(
  items: readonly T[],
  target: (item: T) => Component,
): ProductionSplit<T> {
  return {
    production: items.filter((x) => productionTarget(target(x)) === true),
    unstated: items.filter((x) => productionTarget(target(x)) === 'unknown'),
  };
}

/** The environment questions of a split: one per unstated target, and none once a target is production. */
export function environmentUnknowns<T>(split: ProductionSplit<T>, target: (item: T) => Component): Unknown[] {
  if (split.production.length > 0) return [];
  const ids = new Set(split.unstated.map((x) => target(x).id));
  return [...ids].map((id) => ({ subject: id, attribute: 'environment' }));
}
