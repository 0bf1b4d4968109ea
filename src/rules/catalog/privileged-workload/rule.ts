import { appliesControl, isClient, isCrownJewel, isSensitive, isThirdParty } from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Likelihood } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { uniqueById } from '../../shared/unique.js';

const lower = (l: Likelihood): Likelihood =>
  l === 'likely' ? 'possible' : l === 'possible' ? 'unlikely' : l;

/** "GKE cluster prod-1", or "cluster saas-gke" when the boundary has no name. */
const zoneText = (b: Boundary) => b.name ?? `${b.kind} ${b.id}`;

/** The crown jewels (else the sensitive data) of a list, at most four named. */
function shortData(data: readonly DataAsset[]): string {
  const crown = data.filter(isCrownJewel);
  const shown = crown.length > 0 ? crown : [...data];
  const more = shown.length - 4;
  return `${dataList(shown.slice(0, 4))}${more > 0 ? ` and ${more} more` : ''}`;
}

const reachText = (hops: number | undefined) =>
  hops === 0 ? 'is an entry point' : `is reachable from an entry point (${hops} hops)`;

const TYPICALLY_PRIVILEGED: ReadonlySet<string> = new Set(['monitoring', 'ci-cd']);

/**
 * The sensitive data a zone's members handle (data they store or that their flows carry), as the
 * sequence member by member, in model order, reduced to what "the data of the other members" needs.
 */
interface ZoneData {
  /** The distinct sensitive data, in the order of first handling. */
  data: DataAsset[];
  /** For each of `data`: the position in the sequence where it is first handled, and by whom. */
  firstAt: number[];
  firstBy: string[];
  /** For each of `data`: where a member other than `firstBy` first handles it (Infinity: none does). */
  otherAt: number[];
  /** Indexes into `data` by the member that handles them first. */
  firstOf: Map<string, number[]>;
  /** The members that handle sensitive data, in model order. */
  holders: Component[];
}

function summariseZone(view: View, members: readonly Component[]): ZoneData {
  const z: ZoneData = { data: [], firstAt: [], firstBy: [], otherAt: [], firstOf: new Map(), holders: [] };
  const at = new Map<string, number>();
  // The sequence is each member's stored data, then the data of its outgoing flows, then of its incoming
  // ones, sensitive only: walked in place with indexed loops rather than spread into a list per member
  // (thousands of them, most flows carrying no data).
  const state = { pos: 0 };
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as Component;
    const before = state.pos;
    // Most components store nothing and most flows carry nothing: skip those without a call. What a
    // member stores is read by id (`view.stored` would make and keep a list per member).
    const stores = m.stores;
    if (stores !== undefined) {
      for (let j = 0; j < stores.length; j++) {
        const d = view.dataAsset(stores[j] as string) as DataAsset;
        if (isSensitive(d)) handle(z, at, state, m, d);
      }
    }
    const out = view.flowsFrom(m.id);
    for (let j = 0; j < out.length; j++) {
      const data = (out[j] as FlowFacts).data;
      if (data.length > 0) handleAll(z, at, state, m, data);
    }
    const inbound = view.flowsTo(m.id);
    for (let j = 0; j < inbound.length; j++) {
      const data = (inbound[j] as FlowFacts).data;
      if (data.length > 0) handleAll(z, at, state, m, data);
    }
    if (state.pos > before) z.holders.push(m);
  }
  return z;
}

function handleAll(
  z: ZoneData,
  at: Map<string, number>,
  state: { pos: number },
  m: Component,
  data: readonly DataAsset[],
): void {
  for (let i = 0; i < data.length; i++) {
    const d = data[i] as DataAsset;
    if (isSensitive(d)) handle(z, at, state, m, d);
  }
}

/** One step of the sequence: member `m` handles `d` at position `state.pos`. */
function handle(
  z: ZoneData,
  at: Map<string, number>,
  state: { pos: number },
  m: Component,
  d: DataAsset,
): void {
  const i = at.get(d.id);
  if (i === undefined) {
    at.set(d.id, z.data.length);
    const mine = z.firstOf.get(m.id);
    if (mine) mine.push(z.data.length);
    else z.firstOf.set(m.id, [z.data.length]);
    z.data.push(d);
    z.firstAt.push(state.pos);
    z.firstBy.push(m.id);
    z.otherAt.push(Number.POSITIVE_INFINITY);
  } else if (z.firstBy[i] !== m.id && z.otherAt[i] === Number.POSITIVE_INFINITY) {
    z.otherAt[i] = state.pos;
  }
  state.pos++;
}

/**
 * The distinct sensitive data the zone's members other than `c` handle, in the order of first handling:
 * the zone's list itself unless `c` is the first to handle some of it, whose place then moves to where
 * another member first handles it (or which drops out).
 */
function neighbourDataOf(z: ZoneData, c: Component): DataAsset[] {
  const mine = z.firstOf.get(c.id);
  if (!mine) return z.data;
  const moved = new Set(mine);
  const keyed: { d: DataAsset; at: number }[] = [];
  z.data.forEach((d, i) => {
    const at = moved.has(i) ? (z.otherAt[i] as number) : (z.firstAt[i] as number);
    if (at !== Number.POSITIVE_INFINITY) keyed.push({ d, at });
  });
  return keyed.sort((a, b) => a.at - b.at).map((k) => k.d);
}

export default defineRule({
  meta: {
    id: 'privileged-workload',
    title: 'Privileged workload is exposed to untrusted input',
    summary:
      'A workload runs privileged (root on the host, a privileged container, the container runtime socket, cluster-admin) while untrusted input can reach it or it shares its host or cluster with sensitive workloads, so compromising it compromises the host or cluster.',
    stride: ['elevation-of-privilege'],
    cwe: ['CWE-250'],
    capec: ['CAPEC-69', 'CAPEC-480'],
    attack: ['T1611', 'T1610'],
    compliance: {
      'nist-800-53': ['AC-6', 'CM-7', 'SC-39'],
      'iso-27001-2022': ['A.8.2', 'A.8.9'],
      soc2: ['CC6.3'],
      'pci-dss-4': ['2.2.1', '7.2.5'],
      'owasp-asvs-5': ['V13.2.2', 'V15.2.5'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['privileged'],
    detection:
      'A component stated privileged: true is reported when it is reachable from the internet, fetches URLs that callers supply (fetches-urls: true), receives flows from a third party, or shares its nearest host or cluster boundary with components that handle sensitive data (data they store or that their flows carry: a privileged container reads its neighbours’ memory, mounted secrets and service tokens). When a component inside a cluster boundary is reachable from the internet, does not state privileged, and is either called directly from the internet (an ingress) or of a kind that often runs privileged (monitoring agents, CI runners), the finding is assumed, with a question. Clients and third-party components are not judged; privileged: false never fires.',
    severityRationale:
      'Impact is very high when the host or cluster it shares handles crown-jewel data (financial, personal, health, card data, credentials, secrets), high otherwise: escaping a privileged container gives the host, and from there every workload on it. Likelihood is likely when it is reachable from the internet, possible otherwise; a stated sandbox lowers it one step. When privileged is not stated, the finding starts one step lower (most workloads do not run privileged, and the finding mainly asks for the fact), and the engine lowers assumed findings one more step.',
    falsePositives:
      'The component may not need or use privilege any more, or run on isolated nodes of its own. State privileged: false once the privilege is removed, or place it in its own host or cluster boundary so the model shows the isolation; a sandbox (gVisor, Kata, Firecracker) lowers but does not clear the finding.',
    references: [
      {
        title: 'Kubernetes Pod Security Standards',
        url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
      },
      {
        title: 'OWASP Docker Security Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html',
      },
      {
        title: 'CWE-250: Execution with Unnecessary Privileges',
        url: 'https://cwe.mitre.org/data/definitions/250.html',
      },
    ],
    messages: {
      privileged: '{component} runs privileged and {reasons}, so whoever compromises it controls {scope}.',
      privilegeUnstated:
        '{component} is reachable from the internet inside {scope}, and the model does not state whether it runs privileged.',
    },
    mitigation:
      'Run {component} without privilege: no privileged mode, host namespaces, hostPath mounts or container runtime socket, a non-root user, a read-only root filesystem and only the capabilities it needs; enforce this with a restricted Pod Security admission policy on {scope}, and move anything that must stay privileged onto dedicated, isolated nodes.',
  },
  *detect(view) {
    const zones = new Zones(view);
    // One pass gathers every zone's members (model order) and the few components worth judging: the
    // cheap test rejects most on a field or a Set lookup. Zones are summarised only once all are known.
    const candidates: Component[] = [];
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      if (c.in !== undefined) zones.add(c);
      if (mayJudge(view, c)) candidates.push(c);
    }
    for (let i = 0; i < candidates.length; i++) {
      const draft = judge(view, zones, candidates[i] as Component);
      if (draft) yield draft;
    }
  },
});

/** What a component's `in` tells about where it runs, shared by every component with the same `in`. */
interface Placement {
  /** The nearest host or cluster boundary. */
  zone: Boundary | undefined;
  /** The nearest cluster boundary. */
  cluster: Boundary | undefined;
  /** Some enclosing boundary is third-party. */
  thirdParty: boolean;
  /** The member lists of every host or cluster boundary of the chain (a component is a member of each). */
  memberLists: Component[][];
}

const NOWHERE: Placement = { zone: undefined, cluster: undefined, thirdParty: false, memberLists: [] };

/** The texts of a privileged member's finding about the rest of its zone (shared: read-only). */
interface Sharing {
  /** The other members that handle sensitive data. */
  holderIds: readonly string[];
  /** The crown jewels (else the sensitive data) they handle, at most four named. */
  short: string;
  /** "prod-cluster (cluster) also holds a, b, which handle d1 (pii), ...". */
  evidence: string;
}

/** The host and cluster boundaries: where each component runs, their members and what these handle. */
class Zones {
  private readonly placements = new Map<string, Placement>();
  private readonly members = new Map<string, Component[]>();
  private readonly summaries = new Map<string, ZoneData>();
  private readonly shared = new Map<string, Sharing>();
  // Components of one boundary tend to be written together: the last placement is reused without a lookup.
  private lastIn: string | undefined;
  private last: Placement = NOWHERE;

  constructor(private readonly view: View) {}

  placement(c: Component): Placement {
    const at = c.in;
    if (at === undefined) return NOWHERE;
    if (at === this.lastIn) return this.last;
    let p = this.placements.get(at);
    if (!p) {
      p = { zone: undefined, cluster: undefined, thirdParty: false, memberLists: [] };
      for (const b of this.view.ancestry(at)) {
        if (b.kind === 'host' || b.kind === 'cluster') {
          p.zone ??= b;
          let list = this.members.get(b.id);
          if (!list) {
            list = [];
            this.members.set(b.id, list);
          }
          p.memberLists.push(list);
        }
        if (b.kind === 'cluster') p.cluster ??= b;
        if (b.kind === 'third-party') p.thirdParty = true;
      }
      this.placements.set(at, p);
    }
    this.lastIn = at;
    this.last = p;
    return p;
  }

  /** Records `c` as a member of its zones; called for every component, in model order. */
  add(c: Component): void {
    const lists = this.placement(c).memberLists;
    for (let i = 0; i < lists.length; i++) (lists[i] as Component[]).push(c);
  }

  /**
   * What a privileged member's finding says about its zone: the other members that handle sensitive
   * data and what they handle. Every member that neither handles sensitive data nor is the first to
   * handle some sees the same neighbours, so their texts are written once per zone.
   */
  sharing(zone: Boundary, z: ZoneData, c: Component, neighbourData: readonly DataAsset[]): Sharing {
    const common = neighbourData === z.data && !z.holders.includes(c);
    if (common) {
      const cached = this.shared.get(zone.id);
      if (cached) return cached;
    }
    const holders = z.holders.filter((n) => n.id !== c.id);
    const holderIds = holders.map((h) => h.id);
    const found: Sharing = {
      holderIds,
      short: shortData(neighbourData),
      evidence: `${zone.id} (${zone.kind}) also holds ${holderIds.join(', ')}, which handle ${neighbourData.map((d) => `${d.id} (${d.classification})`).join(', ')}`,
    };
    if (common) this.shared.set(zone.id, found);
    return found;
  }

  /**
   * What a zone's members handle, summarised once per zone (not once per member: a cluster of thousands
   * of workloads would make that quadratic). Only once every component has been added.
   */
  data(zone: Boundary): ZoneData {
    let z = this.summaries.get(zone.id);
    if (!z) {
      z = summariseZone(this.view, this.members.get(zone.id) ?? []);
      this.summaries.set(zone.id, z);
    }
    return z;
  }
}

/**
 * The cheap first test: a stated privilege is rare, and an unstated one is only questioned for a node
 * agent, a CI runner or what the internet calls directly (one Set lookup).
 */
function mayJudge(view: View, c: Component): boolean {
  const privileged = c.privileged;
  if (privileged === true) return true;
  if (privileged === false) return false;
  return TYPICALLY_PRIVILEGED.has(c.kind) || view.isExposed(c.id);
}

/** The finding on one component, if any. */
function judge(view: View, zones: Zones, c: Component): Draft | undefined {
  if (isClient(c) || c.kind === 'external-service') return undefined;
  const place = zones.placement(c);
  if (place.thirdParty) return undefined;
  const reachable = view.isInternetReachable(c.id);
  // privileged not stated: assumed only inside a cluster, for what typically asks for privileges
  // (node agents, CI runners) or what the internet calls directly (ingress); ordinary workloads behind
  // them are not questioned, so the unknown does not turn every pod into a finding.
  if (c.privileged !== true && (!place.cluster || !reachable || c.kind === 'container-platform'))
    return undefined;
  const zone = place.zone;
  const z = zone ? zones.data(zone) : undefined;
  const neighbourData = z ? neighbourDataOf(z, c) : [];
  const scope = zone ? zoneText(zone) : 'its host';
  const stored = view.stored(c.id);
  // What is at stake is the neighbours' data and c's own; only whether it holds a crown jewel matters
  // here, so the two lists are asked separately instead of merged.
  const crownAtStake = neighbourData.some(isCrownJewel) || stored.some(isCrownJewel);
  const impact = crownAtStake ? 'very-high' : 'high';
  const sandboxed = appliesControl(c, 'sandbox') === true;
  const base: Likelihood = reachable ? 'likely' : 'possible';
  const likelihood = sandboxed ? lower(base) : base;
  const sandboxEvidence = sandboxed ? [`${c.id} controls: sandbox (likelihood lowered)`] : [];

  if (c.privileged === true) {
    const reasons: string[] = [];
    const evidence = [`${c.id}: privileged true`];
    const subjects: string[] = [];
    if (reachable) {
      reasons.push('is reachable from the internet');
      evidence.push(`${c.id} ${reachText(view.hopsFromEntry(c.id))}`);
    }
    if (c['fetches-urls'] === true) {
      reasons.push('fetches URLs that callers supply');
      evidence.push(`${c.id}: fetches-urls true`);
    }
    const thirdParty = view.flowsTo(c.id).filter((f) => isThirdParty(view, f.from));
    if (thirdParty.length > 0) {
      reasons.push(`accepts calls from ${[...new Set(thirdParty.map((f) => nameOf(f.from)))].join(', ')}`);
      for (const f of thirdParty) evidence.push(`flow ${f.id}: from third party ${f.from.id}`);
      subjects.push(...thirdParty.flatMap((f) => [f.id, f.from.id]));
    }
    if (zone && neighbourData.length > 0) {
      const shared = zones.sharing(zone, z as ZoneData, c, neighbourData);
      reasons.push(`shares ${scope} with workloads handling ${shared.short}`);
      evidence.push(shared.evidence);
      subjects.push(zone.id, ...shared.holderIds);
    }
    if (reasons.length === 0) return undefined;
    const last = reasons.pop() as string;
    return {
      messageId: 'privileged',
      primary: [c.id],
      subjects,
      likelihood,
      impact,
      confidence: 'confirmed',
      data: {
        component: nameOf(c),
        reasons: reasons.length > 0 ? `${reasons.join(', ')} and ${last}` : last,
        scope,
      },
      evidence: [...evidence, ...sandboxEvidence],
    };
  }

  const cluster = place.cluster as Boundary;
  const clusterScope = zoneText(cluster);
  return {
    messageId: 'privilegeUnstated',
    primary: [c.id],
    subjects: [cluster.id],
    // Most workloads do not run privileged: the unknown starts one step lower than a stated privilege.
    likelihood: lower(likelihood),
    impact,
    confidence: 'assumed',
    data: { component: nameOf(c), scope: clusterScope },
    evidence: [
      `${c.id}: privileged not stated`,
      `${c.id} is inside cluster ${cluster.id}`,
      `${c.id} ${reachText(view.hopsFromEntry(c.id))}`,
      ...(crownAtStake
        ? [
            `${zone?.id ?? cluster.id} handles ${dataList(uniqueById([...neighbourData, ...stored]).filter(isCrownJewel))}`,
          ]
        : []),
      ...sandboxEvidence,
    ],
    unknowns: [{ subject: c.id, attribute: 'privileged' }],
  };
}
