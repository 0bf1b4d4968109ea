/**
 * Shared predicates over model elements (STYLE 6). Rules use these instead of re-deriving facts, so
 * "unknown is not false" and "a present list is complete" are decided in one place.
 */
import type { Boundary, Component, DataAsset, Flow, Grant } from './schema.js';
import type { FlowFacts, View } from './view.js';
import {
  type Action,
  type AuthnMethod,
  type Classification,
  type Control,
  CROWN_JEWEL_CLASSIFICATIONS,
  SENSITIVE_CLASSIFICATIONS,
  type TriState,
  WEAK_AUTHN,
} from './vocabulary.js';

/** Whether a list attribute includes a value: unknown when the list is absent (DESIGN §3). */
export function listHas<T>(list: readonly T[] | undefined, value: T): TriState {
  if (list === undefined) return 'unknown';
  return list.includes(value);
}

/** Whether the component applies a control itself (`controls`). */
export function hasControl(c: Component, control: Control): TriState {
  return listHas(c.controls, control);
}

/** Whether the component applies a control to traffic through it (`enforces`). */
export function enforces(c: Component, control: Control): TriState {
  return listHas(c.enforces, control);
}

/**
 * A control the component applies either way (`controls` or `enforces`): true when either list has it;
 * false when at least one of the lists is present without it (a present list is the author's complete
 * statement); unknown only when both lists are absent.
 */
export function appliesControl(c: Component, control: Control): TriState {
  if (c.controls?.includes(control) || c.enforces?.includes(control)) return true;
  if (listsUnstated(c)) return 'unknown';
  return false;
}

/** The component states neither `controls` nor `enforces`: every control it might apply is unknown. */
export function listsUnstated(c: Component): boolean {
  return c.controls === undefined && c.enforces === undefined;
}

export function triState(v: boolean | 'unknown' | undefined): TriState {
  return v === undefined ? 'unknown' : v;
}

export type AuthnStrength = 'none' | 'weak' | 'strong' | 'unknown';

export function authnStrength(authn: AuthnMethod | undefined): AuthnStrength {
  if (authn === undefined || authn === 'unknown') return 'unknown';
  if (authn === 'none') return 'none';
  return WEAK_AUTHN.has(authn) ? 'weak' : 'strong';
}

export function isSensitive(d: DataAsset): boolean {
  return SENSITIVE_CLASSIFICATIONS.has(d.classification);
}

export function isCrownJewel(d: DataAsset): boolean {
  return CROWN_JEWEL_CLASSIFICATIONS.has(d.classification);
}

/** Money: financial or card (pci) data. */
export function isMoney(d: DataAsset): boolean {
  return d.classification === 'financial' || d.classification === 'pci';
}

export function hasClassification(data: readonly DataAsset[], set: ReadonlySet<Classification>): boolean {
  return data.some((d) => set.has(d.classification));
}

/** `admin` and `"*"` cover every action. */
export function grantCovers(grant: Grant, action: Action): boolean {
  return grant.actions.includes('*') || grant.actions.includes('admin') || grant.actions.includes(action);
}

export function isBroadGrant(grant: Grant): boolean {
  return grant.actions.includes('*') || grant.actions.includes('admin');
}

export type DataDirection = 'forward' | 'backward' | 'both';

/**
 * Which way a flow's data travels (DESIGN §3): with actions only read or subscribe, to → from; only
 * write, publish, invoke or delete, from → to; otherwise (mixed or absent) both ways.
 */
export function dataDirection(flow: Flow): DataDirection {
  const actions = flow.actions;
  if (!actions || actions.length === 0) return 'both';
  if (onlyReads(actions)) return 'backward';
  const outbound = actions.every((a) => a === 'write' || a === 'publish' || a === 'invoke' || a === 'delete');
  return outbound ? 'forward' : 'both';
}

/** Every stated action reads (read or subscribe): false when actions are not stated, true for an empty list. */
export function onlyReads(actions: readonly Action[] | undefined): boolean {
  return actions?.every((a) => a === 'read' || a === 'subscribe') === true;
}

/** The actions may change what the target holds: not stated, or including write, delete or admin. */
export function mayWrite(actions: readonly Action[] | undefined): boolean {
  return actions === undefined || actions.some((a) => a === 'write' || a === 'delete' || a === 'admin');
}

/** Does the flow's data reach its `to` end (forward) or its `from` end (backward)? */
export function dataReaches(flow: Flow, end: 'to' | 'from'): boolean {
  const d = dataDirection(flow);
  return d === 'both' || (end === 'to' ? d === 'forward' : d === 'backward');
}

/** A static-site request: actions stated and all `read`, data stated and all public. */
export function readsOnlyPublicData(f: FlowFacts): boolean {
  const actions = f.flow.actions;
  return (
    actions !== undefined &&
    actions.length > 0 &&
    actions.every((a) => a === 'read') &&
    f.data.length > 0 &&
    f.data.every((d) => d.classification === 'public')
  );
}

/** The flow carries crown-jewel data, or its `to` end stores some. */
export function touchesCrownJewels(view: View, f: FlowFacts): boolean {
  return f.data.some(isCrownJewel) || view.stored(f.to.id).some(isCrownJewel);
}

/** Display label of an element: its name, else its id. */
export function label(e: { id?: string; name?: string | undefined }, fallbackId = ''): string {
  return e.name ?? e.id ?? fallbackId;
}

export function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}

// ---- component groups (docs/rules/PLAN.md §0) ---------------------------------------------------------

const CLIENT_KINDS: ReadonlySet<string> = new Set(['user', 'web-client', 'mobile-app']);
const PASS_THROUGH_KINDS: ReadonlySet<string> = new Set(['gateway', 'load-balancer', 'cdn', 'waf']);
const MANAGEMENT_KINDS: ReadonlySet<string> = new Set([
  'container-platform',
  'ci-cd',
  'identity-provider',
  'secret-store',
  'monitoring',
]);
const DATASTORE_KINDS: ReadonlySet<string> = new Set([
  'datastore',
  'object-store',
  'cache',
  'search',
  'queue',
  'stream',
]);

/** People and the apps they hold: user, web-client, mobile-app. */
export function isClient(c: Component): boolean {
  return CLIENT_KINDS.has(c.kind);
}

/** The "gateways" of DESIGN §4: gateway, load-balancer, cdn, waf. */
export function isPassThrough(c: Component): boolean {
  return PASS_THROUGH_KINDS.has(c.kind);
}

/** Control planes: container-platform, ci-cd, identity-provider, secret-store, monitoring. */
export function isManagementPlane(c: Component): boolean {
  return MANAGEMENT_KINDS.has(c.kind);
}

/** Components that hold data by nature: datastore, object-store, cache, search, queue, stream. */
export function isDataStoreKind(c: Component): boolean {
  return DATASTORE_KINDS.has(c.kind);
}

/** A third party: kind external-service, or inside a third-party boundary at any depth. */
export function isThirdParty(view: View, c: Component): boolean {
  return (
    c.kind === 'external-service' ||
    (c.in !== undefined && view.nearestFrom(c.in, 'third-party') !== undefined)
  );
}

/** A component the team runs and secures: not a client, not an internet source, not an external service. */
export function isOwned(view: View, c: Component): boolean {
  return !isClient(c) && !view.isInternetSource(c.id) && c.kind !== 'external-service';
}

/** A component whose design is the team's: not a client, not an internet source, not a third party. */
export function isFirstParty(view: View, c: Component): boolean {
  return !isClient(c) && !view.isInternetSource(c.id) && !isThirdParty(view, c);
}

/**
 * The `agreement` extension for a third party: stated on the component, else inherited from its nearest
 * third-party boundary. `holder` is where the fact is stated, or where to ask for it.
 */
export function agreementOf(view: View, c: Component): { value: TriState; holder: Component | Boundary } {
  const boundary = view.nearest(c.id, 'third-party');
  if (c.agreement !== undefined) return { value: c.agreement, holder: c };
  if (boundary?.agreement !== undefined) return { value: boundary.agreement, holder: boundary };
  return { value: 'unknown', holder: boundary ?? c };
}

/** A reusable secret or bearer token crosses the wire (not hmac, mtls, iam or kerberos). */
export function isCredentialBearing(authn: string): boolean {
  return ['api-key', 'basic', 'password', 'session', 'jwt', 'oauth2', 'oidc', 'saml'].includes(authn);
}

// ---- boundaries ---------------------------------------------------------------------------------------

const NO_BOUNDARIES: readonly Boundary[] = Object.freeze([]);

/**
 * The boundaries a component of the View is in, nearest first: `view.componentBoundaries(c.id)` for a
 * component already in hand, read through its `in` (one lookup among the boundaries instead of a second
 * one among all components; rules ask this for every component).
 */
export function boundariesOf(view: View, c: Component): readonly Boundary[] {
  return c.in === undefined ? NO_BOUNDARIES : view.ancestry(c.in);
}

const SEGMENT_KINDS: ReadonlySet<string> = new Set(['network', 'subnet', 'cluster', 'namespace', 'host']);

/** The innermost network, subnet, cluster, namespace or host a component is in. */
export function segment(view: View, c: Component): Boundary | undefined {
  return c.in === undefined ? undefined : perBoundary(segments, view, c.in, (b) => SEGMENT_KINDS.has(b.kind));
}

/** Components grouped by segment id, in the order given; those in no segment are left out. */
export function bySegment(view: View, components: readonly Component[]): Map<string, Component[]> {
  const members = new Map<string, Component[]>();
  for (const c of components) {
    const s = segment(view, c);
    if (!s) continue;
    const list = members.get(s.id);
    if (list) list.push(c);
    else members.set(s.id, [c]);
  }
  return members;
}

/** The jurisdiction of the nearest enclosing boundary that states one. */
export function jurisdiction(view: View, c: Component): string | undefined {
  if (c.in === undefined) return undefined;
  return perBoundary(jurisdictions, view, c.in, (b) => b.jurisdiction !== undefined)?.jurisdiction;
}

/**
 * Rules ask `segment` and `jurisdiction` of every component, and the answer depends only on the
 * component's `in`: it is kept per View and boundary (a View's model does not change).
 */
const segments = new WeakMap<View, Map<string, Boundary | null>>();
const jurisdictions = new WeakMap<View, Map<string, Boundary | null>>();

/** The nearest of a boundary and its ancestors that `test` accepts, remembered in `cache`. */
function perBoundary(
  cache: WeakMap<View, Map<string, Boundary | null>>,
  view: View,
  boundaryId: string,
  test: (b: Boundary) => boolean,
): Boundary | undefined {
  let byBoundary = cache.get(view);
  if (byBoundary === undefined) {
    byBoundary = new Map();
    cache.set(view, byBoundary);
  }
  let found = byBoundary.get(boundaryId);
  if (found === undefined) {
    found = view.ancestry(boundaryId).find(test) ?? null;
    byBoundary.set(boundaryId, found);
  }
  return found ?? undefined;
}

const TRUST_ZONE_KINDS: ReadonlySet<string> = new Set(['network', 'subnet', 'cluster', 'namespace']);

/**
 * The zone an internal flow without authentication (none or unstated) trusts: the innermost network,
 * subnet, cluster or namespace holding both ends. Undefined when the flow authenticates, an end is an
 * internet source, or no such boundary holds both ends.
 */
export function implicitTrustZone(view: View, f: FlowFacts): Boundary | undefined {
  if (f.authn !== 'none' && f.authn !== 'unknown') return undefined;
  if (view.isInternetSource(f.from.id) || view.isInternetSource(f.to.id)) return undefined;
  return f.shared.find((b) => TRUST_ZONE_KINDS.has(b.kind));
}

/** The innermost boundary holding both ends is a host: the traffic never leaves the machine. */
export function sameHost(f: FlowFacts): boolean {
  return f.shared[0]?.kind === 'host';
}

// ---- environments -------------------------------------------------------------------------------------

/** true for `environment: production`, false for any other stated value, unknown when absent. */
export function isProduction(c: Component): TriState {
  const env = c.environment;
  if (env === undefined) return 'unknown';
  // Most models write it in lower case: no new string then.
  if (env === 'production' || env === 'prod') return true;
  const lower = env.toLowerCase();
  return lower === 'production' || lower === 'prod';
}

// ---- copies ------------------------------------------------------------------------------------------

/** A flow that copies data: purpose replication or backup. */
export function isCopyFlow(f: FlowFacts): boolean {
  return f.flow.purpose === 'replication' || f.flow.purpose === 'backup';
}

/** A replica or backup target: it receives flows, and every one of them is a replication or backup flow. */
export function isCopyTarget(view: View, c: Component): boolean {
  const inbound = view.flowsTo(c.id);
  return inbound.length > 0 && inbound.every(isCopyFlow);
}

// ---- edge chains --------------------------------------------------------------------------------------

/**
 * What the internet reaches through the edge: entry points, the pass-through components (CDN, WAF, load
 * balancer, gateway) chained behind them, and the first real component behind each chain (its origin).
 */
export function edgeReach(view: View): ReadonlyMap<string, FlowFacts | null> {
  return view.reachableVia('edge-chain', (f) => f.fromInternet || isPassThrough(f.from));
}

/** The components that the edge chain delivers internet traffic to and that are not pass-through. */
export function isEdgeOrigin(view: View, c: Component): boolean {
  return !isPassThrough(c) && !view.isInternetSource(c.id) && edgeReach(view).has(c.id);
}

/**
 * The component and, when it is pass-through (gateway, load balancer, CDN, WAF), everything it passes
 * traffic on to through other pass-through components, up to and including the first real component of
 * each branch; breadth-first, the component first.
 */
export function behind(view: View, c: Component): Component[] {
  const seen = new Set([c.id]);
  const out: Component[] = [c];
  const queue: Component[] = isPassThrough(c) ? [c] : [];
  // An index into the queue rather than shift(), which moves the whole array each time.
  for (let next = 0; next < queue.length; next++) {
    const cur = queue[next] as Component;
    for (const f of view.flowsFrom(cur.id)) {
      if (seen.has(f.to.id)) continue;
      seen.add(f.to.id);
      out.push(f.to);
      if (isPassThrough(f.to)) queue.push(f.to);
    }
  }
  return out;
}

/**
 * `behind` for a rule that asks it for many flows: each component's answer is searched once, however
 * many flows lead to it (thousands of clients may reach one gateway). The lists are shared: read-only.
 */
export function behindCached(view: View): (c: Component) => readonly Component[] {
  const cache = new Map<string, readonly Component[]>();
  return (c) => {
    let found = cache.get(c.id);
    if (!found) {
      found = behind(view, c);
      cache.set(c.id, found);
    }
    return found;
  };
}
