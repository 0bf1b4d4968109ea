import {
  appliesControl,
  enforces,
  implicitTrustZone,
  isClient,
  isPassThrough,
  isThirdParty,
  listsUnstated,
  readsOnlyPublicData,
} from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { defineRule, type Impact, type Likelihood, type Unknown } from '../../define-rule.js';
import { dataImpact, maxImpact, raise } from '../../factors.js';
import { statedAuthn } from '../../shared/evidence.js';
import { pathText } from '../../shared/paths.js';

/** Other zones of our own that a flow may come from (a third party's are unverified-third-party-callback's). */
const OTHER_ZONES = new Set(['cloud-account', 'on-prem', 'device']);
const CHANGING = new Set(['write', 'delete', 'admin', 'invoke']);

/** A hop of an edge chain: out of the internet, or onward from a gateway that does not authenticate. */
function edgeHop(view: View, f: FlowFacts): boolean {
  return (
    view.isInternetSource(f.from.id) || (isPassThrough(f.from) && enforces(f.from, 'authentication') !== true)
  );
}

interface Route {
  flow: FlowFacts;
  kind: 'edge' | 'public' | 'zone';
  /** The flows before `flow` on the way from the entry point. */
  path: readonly FlowFacts[];
  confirmed: boolean;
  zone?: string;
}

export default defineRule({
  meta: {
    id: 'missing-authentication',
    title: 'Internet-reachable component accepts unauthenticated callers',
    summary:
      'A component that the internet can reach, directly or through gateways that only pass traffic on, accepts calls that carry no authentication, so anyone can act as a legitimate caller.',
    stride: ['spoofing', 'information-disclosure', 'tampering'],
    cwe: ['CWE-306', 'CWE-287'],
    capec: ['CAPEC-115', 'CAPEC-36'],
    attack: ['T1190'],
    compliance: {
      'nist-800-53': ['IA-2', 'IA-8', 'AC-3', 'AC-14'],
      'iso-27001-2022': ['A.8.5', 'A.5.15'],
      soc2: ['CC6.1', 'CC6.6'],
      'pci-dss-4': ['8.3.1'],
      'owasp-asvs-5': ['V8.2.1', 'V6.3.4', 'V13.2.1'],
      hipaa: ['164.312(d)', '164.312(a)(1)'],
    },
    assumes: ['authn', 'data'],
    detection:
      'The rule judges the components that do the work: not clients, not gateways, load balancers, CDNs or WAFs (the origin behind them is judged instead), not third parties and not identity providers, and only those that neither control nor enforce authentication themselves. Such a component is reported when (a) a chain of flows from the internet reaches it through pass-through components only, every flow on the chain has authentication none and no hop enforces authentication; or it is stated exposure: public and a flow into it has authentication none; or (b) a flow from another zone of our own (a different cloud account, an on-premises site or a device) reaches it with authentication none. A flow that only reads public data (a public web site) does not count, and neither does a flow that implicit-trust-in-network already reports (an unauthenticated call between two internal components in one network, subnet, cluster or namespace). All such flows into one component make one finding. Assumed, with questions, when a flow on the way does not state its authentication, or when no flow states its data and the component stores only public data or states no stores (the content may be public).',
    severityRationale:
      'Impact is the data the component stores and the flows carry, at least medium when the flows write, delete, administer or invoke. Likelihood is very likely when the internet calls the component directly or it is stated public, likely through pass-through hops, and possible for a call from another zone; a component that assumes its callers were authenticated upstream raises it one step, because it has nothing of its own to fall back on.',
    falsePositives:
      'The component may authenticate callers in a way the model does not show (a login form with a session cookie, a signed URL, an authenticating sidecar). Record it: set the flow’s authn to the method used (session, jwt, oauth2, mtls, ...), add authentication to the controls of the component or to the enforces of the gateway in front of it, or, for content that is meant to be public, state the flow’s data (classified public) and actions: [read].',
    references: [
      {
        title: 'OWASP Authentication Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html',
      },
      {
        title: 'CWE-306: Missing Authentication for Critical Function',
        url: 'https://cwe.mitre.org/data/definitions/306.html',
      },
    ],
    messages: {
      unauthenticated:
        '{component} accepts calls from the internet without any authentication ({routes}).{note}',
      authnUnstated:
        '{component} is reachable from the internet ({routes}), and no flow on the way is known to carry authentication.{note}',
      crossZone:
        '{component} accepts calls without authentication from another zone of the system ({routes}).{note}',
    },
    mitigation:
      'Require authentication at {component} or at a gateway in front of it for every caller ({callers}): OIDC or OAuth 2 tokens for people, mTLS or signed workload tokens for services. Reject requests without valid credentials, and state the method in the authn of each flow into {component}.',
  },
  *detect(view) {
    const byTarget = routesByTarget(view);
    if (byTarget.size === 0) return;
    for (const c of inModelOrder(view, byTarget)) yield finding(view, c, byTarget.get(c) as Route[]);
  },
});

/**
 * The routes into each judged component, in flow order. One pass over the flows: the few without
 * authentication (none or unstated) are kept on that field alone, before their target is judged (most
 * flows authenticate, and a component's inbound list would have to be looked up first).
 */
function routesByTarget(view: View): Map<Component, Route[]> {
  const thirdParty = (c: Component) => isThirdParty(view, c);
  const judged = new Map<Component, boolean>();
  const byTarget = new Map<Component, Route[]>();
  let strict: ReadonlyMap<string, FlowFacts | null> | undefined;
  let lenient: ReadonlyMap<string, FlowFacts | null> | undefined;
  for (const f of view.flows) {
    if (f.authn !== 'none' && f.authn !== 'unknown') continue;
    const c = f.to;
    let isJudged = judged.get(c);
    if (isJudged === undefined) {
      isJudged =
        !isClient(c) &&
        !isPassThrough(c) &&
        c.kind !== 'identity-provider' &&
        !view.isInternetSource(c.id) &&
        !thirdParty(c) &&
        appliesControl(c, 'authentication') !== true;
      judged.set(c, isJudged);
    }
    if (!isJudged) continue;
    // implicit-trust-in-network reports the flows trusted for a shared zone; a public site needs no login.
    if (implicitTrustZone(view, f) !== undefined || readsOnlyPublicData(f)) continue;
    let route: Route | undefined;
    const hop = edgeHop(view, f);
    if (hop) lenient ??= edgeChains(view, false);
    if (hop && (lenient as ReadonlyMap<string, FlowFacts | null>).has(f.from.id)) {
      strict ??= edgeChains(view, true);
      const confirmed = f.authn === 'none' && strict.has(f.from.id);
      const path = view.pathTo(
        confirmed ? strict : (lenient as ReadonlyMap<string, FlowFacts | null>),
        f.from.id,
      );
      route = { flow: f, kind: 'edge', path, confirmed };
    } else if (c.exposure === 'public') {
      route = { flow: f, kind: 'public', path: [], confirmed: f.authn === 'none' };
    } else if (f.authn === 'none' && !thirdParty(f.from)) {
      const zone = f.crosses.find((b) => OTHER_ZONES.has(b.kind));
      if (zone) route = { flow: f, kind: 'zone', path: [], confirmed: true, zone: zone.id };
    }
    if (route === undefined) continue;
    const routes = byTarget.get(c);
    if (routes) routes.push(route);
    else byTarget.set(c, [route]);
  }
  return byTarget;
}

/** The components with routes, in model order (the order of the findings). */
function inModelOrder(view: View, byTarget: ReadonlyMap<Component, Route[]>): Component[] {
  const found: Component[] = [];
  for (const c of view.components) if (byTarget.has(c)) found.push(c);
  return found;
}

/**
 * What `view.reachableVia` gives for the edge chains without authentication: breadth-first from the
 * entry points (in model order) over the flows that leave the internet, or a gateway that does not
 * authenticate, with authentication none (`strict`) or none or unstated. Whether a flow is an edge hop
 * depends only on its `from` end, so a component that is neither is not expanded at all (the generic
 * search would test each of its flows).
 */
function edgeChains(view: View, strict: boolean): Map<string, FlowFacts | null> {
  const via = new Map<string, FlowFacts | null>();
  let frontier: Component[] = [];
  for (const c of view.entryPoints) {
    via.set(c.id, null);
    frontier.push(c);
  }
  while (frontier.length > 0) {
    const next: Component[] = [];
    for (const c of frontier) {
      if (!view.isInternetSource(c.id) && !(isPassThrough(c) && enforces(c, 'authentication') !== true))
        continue;
      for (const f of view.flowsFrom(c.id)) {
        if (via.has(f.to.id)) continue;
        if (f.authn === 'none' || (!strict && f.authn === 'unknown')) {
          via.set(f.to.id, f);
          next.push(f.to);
        }
      }
    }
    frontier = next;
  }
  return via;
}

function finding(view: View, c: Component, routes: Route[]) {
  const fromInternet = routes.filter((r) => r.kind !== 'zone');
  const shown = fromInternet.length > 0 ? fromInternet : routes;
  const confirmedInternet = fromInternet.some((r) => r.confirmed);
  const messageId =
    fromInternet.length === 0 ? 'crossZone' : confirmedInternet ? 'unauthenticated' : 'authnUnstated';
  const assumesUpstream = c.assumes?.includes('caller-authenticated-upstream') === true;

  // Likelihood: straight from the internet (or stated public) beats through gateways beats another zone.
  let likelihood: Likelihood = 'possible';
  const direct = (r: Route) => r.kind === 'public' || view.isInternetSource(r.flow.from.id);
  if (fromInternet.length > 0 && (c.exposure === 'public' || fromInternet.some(direct)))
    likelihood = 'very-likely';
  else if (fromInternet.length > 0) likelihood = 'likely';
  if (assumesUpstream) likelihood = raise(likelihood);

  const flows = routes.map((r) => r.flow);
  const carried = flows.flatMap((f) => f.data);
  const stored = view.stored(c.id);
  const changes = flows.some((f) => f.flow.actions?.some((a) => CHANGING.has(a)));
  const impact: Impact = maxImpact(changes ? 'medium' : 'low', dataImpact(stored), dataImpact(carried));

  // Unknown facts: unstated authentication on the chosen routes, or no data stated anywhere.
  const unknowns: Unknown[] = [];
  const authnConfirmed = messageId === 'authnUnstated' ? false : shown.some((r) => r.confirmed);
  if (!authnConfirmed) {
    for (const r of shown)
      for (const f of [...r.path, r.flow])
        if (f.authn === 'unknown') unknowns.push({ subject: f.id, attribute: 'authn' });
  }
  const dataStated = flows.some((f) => f.flow.data !== undefined) || stored.some(isNonPublic);
  if (!dataStated) for (const f of flows) unknowns.push({ subject: f.id, attribute: 'data' });
  const confirmed = unknowns.length === 0;

  const routeText = (r: Route) => {
    if (r.kind === 'edge') return pathText([...r.path, r.flow]);
    if (r.kind === 'public') return `${r.flow.from.id} → ${c.id}, which is stated public`;
    return `${r.flow.from.id} → ${c.id}, from ${view.label(r.zone ?? '')}`;
  };
  const evidence: string[] = [];
  for (const r of routes) {
    for (const f of [...r.path, r.flow]) evidence.push(`flow ${f.id}: authn ${statedAuthn(f)}`);
    if (r.kind === 'public') evidence.push(`${c.id} exposure: public`);
    if (r.kind === 'zone') evidence.push(`flow ${r.flow.id} crosses ${r.zone}`);
  }
  evidence.push(
    listsUnstated(c)
      ? `${c.id} does not state its controls`
      : `${c.id} neither controls nor enforces authentication`,
  );
  if (assumesUpstream) evidence.push(`${c.id} assumes: caller-authenticated-upstream`);
  if (stored.length > 0) evidence.push(`${c.id} stores ${stored.map((d) => d.id).join(', ')}`);

  const callers = [...new Set(shown.map((r) => r.path[0]?.from.id ?? r.flow.from.id))];
  return {
    messageId,
    primary: [c.id],
    subjects: [...new Set(routes.flatMap((r) => [...r.path, r.flow].flatMap((f) => [f.id, f.from.id])))],
    likelihood,
    impact,
    confidence: confirmed ? ('confirmed' as const) : ('assumed' as const),
    data: {
      component: nameOf(c),
      routes: [...new Set(shown.map(routeText))].join('; '),
      callers: callers.map((id) => view.label(id)).join(', '),
      note: assumesUpstream
        ? ' It assumes its callers were authenticated upstream, but nothing on the way authenticates them.'
        : '',
    },
    evidence: [...new Set(evidence)],
    ...(confirmed ? {} : { unknowns }),
  };
}

function isNonPublic(d: DataAsset): boolean {
  return d.classification !== 'public';
}
