import { appliesControl, enforces, isPassThrough, isThirdParty } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact } from '../../factors.js';
import { listText } from '../../shared/text.js';

const WEB_PROTOCOLS = new Set(['http', 'https', 'ws', 'wss', 'grpc', 'grpcs']);
/** Applications we build and run; stores, platforms and LLMs are judged by their own rules. */
const ORIGIN_KINDS = new Set(['service', 'function']);

const isWeb = (f: FlowFacts) =>
  f.flow.protocol !== undefined && WEB_PROTOCOLS.has(f.flow.protocol.toLowerCase());

/** A static-site request: only reads, of data that is all public. */
const isStatic = (f: FlowFacts) =>
  f.flow.actions !== undefined &&
  f.flow.actions.length > 0 &&
  f.flow.actions.every((a) => a === 'read' || a === 'subscribe') &&
  f.data.length > 0 &&
  f.data.every((d) => d.classification === 'public');

/** How a search state (a component, reached by a static or a dynamic chain) was first reached. */
interface Step {
  flow: FlowFacts | null;
  /** The previous state: its component and whether its chain was dynamic (null for a start). */
  prev: string | null;
  prevDynamic: boolean;
}

/** Not followed (not web, or via vpn), followed and static, followed and dynamic. */
const SKIP = 0;
const STATIC = 1;
const DYNAMIC = 2;

/**
 * What the searches make of each flow, decided on first visit: both searches walk the same flows, and
 * protocols repeat across thousands of them (each distinct spelling is lower-cased once).
 */
class FlowClass {
  private readonly seen = new Map<FlowFacts, number>();
  private readonly webProtocol = new Map<string, boolean>();

  of(f: FlowFacts): number {
    let k = this.seen.get(f);
    if (k === undefined) {
      k = this.classify(f);
      this.seen.set(f, k);
    }
    return k;
  }

  private classify(f: FlowFacts): number {
    const protocol = f.flow.protocol;
    if (protocol === undefined || f.flow.via === 'vpn') return SKIP;
    let web = this.webProtocol.get(protocol);
    if (web === undefined) {
      web = isWeb(f);
      this.webProtocol.set(protocol, web);
    }
    if (!web) return SKIP;
    return isStatic(f) ? STATIC : DYNAMIC;
  }
}

/**
 * Breadth-first search over web flows from the internet through pass-through components that let
 * traffic past (`passes`), tracking whether the chain so far carries more than static public reads.
 * Returns, per origin reached by a non-static chain, the flows of its shortest such chain.
 */
function unfilteredChains(
  view: View,
  flows: FlowClass,
  passes: (c: Component) => boolean,
): Map<string, FlowFacts[]> {
  // The states of the search, by component: one map for static chains and one for dynamic ones (rather
  // than a string key per state).
  const staticSteps = new Map<string, Step>();
  const dynamicSteps = new Map<string, Step>();
  // Frontier states hold the component itself: no lookup by id when they are expanded.
  let frontier: { c: Component; dynamic: boolean }[] = [];
  for (const c of view.entryPoints) {
    if (!view.isInternetSource(c.id) && !isPassThrough(c)) continue;
    staticSteps.set(c.id, { flow: null, prev: null, prevDynamic: false });
    frontier.push({ c, dynamic: false });
  }
  const origins = new Map<string, FlowFacts[]>();
  while (frontier.length > 0) {
    const next: { c: Component; dynamic: boolean }[] = [];
    for (let j = 0; j < frontier.length; j++) {
      const s = frontier[j] as { c: Component; dynamic: boolean };
      const here = s.c;
      if (isPassThrough(here) && !passes(here)) continue;
      const out = view.flowsFrom(here.id);
      for (let i = 0; i < out.length; i++) {
        const f = out[i] as FlowFacts;
        const k = flows.of(f);
        if (k === SKIP) continue;
        const dynamic = s.dynamic || k === DYNAMIC;
        const steps = dynamic ? dynamicSteps : staticSteps;
        const to = f.to;
        if (steps.has(to.id)) continue;
        steps.set(to.id, { flow: f, prev: here.id, prevDynamic: s.dynamic });
        if (isPassThrough(to)) {
          next.push({ c: to, dynamic });
        } else if (
          dynamic &&
          ORIGIN_KINDS.has(to.kind) &&
          !view.isInternetSource(to.id) &&
          !isThirdParty(view, to) &&
          !origins.has(to.id)
        ) {
          const path: FlowFacts[] = [];
          let cur: Step | undefined = dynamicSteps.get(to.id);
          while (cur) {
            if (cur.flow) path.unshift(cur.flow);
            cur =
              cur.prev === null ? undefined : (cur.prevDynamic ? dynamicSteps : staticSteps).get(cur.prev);
          }
          origins.set(to.id, path);
        }
      }
    }
    frontier = next;
  }
  return origins;
}

const isWafHop = (c: Component) => c.kind === 'waf' || appliesControl(c, 'waf') === true;

export default defineRule({
  meta: {
    id: 'missing-waf-on-public-web-entry',
    title: 'Public web application has no web application firewall in front of it',
    summary:
      'An internet-facing web application or API is reachable without passing a web application firewall, so injection attempts, exploit kits and automated attacks reach its code unfiltered.',
    stride: ['tampering', 'denial-of-service'],
    cwe: ['CWE-693'],
    capec: ['CAPEC-66', 'CAPEC-63'],
    attack: ['T1190'],
    compliance: {
      'nist-800-53': ['SC-7', 'SI-4(4)'],
      'iso-27001-2022': ['A.8.20', 'A.8.21'],
      soc2: ['CC6.6'],
      'pci-dss-4': ['6.4.1', '6.4.2'],
    },
    assumes: ['enforces', 'controls'],
    detection:
      'From every internet source and every public pass-through component (gateway, load balancer, CDN, WAF), the rule follows web flows (http, https, ws, wss, grpc, grpcs; not via vpn) through pass-through components to the first service or function of ours behind them, its origin. An origin is unprotected when some such chain passes no component of kind waf and no hop or the origin applies waf, unless every flow of the chain only reads public data (a static site). The finding is reported on the place the WAF belongs: the first pass-through component of the chain (one finding for all the origins behind it), or the origin itself when the internet calls it directly. Confirmed when the hops state enforces or controls and the origin states its lists; assumed, with questions, when a hop or the origin states neither. Stores, platforms, identity providers, LLMs and third parties are left to their own rules.',
    severityRationale:
      'A WAF is defence in depth, so the likelihood is possible; likely when neither the origin nor a hop on the chain validates input either, since then nothing filters malicious requests. Impact is what the origin and the stores it calls hold, at least medium (the availability of a public application).',
    falsePositives:
      'Filtering may happen in a component the model does not show (a WAF attached to the load balancer or API gateway, a CDN with managed rules). Record waf in the enforces of that hop, or add the WAF as a component on the chain. A chain that only serves public content should state its flows as read-only with public data.',
    references: [
      {
        title: 'OWASP ModSecurity Core Rule Set',
        url: 'https://owasp.org/www-project-modsecurity-core-rule-set/',
      },
      {
        title: 'AWS WAF Developer Guide',
        url: 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html',
      },
    ],
    messages: {
      noWafBehindEdge:
        '{edge} passes internet traffic to {origins} with no web application firewall on the way ({paths}).',
      noWafDirect:
        '{origins} takes requests straight from the internet with no web application firewall in front of it ({paths}).',
      wafUnstated:
        'Internet traffic reaches {origins} ({paths}), and the model does not state that a web application firewall filters it on the way.',
    },
    mitigation:
      'Put a web application firewall in front of {origins}, {where}, with managed rules for injection and known exploits (for example AWS WAF, Cloud Armor, Azure Front Door WAF, or ModSecurity with the OWASP Core Rule Set), and make sure no route reaches {origins} around it; then record waf in the enforces of that hop.',
  },
  *detect(view) {
    const flows = new FlowClass();
    const strict = unfilteredChains(view, flows, (c) => !isWafHop(c) && appliesControl(c, 'waf') === false);
    const lenient = unfilteredChains(view, flows, (c) => !isWafHop(c));
    // One finding per place the WAF belongs: the first pass-through on the chain, else the origin itself.
    // Each origin is judged into a small record; the texts are written once per finding, for the origins
    // it shows (a busy edge fronts dozens of origins, of which three are shown).
    const groups = new Map<string, Origin[]>();
    for (const [originId, lenientPath] of lenient) {
      const o = judgeOrigin(view.component(originId) as Component, strict.get(originId), lenientPath);
      if (!o) continue;
      const list = groups.get(o.edge.id);
      if (list) list.push(o);
      else groups.set(o.edge.id, [o]);
    }
    const hopLines = new Map<string, string>();
    for (const origins of groups.values()) yield finding(view, origins, hopLines);
  },
});

/** An unprotected origin, with the chain it is reported for. */
interface Origin {
  origin: Component;
  /** The chain of flows from the internet source or public pass-through to the origin. */
  path: FlowFacts[];
  /** The pass-through components on the chain, in order. */
  hops: Component[];
  /** Where the WAF belongs: the first hop, else the origin. */
  edge: Component;
  confirmed: boolean;
  unknowns: Unknown[];
}

function judgeOrigin(
  origin: Component,
  strictPath: FlowFacts[] | undefined,
  lenientPath: FlowFacts[],
): Origin | undefined {
  const own = appliesControl(origin, 'waf');
  if (own === true) return undefined;
  const path = strictPath ?? lenientPath;
  // The components before the origin are the `from` ends of the chain's flows.
  const hops: Component[] = [];
  for (let i = 0; i < path.length; i++) {
    const from = (path[i] as FlowFacts).from;
    if (isPassThrough(from)) hops.push(from);
  }
  const unknowns: Unknown[] = [];
  if (own === 'unknown') unknowns.push({ subject: origin.id, attribute: 'controls' });
  if (!strictPath) {
    for (const h of hops)
      if (appliesControl(h, 'waf') === 'unknown') unknowns.push({ subject: h.id, attribute: 'enforces' });
  }
  return {
    origin,
    path,
    hops,
    edge: hops[0] ?? origin,
    confirmed: unknowns.length === 0,
    unknowns,
  };
}

/** Nothing filters the origin's input either: neither it nor a hop on its chain validates input. */
function unvalidated(o: Origin): boolean {
  if (appliesControl(o.origin, 'input-validation') !== false) return false;
  for (const h of o.hops) if (enforces(h, 'input-validation') === true) return false;
  return true;
}

/** The highest of `floor` and what the origin and the stores it calls hold (stops at very-high). */
function originImpact(view: View, origin: Component, floor: Impact): Impact {
  let impact = dataImpact(view.stored(origin.id), floor);
  const out = view.flowsFrom(origin.id);
  for (let i = 0; i < out.length && impact !== 'very-high'; i++) {
    const stored = view.stored((out[i] as FlowFacts).to.id);
    if (stored.length > 0) impact = dataImpact(stored, impact);
  }
  return impact;
}

/** The ids a chain passes, from its first `from` to the origin. */
function chainIds(o: Origin): string[] {
  const path = o.path;
  const ids = [path[0]?.from.id ?? o.origin.id];
  for (let i = 0; i < path.length; i++) ids.push((path[i] as FlowFacts).to.id);
  return ids;
}

/** "internet-user → cdn → shop", or "cdn (public) → shop" when the chain starts at a public pass-through. */
function pathsText(view: View, o: Origin): string {
  const ids = chainIds(o);
  return [view.isInternetSource(ids[0] as string) ? ids[0] : `${ids[0]} (public)`, ...ids.slice(1)].join(
    ' → ',
  );
}

/** The one finding for the origins behind one edge (model order of discovery). */
function finding(view: View, origins: readonly Origin[], hopLines: Map<string, string>): Draft {
  const confirmed = origins.filter((o) => o.confirmed);
  const shown = confirmed.length > 0 ? confirmed : origins;
  const first = shown[0] as Origin;
  const more = shown.length - 3;
  // Subjects and evidence of every origin, each kept once in first-seen order.
  const subjects: string[] = [];
  const seenSubjects = new Set<string>();
  const addSubject = (id: string) => {
    if (!seenSubjects.has(id)) {
      seenSubjects.add(id);
      subjects.push(id);
    }
  };
  const evidence: string[] = [];
  const seenEvidence = new Set<string>();
  const addEvidence = (line: string) => {
    if (!seenEvidence.has(line)) {
      seenEvidence.add(line);
      evidence.push(line);
    }
  };
  let likely = false;
  let impact: Impact = 'medium';
  for (const o of origins) {
    for (const f of o.path) addSubject(f.id);
    addSubject(o.path[0]?.from.id ?? o.origin.id);
    for (const f of o.path) addSubject(f.to.id);
    addEvidence(
      `${o.origin.id} reached from ${o.path[0]?.from.id ?? o.origin.id} by web flows ${o.path.map((f) => `${f.id} (${f.flow.protocol})`).join(', ')}`,
    );
    // A hop fronts many origins: its line is written once.
    for (const h of o.hops) {
      let line = hopLines.get(h.id);
      if (line === undefined) {
        line = `${h.id} (${h.kind}) enforces: ${listText(h.enforces)}`;
        hopLines.set(h.id, line);
      }
      addEvidence(line);
    }
    addEvidence(`${o.origin.id} controls: ${listText(o.origin.controls)}`);
  }
  // The finding's factors are the highest over its origins: the first origin that reaches the top
  // decides, and the others need not be judged.
  for (const o of origins) {
    if (unvalidated(o)) {
      likely = true;
      break;
    }
  }
  for (const o of origins) {
    impact = originImpact(view, o.origin, impact);
    if (impact === 'very-high') break;
  }
  const unknowns: Unknown[] = [];
  if (confirmed.length === 0) for (const o of origins) unknowns.push(...o.unknowns);
  const edge = first.edge;
  return {
    messageId: first.confirmed ? (first.hops.length > 0 ? 'noWafBehindEdge' : 'noWafDirect') : 'wafUnstated',
    primary: [edge.id],
    subjects,
    likelihood: likely ? 'likely' : 'possible',
    impact,
    confidence: first.confirmed ? 'confirmed' : 'assumed',
    data: {
      origins: shown.map((o) => nameOf(o.origin)).join(', '),
      paths: `${shown
        .slice(0, 3)
        .map((o) => pathsText(view, o))
        .join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
      edge: nameOf(edge),
      where:
        first.hops.length > 0
          ? `on ${nameOf(edge)} or just in front of it`
          : 'as a managed WAF or a filtering reverse proxy',
    },
    evidence,
    unknowns,
  };
}
