/**
 * Shared likelihood and impact conventions, so that every rule scores the same facts the same way.
 * Rules report these factors; the engine's one matrix (engine/severity.ts) turns them into severity.
 *
 * Impact, from what is at stake:
 *   very-high  pci, phi, credentials or secret data; admin over everything
 *   high       pii or financial data; write access to a datastore
 *   medium     confidential data; availability of a user-facing service
 *   low        internal or public data only, or nothing stated
 *
 * Likelihood, from exposure:
 *   very-likely  exposed to the internet (entry point or called directly by an internet source), or
 *                a flow that crosses the internet
 *   likely       internet-reachable through a chain of flows, or a flow crossing an account/region
 *   possible     internal only
 *   unlikely     internal and behind strong authentication and segmentation
 */
import type { Boundary, DataAsset } from '../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../model/view.js';
import type { Classification } from '../model/vocabulary.js';
import type { Impact, Likelihood } from './define-rule.js';

const IMPACT_BY_CLASSIFICATION: Record<Classification, Impact> = {
  public: 'low',
  internal: 'low',
  confidential: 'medium',
  financial: 'high',
  pii: 'high',
  phi: 'very-high',
  pci: 'very-high',
  credentials: 'very-high',
  secret: 'very-high',
};

const IMPACT_ORDER: readonly Impact[] = ['low', 'medium', 'high', 'very-high'];
const LIKELIHOOD_ORDER: readonly Likelihood[] = ['unlikely', 'possible', 'likely', 'very-likely'];

/** Positions by name: rules rank factors in their inner loops, where a lookup beats `indexOf`. */
const IMPACT_RANK: ReadonlyMap<string, number> = new Map(IMPACT_ORDER.map((x, i) => [x, i]));
const LIKELIHOOD_RANK: ReadonlyMap<string, number> = new Map(LIKELIHOOD_ORDER.map((x, i) => [x, i]));

/** The position of an impact, low (0) to very-high (3), for sorting (-1 for anything else). */
export function impactRank(i: Impact): number {
  return IMPACT_RANK.get(i) ?? -1;
}

/** The position of a likelihood, unlikely (0) to very-likely (3), for sorting (-1 for anything else). */
export function likelihoodRank(l: Likelihood): number {
  return LIKELIHOOD_RANK.get(l) ?? -1;
}

/** The highest of some likelihoods (unlikely when given none). */
export function maxLikelihood(...likelihoods: Likelihood[]): Likelihood {
  let best: Likelihood = 'unlikely';
  for (const l of likelihoods) if (likelihoodRank(l) > likelihoodRank(best)) best = l;
  return best;
}

/** Lowers an impact by one step (low stays). */
export function lowerImpact(i: Impact): Impact {
  return IMPACT_ORDER[Math.max(0, impactRank(i) - 1)] as Impact;
}

export function maxImpact(...impacts: Impact[]): Impact {
  let best: Impact = 'low';
  for (const i of impacts) if (impactRank(i) > impactRank(best)) best = i;
  return best;
}

/** The impact of exposing or tampering with these data assets (a loop: no list made per call). */
export function dataImpact(data: readonly DataAsset[], floor: Impact = 'low'): Impact {
  let best = maxImpact(floor);
  for (const d of data) {
    const i = IMPACT_BY_CLASSIFICATION[d.classification];
    if (impactRank(i) > impactRank(best)) best = i;
  }
  return best;
}

/** How exposed a component is to attackers on the internet. */
export function exposureLikelihood(view: View, componentId: string): Likelihood {
  if (view.isEntryPoint(componentId) || view.isExposed(componentId)) return 'very-likely';
  if (view.isInternetReachable(componentId)) return 'likely';
  return 'possible';
}

/** How reachable a flow's traffic is to an attacker who wants to read or alter it. */
export function flowExposureLikelihood(f: FlowFacts): Likelihood {
  if (f.flow.via === 'internet' || f.fromInternet) return 'very-likely';
  if (f.crossRegion === true || f.crossAccount === true) return 'likely';
  // A plain loop: rules ask this of thousands of flows, often before V8 has optimised them.
  const crosses = f.crosses;
  for (let i = 0; i < crosses.length; i++)
    if ((crosses[i] as Boundary).kind === 'third-party') return 'likely';
  return 'possible';
}

/** Raises a likelihood by one step (very-likely stays). */
export function raise(l: Likelihood): Likelihood {
  return LIKELIHOOD_ORDER[Math.min(LIKELIHOOD_ORDER.length - 1, likelihoodRank(l) + 1)] as Likelihood;
}

/** "Orders service → Inventory" for messages. */
export function flowLabel(f: FlowFacts): string {
  return `${nameOf(f.from)} → ${nameOf(f.to)}`;
}

/** "customer-pii (pii), card-data (pci)" or "no data stated". */
export function dataList(data: readonly DataAsset[]): string {
  if (data.length === 0) return 'no data stated';
  return data.map(dataText).join(', ');
}

/** "customer-pii (pii)": one data asset as `dataList` names it. */
export function dataText(d: DataAsset): string {
  return `${d.name ?? d.id} (${d.classification})`;
}

/** The sensitive data of a list. */
export function sensitive(data: readonly DataAsset[]): DataAsset[] {
  return data.filter(isAtStake);
}

/** Data that `sensitive` keeps: neither public nor internal. */
export function isAtStake(d: DataAsset): boolean {
  return d.classification !== 'public' && d.classification !== 'internal';
}
