/**
 * Attack paths (DESIGN §4): the bounded shortest paths the View found from entry points, kept for the
 * components that store pii, phi, pci, credentials or secret data, each with its weakest link.
 */
import { isClient, isThirdParty } from '../model/queries.js';
import type { FlowFacts, View } from '../model/view.js';
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
  const byPrimary = new Map<string, string[]>();
  for (const f of findings) {
    for (const p of f.primary) {
      const list = byPrimary.get(p);
      if (list) list.push(f.id);
      else byPrimary.set(p, [f.id]);
    }
  }
  // Looked up per path by target, so the cost does not grow with paths × findings.
  const crownJewelFindings = new Map<string, string[]>();
  for (const f of findings) {
    if (f.ruleId !== 'internet-to-crown-jewels-path') continue;
    for (const p of f.primary) crownJewelFindings.set(p, [...(crownJewelFindings.get(p) ?? []), f.id]);
  }
  const out: AttackPath[] = [];
  let hit = false;
  for (const c of view.components) {
    if (!isAttackPathTarget(view, c.id)) continue;
    if (search.truncated.has(c.id)) hit = true;
    for (const p of search.paths.get(c.id) ?? []) {
      let weakestLink: AttackPath['weakestLink'] = null;
      for (let i = p.hops.length - 1; i >= 0; i--) {
        const f = view.flow(p.hops[i] as string) as FlowFacts;
        const why = weakness(f);
        if (why) {
          weakestLink = { flow: f.id, reason: why };
          break;
        }
      }
      const related = new Set<string>();
      for (const h of p.hops) for (const id of byPrimary.get(h) ?? []) related.add(id);
      for (const id of crownJewelFindings.get(c.id) ?? []) related.add(id);
      out.push({ from: p.source, to: c.id, hops: [...p.hops], weakestLink, findings: [...related].sort() });
    }
  }
  out.sort(
    (a, b) =>
      cmp(a.to, b.to) ||
      a.hops.length - b.hops.length ||
      cmp(a.from, b.from) ||
      cmp(a.hops.join('\u0000'), b.hops.join('\u0000')),
  );
  return {
    paths: out,
    bounds: { maxHops: search.maxHops, maxPathsPerTarget: search.maxPathsPerTarget, hit },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
