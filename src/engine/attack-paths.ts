/**
 * Attack paths (DESIGN §4): the bounded shortest paths the View found from entry points, kept for the
 * components that store pii, phi, pci, credentials or secret data, each with its weakest link.
 */
import { isClient, isThirdParty } from '../model/queries.js';
import type { EntryPath, FlowFacts, View } from '../model/view.js';
import { ATTACK_PATH_TARGET_CLASSIFICATIONS } from '../model/vocabulary.js';
import type { AttackPath, Bounds, Finding } from './analysis.js';

/** Why a flow is a weak link, or undefined when it is strongly authenticated and encrypted. */
export function weakness(f: FlowFacts): string | undefined {
  const reasons: string[] = [];
  if (f.authnStrength === 'none') reasons.push('no authentication');
  else if (f.authnStrength === 'weak') reasons.push(`weak authentication (${f.authn})`);
  else if (f.authnStrength === 'unknown') reasons.push('authentication not stated');
  if (f.encrypted === false) reasons.push('not encrypted');
  else if (f.encrypted === 'unknown') reasons.push('encryption not stated');
  return reasons.length === 0 ? undefined : reasons.join(', ');
}

/**
 * A component of the team's own (not a person, a client or a third party, whose stores are theirs to
 * guard) that stores pii, phi, pci, credentials or secret data.
 */
export function isAttackPathTarget(view: View, componentId: string): boolean {
  const c = view.component(componentId);
  if (!c || isClient(c) || isThirdParty(view, c)) return false;
  return view.stored(componentId).some((d) => ATTACK_PATH_TARGET_CLASSIFICATIONS.has(d.classification));
}

export function attackPaths(
  view: View,
  findings: readonly Finding[],
): { paths: AttackPath[]; bounds: Bounds } {
  const search = view.entryPaths();
  let hit = false;
  const chosen: { target: string; path: EntryPath }[] = [];
  const hopIds = new Set<string>();
  for (const c of view.components) {
    if (!isAttackPathTarget(view, c.id)) continue;
    if (search.truncated.has(c.id)) hit = true;
    for (const p of search.paths.get(c.id) ?? EMPTY) {
      chosen.push({ target: c.id, path: p });
      for (const h of p.hops) hopIds.add(h);
    }
  }
  // The findings whose primary is a hop of some path, by that hop, and the crown-jewel path findings by
  // target: one pass over the findings, keeping only what the paths will look up.
  const byHop = new Map<string, string[]>();
  const crownJewelFindings = new Map<string, string[]>();
  for (const f of findings) {
    for (const p of f.primary) if (hopIds.has(p)) push(byHop, p, f.id);
    if (f.ruleId === 'internet-to-crown-jewels-path')
      for (const p of f.primary) push(crownJewelFindings, p, f.id);
  }
  // Many paths share their flows: each flow's weakness is worked out once.
  const weaknessOf = new Map<string, string | undefined>();
  const weak = (id: string): string | undefined => {
    if (weaknessOf.has(id)) return weaknessOf.get(id);
    const why = weakness(view.flow(id) as FlowFacts);
    weaknessOf.set(id, why);
    return why;
  };
  const out: { path: AttackPath; key: string }[] = [];
  for (const { target, path: p } of chosen) {
    let weakestLink: AttackPath['weakestLink'] = null;
    for (let i = p.hops.length - 1; i >= 0; i--) {
      const id = p.hops[i] as string;
      const why = weak(id);
      if (why) {
        weakestLink = { flow: id, reason: why };
        break;
      }
    }
    const related = new Set<string>();
    for (const h of p.hops) for (const id of byHop.get(h) ?? EMPTY) related.add(id);
    for (const id of crownJewelFindings.get(target) ?? EMPTY) related.add(id);
    const path: AttackPath = {
      from: p.source,
      to: target,
      hops: [...p.hops],
      weakestLink,
      findings: [...related].sort(),
    };
    // The hops joined once per path, not once per comparison.
    out.push({ path, key: p.hops.join('\u0000') });
  }
  out.sort(
    (a, b) =>
      cmp(a.path.to, b.path.to) ||
      a.path.hops.length - b.path.hops.length ||
      cmp(a.path.from, b.path.from) ||
      cmp(a.key, b.key),
  );
  return {
    paths: out.map((x) => x.path),
    bounds: { maxHops: search.maxHops, maxPathsPerTarget: search.maxPathsPerTarget, hit },
  };
}

const EMPTY: readonly never[] = [];

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
