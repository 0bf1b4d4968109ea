/**
 * "What threatens X?": for a component, flow, data asset, identity or boundary, the findings that name
 * it (those to fix there first, then those it is part of), the STRIDE categories they carry, and the
 * attack paths that reach it.
 */
import type { Finding } from '../../engine/analysis.js';
import { weakness } from '../../engine/attack-paths.js';
import type { FlowFacts } from '../../model/view.js';
import { STRIDE } from '../../rules/define-rule.js';
import type { Citer } from '../citations.js';
import { type Env, severityCounts } from '../env.js';
import type { Entity } from '../resolve.js';
import { andList, cmp, plural } from '../text.js';
import type { AskAnswer } from '../types.js';
import { answer, clarifyAmbiguous, findingList, type Question, ref, typoNotes } from './common.js';
import { pathsSection } from './paths.js';

function describe(env: Env, e: Entity): string {
  const view = env.view;
  switch (e.kind) {
    case 'component': {
      const c = view.component(e.id);
      if (!c) return e.id;
      const facts = [
        c.kind,
        ...(c.tech ? [c.tech] : []),
        ...(c.in ? [`in ${c.in}`] : []),
        ...(c.environment ? [c.environment] : []),
      ];
      const exposure = view.isEntryPoint(e.id)
        ? 'an entry point'
        : view.isExposed(e.id)
          ? 'exposed to the internet'
          : view.isInternetReachable(e.id)
            ? `internet-reachable in ${plural(view.hopsFromEntry(e.id) ?? 0, 'hop')}`
            : 'not reachable from the internet';
      const stores = view.stored(e.id).map((d) => `${d.id} (${d.classification})`);
      return `${ref(env, e.id)}: ${facts.join(', ')}; ${exposure}${stores.length > 0 ? `; stores ${andList(stores)}` : ''}.`;
    }
    case 'flow': {
      const f = view.flow(e.id) as FlowFacts;
      const enc =
        f.encrypted === true
          ? 'encrypted'
          : f.encrypted === false
            ? 'not encrypted'
            : 'encryption not stated';
      const crosses = f.crosses.length > 0 ? `; crosses ${andList(f.crosses.map((b) => b.id))}` : '';
      const data =
        f.data.length > 0 ? `; carries ${andList(f.data.map((d) => `${d.id} (${d.classification})`))}` : '';
      return `Flow ${e.id}: ${f.from.id} → ${f.to.id}${f.flow.protocol ? ` over ${f.flow.protocol}` : ''}, authn ${f.authn}, ${enc}${crosses}${data}.`;
    }
    case 'data': {
      const d = view.dataAsset(e.id);
      const stores = view.components
        .filter((c) => c.stores?.includes(e.id))
        .map((c) => c.id)
        .sort(cmp);
      const flows = view.flows.filter((f) => f.data.some((x) => x.id === e.id));
      return `${ref(env, e.id)}: classified ${d?.classification ?? 'unknown'}; stored in ${stores.length > 0 ? andList(stores) : 'no component'}; carried by ${plural(flows.length, 'flow')}.`;
    }
    case 'identity': {
      const i = view.identity(e.id);
      const runners = view.runningAs(e.id).map((c) => c.id);
      const grants = (i?.grants ?? []).map(
        (g) => `${g.resource} [${g.actions.join(', ')}]${g.scope ? ` scope [${g.scope.join(', ')}]` : ''}`,
      );
      return `${ref(env, e.id)}: ${i?.kind ?? 'identity'}${i?.credentials ? `, ${i.credentials} credentials` : ''}; used by ${runners.length > 0 ? andList(runners) : 'no component'}; granted ${grants.length > 0 ? andList(grants) : 'nothing'}.`;
    }
    case 'boundary': {
      const b = view.boundary(e.id);
      const inside = view.components.filter((c) => view.isInside(c.id, e.id));
      const crossing = view.flows.filter((f) => f.crosses.some((x) => x.id === e.id));
      return `${ref(env, e.id)}: ${b?.kind ?? 'boundary'}${b?.in ? ` in ${b.in}` : ''}; ${plural(inside.length, 'component')} inside; ${plural(crossing.length, 'flow')} cross it.`;
    }
    default:
      return e.id;
  }
}

/** The findings that concern an element: those it is primary of, then those it is part of. */
function concerning(env: Env, e: Entity): { primary: Finding[]; involved: Finding[] } {
  const view = env.view;
  let all: Finding[];
  if (e.kind === 'boundary') {
    const ids = new Set<string>([e.id]);
    for (const c of view.components) if (view.isInside(c.id, e.id)) ids.add(c.id);
    for (const f of view.flows)
      if (f.crosses.some((b) => b.id === e.id) || (ids.has(f.from.id) && ids.has(f.to.id))) ids.add(f.id);
    all = env.analysis.findings.filter(
      (f) => f.primary.some((p) => ids.has(p)) || f.subjects.boundaries.includes(e.id),
    );
    const primary = all.filter((f) => f.primary.includes(e.id) || f.subjects.boundaries.includes(e.id));
    return { primary, involved: all.filter((f) => !primary.includes(f)) };
  }
  if (e.kind === 'data') {
    const holders = new Set<string>();
    for (const c of view.components) if (c.stores?.includes(e.id)) holders.add(c.id);
    for (const f of view.flows) if (f.data.some((d) => d.id === e.id)) holders.add(f.id);
    all = env.analysis.findings.filter(
      (f) => f.subjects.data.includes(e.id) || f.primary.some((p) => holders.has(p)),
    );
    const primary = all.filter((f) => f.subjects.data.includes(e.id));
    return { primary, involved: all.filter((f) => !primary.includes(f)) };
  }
  all = env.involving(e.id);
  const primary = all.filter((f) => f.primary.includes(e.id));
  return { primary, involved: all.filter((f) => !primary.includes(f)) };
}

function strideLine(findings: readonly Finding[]): string {
  const counts = STRIDE.map((s) => [s, findings.filter((f) => f.stride.includes(s)).length] as const).filter(
    ([, n]) => n > 0,
  );
  return counts.length === 0 ? '' : `STRIDE: ${counts.map(([s, n]) => `${s} ${n}`).join(', ')}.`;
}

export function threatsFor(env: Env, e: Entity, cite: Citer, max = 6): string[] {
  cite.element(e.id);
  const lines = [describe(env, e)];
  if (e.kind === 'flow') {
    const f = env.view.flow(e.id) as FlowFacts;
    cite.element(f.from.id).element(f.to.id);
    const w = weakness(f);
    if (w) lines.push(`As a hop of an attack path it is weak: ${w}.`);
  }
  if (e.kind === 'identity') for (const c of env.view.runningAs(e.id)) cite.element(c.id);
  const { primary, involved } = concerning(env, e);
  const open = [...primary, ...involved].filter((f) => f.status === 'open');
  if (primary.length + involved.length === 0) {
    lines.push(`No finding names ${e.id}: the rules found nothing to fix here, as far as the model states.`);
  } else {
    lines.push(
      `${plural(primary.length + involved.length, 'finding')} concern it (${severityCounts([...primary, ...involved])}; ${open.length} open). ${strideLine([...primary, ...involved])}`,
    );
    if (primary.length > 0) {
      lines.push(
        e.kind === 'data'
          ? 'Findings about this data:'
          : e.kind === 'boundary'
            ? 'Findings on the boundary itself:'
            : 'To fix here:',
      );
      lines.push(...findingList(primary, cite, max));
    }
    if (involved.length > 0) {
      lines.push(
        e.kind === 'data'
          ? 'Findings on what stores or carries it:'
          : e.kind === 'boundary'
            ? 'Findings on what is inside or crosses it:'
            : 'Also involved in:',
      );
      lines.push(
        ...findingList(involved, cite, primary.length > 0 ? Math.max(3, max - primary.length) : max),
      );
    }
  }
  if (e.kind === 'component') lines.push(...pathsSection(env, e.id, cite, 2));
  if (e.kind === 'data') {
    const stores = env.view.components
      .filter((c) => c.stores?.includes(e.id))
      .map((c) => c.id)
      .sort(cmp);
    const paths = env.analysis.attackPaths.filter((p) => stores.includes(p.to));
    if (paths.length > 0) {
      const targets = [...new Set(paths.map((p) => p.to))];
      cite.elementsOf(targets);
      lines.push(
        `${plural(paths.length, 'attack path')} from entry points reach the stores holding it (${andList(targets)}); ask "attack paths to ${e.id}" for them.`,
      );
    }
  }
  return lines;
}

const OBJECT =
  /(?:what threatens|threats? (?:to|for|against|on|of)|risks? (?:to|for|of|on|with|in)|issues? (?:with|in|on)|problems? (?:with|in|on)|what(?:'s|s| is) wrong with|what about|tell me about|how (?:secure|safe|exposed|risky) is|is|are|findings? (?:for|on|about|in|of)|vulnerabilities (?:in|of|on))\s+(?:the\s+|our\s+|my\s+)?(.+?)(?:\s+(?:safe|secure|ok|okay|fine|exposed|at risk|vulnerable|protected))?$/;
const NOT_A_NAME =
  /^(?:it|this|that|we|us|everything|anything|the system|system|the design|design|the architecture|architecture|the model|model|there|here|all|them|they|things?)$/;

/** The thing a threat question is about, when it names something the model does not have. */
function missingObject(q: Question): string | undefined {
  const m = OBJECT.exec(q.text);
  const object = m?.[1]?.trim();
  if (!object || NOT_A_NAME.test(object) || object.split(/\s+/).length > 4) return undefined;
  return object;
}

export function answerThreats(env: Env, q: Question): AskAnswer | undefined {
  if (q.elements.length === 0) {
    if (q.scan.ambiguous.length > 0) {
      const a = q.scan.ambiguous[0] as (typeof q.scan.ambiguous)[number];
      return clarifyAmbiguous(env, a.text, a.candidates);
    }
    if (q.classes.length > 0 && q.findings.length === 0 && q.rules.length === 0)
      return threatsForClasses(env, q);
    const object = missingObject(q);
    if (object === undefined || q.findings.length > 0 || q.rules.length > 0) return undefined;
    const r = env.index.resolve(object, ['component', 'flow', 'data', 'identity', 'boundary']);
    const cite = env.citer();
    if (r.status === 'none' && r.suggestions.length > 0) {
      cite.elementsOf(r.suggestions.map((e) => e.id));
      return answer(
        'clarify',
        [
          `There is no element "${object}" in ${env.analysis.model.name}. Did you mean ${andList(
            r.suggestions.map((e) => ref(env, e.id)),
            'or',
          )}?`,
        ],
        cite,
      );
    }
    const some = [...env.view.components]
      .sort((a, b) => cmp(a.id, b.id))
      .slice(0, 8)
      .map((c) => c.id);
    cite.elementsOf(some);
    return answer(
      'unknown',
      [
        `There is no element "${object}" in ${env.analysis.model.name}. Ask about one of its components, flows, data assets, identities or boundaries by id or name (components include ${andList(some)}).`,
      ],
      cite,
    );
  }
  const cite = env.citer();
  const lines: string[] = [...typoNotes(q)];
  const targets = q.elements.slice(0, 3);
  for (const e of targets) {
    if (lines.length > 0) lines.push('');
    lines.push(...threatsFor(env, e, cite, targets.length > 1 ? 4 : 6));
  }
  if (q.elements.length > 3)
    lines.push(
      '',
      `(Also named: ${andList(q.elements.slice(3).map((e) => e.id))}; ask about them separately.)`,
    );
  return answer('threats', lines, cite);
}

/** "What threatens our PHI?": the data assets of those classifications, the findings about them and where they are kept. */
function threatsForClasses(env: Env, q: Question): AskAnswer {
  const cite = env.citer();
  const data = env.view.data
    .filter((d) => q.classes.includes(d.classification))
    .map((d) => d.id)
    .sort(cmp);
  const named = andList(q.classes);
  if (data.length === 0) {
    return answer('threats', [`The model has no data classified ${andList(q.classes, 'or')}.`], cite);
  }
  cite.elementsOf(data);
  const stores = env.view.components
    .filter((c) => c.stores?.some((d) => data.includes(d)))
    .map((c) => c.id)
    .sort(cmp);
  cite.elementsOf(stores);
  const findings = env.analysis.findings.filter(
    (f) => f.subjects.data.some((d) => data.includes(d)) || f.primary.some((p) => stores.includes(p)),
  );
  const open = findings.filter((f) => f.status === 'open');
  const lines = [
    `Data classified ${named} in this model: ${andList(data.map((d) => `${d} (${env.view.dataAsset(d)?.classification ?? ''})`))}; stored in ${stores.length > 0 ? andList(stores) : 'no component'}.`,
  ];
  if (findings.length === 0) lines.push('No finding concerns that data or where it is stored.');
  else {
    lines.push(
      `${plural(findings.length, 'finding')} concern it or where it is kept (${severityCounts(findings)}; ${open.length} open). ${strideLine(findings)}`,
    );
    lines.push(...findingList(findings, cite, 8));
  }
  const paths = env.analysis.attackPaths.filter((p) => stores.includes(p.to));
  if (paths.length > 0) {
    lines.push(
      `${plural(paths.length, 'attack path')} reach the stores holding it; ask "attack paths to <store>" for one of them.`,
    );
  }
  return answer('threats', lines, cite);
}
