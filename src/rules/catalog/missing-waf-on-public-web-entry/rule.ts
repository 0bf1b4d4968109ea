import { appliesControl, enforces, isPassThrough, isThirdParty } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import type { FlowFacts, View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact, maxImpact } from '../../factors.js';
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

interface Step {
  flow: FlowFacts | null;
  prev: string | null;
}

/**
 * Breadth-first search over web flows from the internet through pass-through components that let
 * traffic past (`passes`), tracking whether the chain so far carries more than static public reads.
 * Returns, per origin reached by a non-static chain, the flows of its shortest such chain.
 */
function unfilteredChains(view: View, passes: (c: Component) => boolean): Map<string, FlowFacts[]> {
  const key = (id: string, dynamic: boolean) => `${id}|${dynamic ? 1 : 0}`;
  const steps = new Map<string, Step>();
  let frontier: { id: string; dynamic: boolean }[] = [];
  for (const c of view.entryPoints) {
    if (!view.isInternetSource(c.id) && !isPassThrough(c)) continue;
    steps.set(key(c.id, false), { flow: null, prev: null });
    frontier.push({ id: c.id, dynamic: false });
  }
  const origins = new Map<string, FlowFacts[]>();
  while (frontier.length > 0) {
    const next: { id: string; dynamic: boolean }[] = [];
    for (const s of frontier) {
      const here = view.component(s.id) as Component;
      if (isPassThrough(here) && !passes(here)) continue;
      for (const f of view.flowsFrom(s.id)) {
        if (!isWeb(f) || f.flow.via === 'vpn') continue;
        const dynamic = s.dynamic || !isStatic(f);
        const k = key(f.to.id, dynamic);
        if (steps.has(k)) continue;
        steps.set(k, { flow: f, prev: key(s.id, s.dynamic) });
        if (isPassThrough(f.to)) {
          next.push({ id: f.to.id, dynamic });
        } else if (
          dynamic &&
          ORIGIN_KINDS.has(f.to.kind) &&
          !view.isInternetSource(f.to.id) &&
          !isThirdParty(view, f.to) &&
          !origins.has(f.to.id)
        ) {
          const path: FlowFacts[] = [];
          let cur: string | null = k;
          while (cur) {
            const st = steps.get(cur) as Step;
            if (st.flow) path.unshift(st.flow);
            cur = st.prev;
          }
          origins.set(f.to.id, path);
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
    const strict = unfilteredChains(view, (c) => !isWafHop(c) && appliesControl(c, 'waf') === false);
    const lenient = unfilteredChains(view, (c) => !isWafHop(c));
    // One finding per place the WAF belongs: the first pass-through on the chain, else the origin itself.
    const groups = new Map<string, Draft[]>();
    for (const [originId, lenientPath] of lenient) {
      const origin = view.component(originId) as Component;
      const own = appliesControl(origin, 'waf');
      if (own === true) continue;
      const strictPath = strict.get(originId);
      const path = strictPath ?? lenientPath;
      const ids = [path[0]?.from.id ?? origin.id, ...path.map((f) => f.to.id)];
      const hops = ids
        .slice(0, -1)
        .map((id) => view.component(id) as Component)
        .filter(isPassThrough);
      const unknowns: Unknown[] = [];
      if (own === 'unknown') unknowns.push({ subject: origin.id, attribute: 'controls' });
      if (!strictPath) {
        for (const h of hops)
          if (appliesControl(h, 'waf') === 'unknown') unknowns.push({ subject: h.id, attribute: 'enforces' });
      }
      const confirmed = unknowns.length === 0;
      const validated =
        appliesControl(origin, 'input-validation') !== false ||
        hops.some((h) => enforces(h, 'input-validation') === true);
      const downstream = view.flowsFrom(origin.id).flatMap((f) => view.stored(f.to.id));
      const edge = hops[0] ?? origin;
      const draft: Draft = {
        messageId: confirmed ? (hops.length > 0 ? 'noWafBehindEdge' : 'noWafDirect') : 'wafUnstated',
        primary: [edge.id],
        subjects: [...path.map((f) => f.id), ...ids],
        likelihood: validated ? 'possible' : 'likely',
        impact: maxImpact('medium', dataImpact([...view.stored(origin.id), ...downstream])),
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          origins: view.label(origin.id),
          paths: [
            view.isInternetSource(ids[0] as string) ? ids[0] : `${ids[0]} (public)`,
            ...ids.slice(1),
          ].join(' → '),
          edge: view.label(edge.id),
          where:
            hops.length > 0
              ? `on ${view.label(edge.id)} or just in front of it`
              : 'as a managed WAF or a filtering reverse proxy',
        },
        evidence: [
          `${origin.id} reached from ${ids[0]} by web flows ${path.map((f) => `${f.id} (${f.flow.protocol})`).join(', ')}`,
          ...hops.map((h) => `${h.id} (${h.kind}) enforces: ${listText(h.enforces)}`),
          `${origin.id} controls: ${listText(origin.controls)}`,
        ],
        ...(confirmed ? {} : { unknowns }),
      };
      const list = groups.get(edge.id);
      if (list) list.push(draft);
      else groups.set(edge.id, [draft]);
    }
    for (const drafts of groups.values()) {
      const confirmed = drafts.filter((d) => d.confidence === 'confirmed');
      const shown = confirmed.length > 0 ? confirmed : drafts;
      const first = shown[0] as Draft;
      const more = shown.length - 3;
      yield {
        ...first,
        subjects: [...new Set(drafts.flatMap((d) => d.subjects ?? []))],
        likelihood: drafts.some((d) => d.likelihood === 'likely') ? 'likely' : 'possible',
        impact: drafts.reduce<Impact>((m, d) => maxImpact(m, d.impact), 'medium'),
        data: {
          ...first.data,
          origins: shown.map((d) => String(d.data.origins)).join(', '),
          paths: `${shown
            .slice(0, 3)
            .map((d) => String(d.data.paths))
            .join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
        },
        evidence: [...new Set(drafts.flatMap((d) => d.evidence))],
        ...(confirmed.length > 0 ? { unknowns: [] } : { unknowns: drafts.flatMap((d) => d.unknowns ?? []) }),
      };
    }
  },
});
