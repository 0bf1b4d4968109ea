import { appliesControl, isClient, isThirdParty, segment } from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact } from '../../define-rule.js';
import { dataImpact, maxImpact } from '../../factors.js';
import { stolenGrantImpact } from '../../shared/credentials.js';
import { listText } from '../../shared/text.js';

const PROVIDER_NAMES: Readonly<Record<string, string>> = { aws: 'AWS', gcp: 'GCP', azure: 'Azure' };

export default defineRule({
  meta: {
    id: 'ssrf-to-internal-resources',
    title: 'Component fetches caller-supplied URLs and can reach internal services or cloud credentials',
    summary:
      'A service that fetches URLs its callers supply, with no egress restriction, can be made to call internal services or the cloud metadata endpoint on an attacker’s behalf (server-side request forgery), reading internal data or stealing its workload credentials.',
    stride: ['information-disclosure', 'elevation-of-privilege', 'spoofing'],
    cwe: ['CWE-918'],
    capec: ['CAPEC-664'],
    attack: ['T1552.005', 'T1190'],
    compliance: {
      'nist-800-53': ['SC-7', 'SC-7(5)', 'AC-4', 'SI-10'],
      'iso-27001-2022': ['A.8.20', 'A.8.22', 'A.8.28'],
      soc2: ['CC6.6'],
      'pci-dss-4': ['6.2.4', '1.3.2'],
      'owasp-asvs-5': ['V1.3.6', 'V13.2.4', 'V13.2.5', 'V15.3.2'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['controls', 'enforces', 'runs-as'],
    detection:
      'A component stated fetches-urls: true that is reachable from the internet (so callers can choose the URL) and has neither network-policy (egress restriction) nor sandbox in its controls or enforces is reported when a forged request has somewhere to go: internal components (not exposed, not third parties, not clients) that share its network segment or that it calls, and the instance metadata endpoint when it runs inside a cloud account or a cluster, which hands out the credentials of its runs-as identity (or, when none is stated, of the instance or node it runs on). Confirmed when at least one of its control lists is stated; assumed, with questions, when both are absent, or when the metadata endpoint is all it reaches and its runs-as is not stated.',
    severityRationale:
      'Impact is what the forged requests reach: for the metadata endpoint, what the identity is granted (very high for admin on every resource or on a control plane, else the classification of the data on the granted resources, at least medium); for internal services, the most sensitive data they hold, at least medium because internal APIs rarely authenticate their callers. Likelihood is likely, very likely when the component is itself exposed to the internet: SSRF is scanned for and exploited routinely (the metadata endpoint is the first URL tried).',
    falsePositives:
      'Egress may be restricted outside the component (an egress proxy, a VPC firewall or a Kubernetes NetworkPolicy that denies private ranges, IMDSv2 with a hop limit of 1). Record it as network-policy or sandbox in the component’s controls. If callers cannot choose the URL (it comes from configuration), state fetches-urls: false.',
    references: [
      {
        title: 'OWASP Server-Side Request Forgery Prevention Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html',
      },
      {
        title: 'Amazon EC2: Configure the instance metadata service (IMDSv2)',
        url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html',
      },
      {
        title: 'CWE-918: Server-Side Request Forgery (SSRF)',
        url: 'https://cwe.mitre.org/data/definitions/918.html',
      },
    ],
    messages: {
      internal:
        '{component} fetches URLs its callers supply, and {restriction}: a crafted URL reaches {targets}.',
      cloudMetadata:
        '{component} fetches URLs its callers supply, and {restriction}: a crafted URL reaches the {platform} metadata endpoint, which hands out the credentials of {identity}.',
      internalAndMetadata:
        '{component} fetches URLs its callers supply, and {restriction}: a crafted URL reaches {targets}, and the {platform} metadata endpoint, which hands out the credentials of {identity}.',
    },
    mitigation:
      'Restrict what {component} can fetch: allow-list the schemes, hosts and ports it may call, resolve each name and reject private, loopback and link-local addresses (169.254.169.254) after resolution, send every fetch through an egress proxy or sandbox whose network policy denies {targets}{metadataAdvice}.',
  },
  *detect(view) {
    const fetchers = reachableFetchers(view);
    if (fetchers.length === 0) return;
    const thirdParty = (c: Component) => isThirdParty(view, c);
    const isInternal = (x: Component) =>
      !view.isExposed(x.id) && !isClient(x) && !view.isInternetSource(x.id) && !thirdParty(x);
    const segmentOf = (c: Component) => segment(view, c);
    const internalMembers = internalBySegment(view, fetchers, segmentOf);
    const dataRanks = new Map<string, number>();
    for (let i = 0; i < fetchers.length; i++) {
      const c = fetchers[i] as Component;
      const draft = finding(view, c, segmentOf(c), internalMembers, isInternal, dataRanks);
      if (draft !== undefined) yield draft;
    }
  },
});

/**
 * The components that fetch URLs callers supply and that the internet reaches, in model order: a plain
 * function with an indexed loop (the generator's body stays small), rejecting on the field first.
 */
function reachableFetchers(view: View): Component[] {
  const fetchers: Component[] = [];
  const components = view.components;
  for (let i = 0; i < components.length; i++) {
    const c = components[i] as Component;
    if (c['fetches-urls'] === true && view.isInternetReachable(c.id)) fetchers.push(c);
  }
  return fetchers;
}

/**
 * The internal members of the fetchers' segments, in model order: one pass over the components. What
 * `isInternal` asks of a component's place (its segment, whether it is inside the internet or a third
 * party) depends only on its `in` boundary, so that is decided once per boundary and the rest of the
 * test is on the component itself.
 */
function internalBySegment(
  view: View,
  fetchers: readonly Component[],
  segmentOf: (c: Component) => Boundary | undefined,
): Map<string, Neighbourhood> {
  const members = new Map<string, Neighbourhood>();
  for (const c of fetchers) {
    const s = segmentOf(c);
    if (s) members.set(s.id, { members: [], ranks: undefined });
  }
  if (members.size === 0) return members;
  // Per `in` boundary: the neighbourhood of its segment, or null when that holds no fetcher or the
  // boundary is inside the internet or a third party (nothing in it is internal).
  const places = new Map<string, Neighbourhood | null>();
  const components = view.components;
  for (let i = 0; i < components.length; i++) {
    const x = components[i] as Component;
    if (x.in === undefined) continue;
    let hood = places.get(x.in);
    if (hood === undefined) {
      const s = segmentOf(x);
      hood = s === undefined || outside(view.ancestry(x.in)) ? null : (members.get(s.id) ?? null);
      places.set(x.in, hood);
    }
    if (hood === null) continue;
    // isInternal, less what its boundary has answered.
    if (x.kind === 'external-service' || isClient(x) || view.isExposed(x.id)) continue;
    hood.members.push(x);
  }
  return members;
}

/** The chain includes an internet or a third-party boundary. */
function outside(chain: readonly Boundary[]): boolean {
  for (const b of chain) if (b.kind === 'internet' || b.kind === 'third-party') return true;
  return false;
}

/** The internal members of a segment, in model order, with the rank of each one's stored data impact. */
interface Neighbourhood {
  members: Component[];
  /** Made when a fetcher of the segment first asks (all its fetchers share them). */
  ranks: number[] | undefined;
}

const IMPACTS: readonly Impact[] = ['low', 'medium', 'high', 'very-high'];
const RANK: Readonly<Record<Impact, number>> = { low: 0, medium: 1, high: 2, 'very-high': 3 };

/**
 * The rank of the impact of the data a component stores (`dataImpact(view.stored(c.id))`), read
 * through its own `stores` with each data asset's rank kept: most components store nothing.
 */
function storedRank(view: View, c: Component, dataRanks: Map<string, number>): number {
  const ids = c.stores;
  if (ids === undefined) return 0;
  let rank = 0;
  for (const id of ids) {
    let r = dataRanks.get(id);
    if (r === undefined) {
      r = RANK[dataImpact([view.dataAsset(id) as DataAsset])];
      dataRanks.set(id, r);
    }
    if (r > rank) rank = r;
  }
  return rank;
}

/** `truncatedList` of the components' labels, looking up only the labels it shows. */
function truncatedLabels(xs: readonly Component[], max: number): string {
  const shown = xs.length <= max ? xs : xs.slice(0, max);
  const names = shown.map((x) => nameOf(x)).join(', ');
  return xs.length <= max ? names : `${names} and ${xs.length - max} more`;
}

/**
 * `uniqueById([...called, ...neighbours])` without the spread list and the Map of every target: the
 * called components once each in order, then the neighbours (distinct already) not called.
 */
function calledThenNeighbours(called: readonly Component[], neighbours: readonly Component[]): Component[] {
  const targets: Component[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < called.length; i++) {
    const x = called[i] as Component;
    if (seen.has(x.id)) continue;
    seen.add(x.id);
    targets.push(x);
  }
  for (let i = 0; i < neighbours.length; i++) {
    const x = neighbours[i] as Component;
    if (!seen.has(x.id)) targets.push(x);
  }
  return targets;
}

function finding(
  view: View,
  c: Component,
  seg: Boundary | undefined,
  internalMembers: ReadonlyMap<string, Neighbourhood>,
  isInternal: (x: Component) => boolean,
  dataRanks: Map<string, number>,
): Draft | undefined {
  const policy = appliesControl(c, 'network-policy');
  const sandbox = appliesControl(c, 'sandbox');
  if (policy === true || sandbox === true) return undefined;
  // The neighbours and the called components, with the highest rank of what they store (at least
  // medium): `maxImpact('medium', ...targets.map((t) => dataImpact(view.stored(t.id))))`.
  let rank = RANK.medium;
  const neighbours: Component[] = [];
  const hood = seg ? internalMembers.get(seg.id) : undefined;
  if (hood !== undefined) {
    const { members } = hood;
    hood.ranks ??= members.map((x) => storedRank(view, x, dataRanks));
    const ranks = hood.ranks;
    for (let i = 0; i < members.length; i++) {
      const x = members[i] as Component;
      if (x === c) continue;
      neighbours.push(x);
      if ((ranks[i] as number) > rank) rank = ranks[i] as number;
    }
  }
  const called: Component[] = [];
  const out = view.flowsFrom(c.id);
  for (let i = 0; i < out.length; i++) {
    const x = (out[i] as FlowFacts).to;
    if (x === c || !isInternal(x)) continue;
    called.push(x);
    const r = storedRank(view, x, dataRanks);
    if (r > rank) rank = r;
  }
  // Most fetchers call no internal component directly: their targets are their neighbours as they are.
  const targets = called.length === 0 ? neighbours : calledThenNeighbours(called, neighbours);
  const host = view.nearest(c.id, 'cloud-account') ?? view.nearest(c.id, 'cluster');
  const identity = view.identityOf(c.id);
  // Without runs-as the endpoint still answers, with the instance's or node's own identity.
  const metadata = host !== undefined;
  const identityUnstated = metadata && c['runs-as'] === undefined;
  if (targets.length === 0 && !metadata) return undefined;

  const internalImpact = IMPACTS[rank] as Impact;
  const metadataImpact = maxImpact(
    'medium',
    ...(identity?.grants ?? []).map((g) => stolenGrantImpact(view, g)),
  );
  const unknowns = [
    ...(policy === 'unknown'
      ? [
          { subject: c.id, attribute: 'controls' },
          { subject: c.id, attribute: 'enforces' },
        ]
      : []),
    // The identity matters only when the metadata endpoint is all a forged request reaches.
    ...(identityUnstated && targets.length === 0 ? [{ subject: c.id, attribute: 'runs-as' }] : []),
  ];
  const impact = maxImpact(targets.length > 0 ? internalImpact : 'low', metadata ? metadataImpact : 'low');
  const provider = host?.kind === 'cloud-account' ? host.provider : undefined;
  const platform =
    host?.kind === 'cloud-account'
      ? `${provider ? (PROVIDER_NAMES[provider] ?? provider) : 'cloud'} instance`
      : 'cluster node';
  const messageId =
    targets.length > 0 && metadata ? 'internalAndMetadata' : metadata ? 'cloudMetadata' : 'internal';
  return {
    messageId,
    primary: [c.id],
    subjects: [
      ...targets.map((t) => t.id),
      ...(metadata && identity ? [identity.id] : []),
      ...(seg ? [seg.id] : []),
    ],
    likelihood: view.isExposed(c.id) ? 'very-likely' : 'likely',
    impact,
    confidence: unknowns.length > 0 ? 'assumed' : 'confirmed',
    data: {
      component: nameOf(c),
      restriction:
        policy === 'unknown'
          ? 'the model does not say whether a network policy or sandbox restricts where it may connect'
          : 'no network policy or sandbox restricts where it may connect',
      targets: targets.length === 0 ? 'internal addresses' : truncatedLabels(targets, 5),
      platform,
      metadataAdvice: metadata
        ? `, and require IMDSv2 or the platform equivalent (with a hop limit of 1) so the metadata endpoint does not hand out the credentials of ${identity ? nameOf(identity) : 'the identity its instance or node runs as'}`
        : '',
      identity: identity
        ? nameOf(identity)
        : identityUnstated
          ? 'the identity its instance or node runs as'
          : 'its workload identity',
    },
    evidence: [
      `${c.id}: fetches-urls true`,
      view.isExposed(c.id) ? `${c.id} is exposed to the internet` : `${c.id} is reachable from the internet`,
      policy === 'unknown'
        ? `${c.id}: controls and enforces not stated`
        : `${c.id}: controls ${listText(c.controls)}, enforces ${listText(c.enforces)} (no network-policy or sandbox)`,
      ...(neighbours.length > 0 && seg
        ? [`shares ${seg.kind} ${seg.id} with ${neighbours.map((x) => x.id).join(', ')}`]
        : []),
      ...(called.length > 0 ? [`calls ${called.map((x) => x.id).join(', ')}`] : []),
      ...(host
        ? [
            `runs ${identity ? `as ${identity.id}` : 'without a stated runs-as'} inside ${host.kind} ${host.id}`,
          ]
        : []),
    ],
    ...(unknowns.length > 0 ? { unknowns } : {}),
  };
}
