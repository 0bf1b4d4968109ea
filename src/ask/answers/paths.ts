/**
 * "How could an attacker reach X?": the bounded shortest paths from entry points (the analysis' attack
 * paths for crown-jewel stores, the View's entry paths for any other component), each with its weakest
 * link and the findings on its hops; "what could someone do from X?" follows the flows out of X.
 */
import type { AttackPath } from '../../engine/analysis.js';
import { weakness } from '../../engine/attack-paths.js';
import type { FlowFacts } from '../../model/view.js';
import type { Citer } from '../citations.js';
import { byAnalysisOrder, type Env } from '../env.js';
import type { Entity } from '../resolve.js';
import { andList, cmp, plural } from '../text.js';
import type { AskAnswer } from '../types.js';
import { answer, clarifyAmbiguous, findingLine, pathText, type Question, ref, typoNotes } from './common.js';

/** One path as a line: the chain, its weakest link, the findings on it. */
export function pathLine(
  env: Env,
  p: Pick<AttackPath, 'from' | 'hops' | 'weakestLink' | 'findings'>,
  cite: Citer,
): string {
  cite.element(p.from);
  for (const h of p.hops) {
    cite.element(h);
    const to = env.view.flow(h)?.to.id;
    if (to) cite.element(to);
  }
  const weak = p.weakestLink
    ? `weakest link ${p.weakestLink.flow} (${p.weakestLink.reason})`
    : 'every hop strongly authenticated and encrypted';
  const findings = p.findings.filter((id) => env.findingById.has(id));
  for (const id of findings) {
    const f = env.findingById.get(id);
    if (f) cite.finding(f);
  }
  return `${pathText(env, p.from, p.hops)}: ${plural(p.hops.length, 'hop')}, ${weak}${findings.length > 0 ? `; findings on it: ${findings.join(', ')}` : ''}`;
}

/** The paths from entry points to a component: the analysis' own, else the View's entry paths. */
export function pathsTo(env: Env, id: string): AttackPath[] {
  const own = env.analysis.attackPaths.filter((p) => p.to === id);
  if (own.length > 0) return own;
  const search = env.view.entryPaths();
  return (search.paths.get(id) ?? []).map((p) => {
    let weakestLink: AttackPath['weakestLink'] = null;
    for (let i = p.hops.length - 1; i >= 0; i--) {
      const f = env.view.flow(p.hops[i] as string) as FlowFacts;
      const why = weakness(f);
      if (why) {
        weakestLink = { flow: f.id, reason: why };
        break;
      }
    }
    const findings = new Set<string>();
    for (const h of p.hops) for (const f of env.involving(h)) if (f.primary.includes(h)) findings.add(f.id);
    return { from: p.source, to: id, hops: [...p.hops], weakestLink, findings: [...findings].sort(cmp) };
  });
}

/** The components a data asset is reached through: those that store it. */
function storesOf(env: Env, dataId: string): string[] {
  return env.view.components
    .filter((c) => c.stores?.includes(dataId))
    .map((c) => c.id)
    .sort(cmp);
}

/** The paths part of an answer for one component. */
export function pathsSection(env: Env, id: string, cite: Citer, max = 3): string[] {
  const view = env.view;
  if (view.isEntryPoint(id)) {
    return [
      `${ref(env, id)} is itself an entry point (${view.isInternetSource(id) ? 'on the internet' : 'stated exposure: public'}): an attacker starts there.`,
    ];
  }
  const hops = view.hopsFromEntry(id);
  if (hops === undefined)
    return [
      `No chain of flows from an entry point reaches ${ref(env, id)}: it is not reachable from the internet in this model.`,
    ];
  const paths = pathsTo(env, id);
  if (paths.length === 0) {
    return [
      `${ref(env, id)} is reachable from an entry point in ${plural(hops, 'hop')}, but beyond the ${env.analysis.bounds.maxHops}-hop bound of the path search.`,
    ];
  }
  const out = [
    `${ref(env, id)} is ${plural(hops, 'hop')} from the nearest entry point; ${plural(paths.length, 'path')} from entry points reach${paths.length === 1 ? 'es' : ''} it:`,
  ];
  for (const p of paths.slice(0, max)) out.push(`- ${pathLine(env, p, cite)}`);
  if (paths.length > max) out.push(`- ... and ${paths.length - max} more.`);
  if (env.view.entryPaths().truncated.has(id))
    out.push('(The search keeps at most 3 paths per target, one per entry point; there are more.)');
  return out;
}

/** What is reachable onwards from a component: the blast radius if it is compromised. */
function blastRadius(env: Env, id: string, cite: Citer): string[] {
  const view = env.view;
  const seen = new Map<string, number>([[id, 0]]);
  let frontier = [id];
  for (let d = 1; frontier.length > 0 && d <= 8; d++) {
    const next: string[] = [];
    for (const x of frontier) {
      for (const f of view.flowsFrom(x)) {
        if (seen.has(f.to.id)) continue;
        seen.set(f.to.id, d);
        next.push(f.to.id);
      }
    }
    frontier = next;
  }
  seen.delete(id);
  const reached = [...seen.keys()].sort(cmp);
  const crown = reached.filter((c) =>
    view
      .stored(c)
      .some((d) => ['pii', 'phi', 'pci', 'credentials', 'secret', 'financial'].includes(d.classification)),
  );
  const direct = [...view.flowsFrom(id)].sort((a, b) => cmp(a.id, b.id));
  const identity = view.identityOf(id);
  const lines = [
    `From ${ref(env, id)} an attacker can follow ${plural(direct.length, 'flow')} out of it${direct.length > 0 ? ` (to ${andList(direct.map((f) => f.to.id))})` : ''} and reach ${plural(reached.length, 'component')} in all.`,
  ];
  cite.element(id);
  for (const f of direct) cite.element(f.id).element(f.to.id);
  if (crown.length > 0) {
    cite.elementsOf(crown);
    lines.push(
      `Crown-jewel holders among them: ${andList(
        crown.map(
          (c) =>
            `${c} (${view
              .stored(c)
              .map((d) => `${d.id}: ${d.classification}`)
              .join(', ')})`,
        ),
      )}.`,
    );
  }
  if (identity) {
    cite.element(identity.id);
    const grants = (identity.grants ?? []).map((g) => `${g.resource} [${g.actions.join(', ')}]`);
    lines.push(
      `It runs as ${identity.id}${identity.credentials ? ` (${identity.credentials} credentials)` : ''}, which is granted ${grants.length > 0 ? andList(grants) : 'nothing'}: whoever controls ${id} acts with those rights.`,
    );
    const over = env.analysis.findings.filter((f) => f.primary.includes(identity.id));
    if (over.length > 0) {
      lines.push('Findings on that identity:');
      for (const f of over.sort(byAnalysisOrder).slice(0, 4)) {
        cite.finding(f);
        lines.push(`- ${findingLine(f)}`);
      }
    }
  }
  return lines;
}

const COMPROMISE =
  /\b(?:compromised?|breached?|hacked|owned|pwned|taken over|takes over|take over|stolen|steals?|leaked|gets? in(?:to)?|got in(?:to)?|broke into|breaks into|blast radius|lateral(?:ly)?|pivot|from there|onwards)\b/;

export function answerAttackPaths(env: Env, q: Question): AskAnswer | undefined {
  const cite = env.citer();
  const notes = typoNotes(q);
  if (q.elements.length === 0 && q.scan.ambiguous.length > 0) {
    const a = q.scan.ambiguous[0] as (typeof q.scan.ambiguous)[number];
    return clarifyAmbiguous(env, a.text, a.candidates);
  }
  let targets: Entity[] = q.elements;
  if (targets.length === 0 && q.classes.length > 0) {
    targets = env.view.data
      .filter((d) => q.classes.includes(d.classification))
      .map((d) => ({ kind: 'data' as const, id: d.id, label: d.name ?? d.id }))
      .sort((a, b) => cmp(a.id, b.id));
    if (targets.length === 0)
      return answer('attack-paths', [`The model has no data classified ${andList(q.classes, 'or')}.`], cite);
    return pathsToData(env, targets, cite);
  }
  if (targets.length === 0) {
    const paths = env.analysis.attackPaths;
    if (paths.length === 0) {
      return answer(
        'attack-paths',
        [
          `No attack path: no chain of flows from an entry point reaches a component that stores pii, phi, pci, credentials or secret data (${plural(env.view.entryPoints.length, 'entry point')} in the model).`,
        ],
        cite,
      );
    }
    const byTarget = new Map<string, AttackPath[]>();
    for (const p of paths) byTarget.set(p.to, [...(byTarget.get(p.to) ?? []), p]);
    const lines = [
      `${plural(paths.length, 'attack path')} lead from entry points to ${plural(byTarget.size, 'crown-jewel store')}; the shortest to each:`,
    ];
    for (const [to, list] of [...byTarget.entries()].sort((a, b) => cmp(a[0], b[0]))) {
      const p = list[0] as AttackPath;
      cite.element(to);
      const data = env.view
        .stored(to)
        .filter((d) => ['pii', 'phi', 'pci', 'credentials', 'secret'].includes(d.classification));
      lines.push(
        `- to ${to} (${data.map((d) => `${d.id}: ${d.classification}`).join(', ')}): ${pathLine(env, p, cite)}${list.length > 1 ? ` (+${list.length - 1} more)` : ''}`,
      );
    }
    if (env.analysis.bounds.hit)
      lines.push(
        '(Paths are bounded: at most 3 per target, one per entry point, 8 hops; some targets have more.)',
      );
    lines.push('Ask "attack paths to <component>" for every path to one of them.');
    return answer('attack-paths', lines, cite);
  }
  const lines: string[] = [...notes];
  const compromise = COMPROMISE.test(q.text);
  for (const t of targets.slice(0, 3)) {
    if (lines.length > notes.length) lines.push('');
    cite.element(t.id);
    if (t.kind === 'component') {
      if (compromise) lines.push(...blastRadius(env, t.id, cite));
      else lines.push(...pathsSection(env, t.id, cite));
    } else if (t.kind === 'data') {
      const stores = storesOf(env, t.id);
      const d = env.view.dataAsset(t.id);
      if (stores.length === 0) {
        lines.push(
          `No component stores ${ref(env, t.id)}; it is only carried by flows, so the paths that matter are those of the flows carrying it (ask "what threatens ${t.id}?").`,
        );
        continue;
      }
      lines.push(`${ref(env, t.id)} (${d?.classification ?? ''}) is stored in ${andList(stores)}.`);
      for (const s of stores.slice(0, 4)) {
        cite.element(s);
        lines.push(...pathsSection(env, s, cite, 2));
      }
    } else if (t.kind === 'flow') {
      const f = env.view.flow(t.id) as FlowFacts;
      lines.push(
        `Flow ${t.id} goes from ${f.from.id} to ${f.to.id}; to use it an attacker must reach ${f.from.id} first.`,
      );
      lines.push(...pathsSection(env, f.from.id, cite, 2));
    } else if (t.kind === 'identity') {
      const runners = env.view.runningAs(t.id).map((c) => c.id);
      if (runners.length === 0) {
        lines.push(`No component runs as ${t.id}; it is reached through whoever holds its credentials.`);
        continue;
      }
      lines.push(
        `${ref(env, t.id)} is used by ${andList(runners)}; an attacker gets its rights by compromising ${runners.length === 1 ? 'it' : 'one of them'}.`,
      );
      for (const r of runners.slice(0, 3)) lines.push(...pathsSection(env, r, cite, 2));
    } else if (t.kind === 'boundary') {
      const inside = env.view.components.filter((c) => env.view.isInside(c.id, t.id));
      const entries = env.view.flows.filter(
        (f) => f.crosses.some((b) => b.id === t.id) && env.view.isInside(f.to.id, t.id),
      );
      cite.elementsOf(entries.slice(0, 8).map((f) => f.id));
      lines.push(
        `${plural(entries.length, 'flow')} cross${entries.length === 1 ? 'es' : ''} into ${ref(env, t.id)} (${plural(inside.length, 'component')} inside)${entries.length > 0 ? `: ${andList(entries.slice(0, 8).map((f) => f.id))}${entries.length > 8 ? ', ...' : ''}` : ''}.`,
      );
      const weak = entries.filter((f) => weakness(f));
      if (weak.length > 0)
        lines.push(`Weak ones: ${andList(weak.slice(0, 6).map((f) => `${f.id} (${weakness(f)})`))}.`);
    }
  }
  return answer('attack-paths', lines, cite);
}

/** Paths to the stores of several data assets at once ("how could an attacker reach our PHI?"). */
function pathsToData(env: Env, data: readonly Entity[], cite: Citer): AskAnswer {
  const ids = data.map((d) => d.id);
  cite.elementsOf(ids);
  const stores = env.view.components
    .filter((c) => c.stores?.some((d) => ids.includes(d)))
    .map((c) => c.id)
    .sort(cmp);
  const lines = [
    `${andList(ids)} ${ids.length === 1 ? 'is' : 'are'} stored in ${stores.length > 0 ? andList(stores) : 'no component'}.`,
  ];
  for (const s of stores.slice(0, 5)) {
    cite.element(s);
    lines.push(...pathsSection(env, s, cite, 1));
  }
  if (stores.length > 5) lines.push(`(And ${stores.length - 5} more stores; ask about one by id.)`);
  return answer('attack-paths', lines, cite);
}
