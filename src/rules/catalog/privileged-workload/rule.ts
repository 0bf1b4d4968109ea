import {
  appliesControl,
  boundariesOf,
  isClient,
  isCrownJewel,
  isSensitive,
  isThirdParty,
} from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import type { View } from '../../../model/view.js';
import { defineRule, type Likelihood } from '../../define-rule.js';
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
  let pos = 0;
  for (const m of members) {
    const handled = [
      ...view.stored(m.id),
      ...view.flowsFrom(m.id).flatMap((f) => f.data),
      ...view.flowsTo(m.id).flatMap((f) => f.data),
    ].filter(isSensitive);
    if (handled.length > 0) z.holders.push(m);
    for (const d of handled) {
      const i = at.get(d.id);
      if (i === undefined) {
        at.set(d.id, z.data.length);
        const mine = z.firstOf.get(m.id);
        if (mine) mine.push(z.data.length);
        else z.firstOf.set(m.id, [z.data.length]);
        z.data.push(d);
        z.firstAt.push(pos);
        z.firstBy.push(m.id);
        z.otherAt.push(Number.POSITIVE_INFINITY);
      } else if (z.firstBy[i] !== m.id && z.otherAt[i] === Number.POSITIVE_INFINITY) {
        z.otherAt[i] = pos;
      }
      pos++;
    }
  }
  return z;
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
    // Members of each host or cluster boundary, gathered once.
    const members = new Map<string, Component[]>();
    const zoneOf = (c: Component): Boundary | undefined =>
      boundariesOf(view, c).find((b) => b.kind === 'host' || b.kind === 'cluster');
    for (const c of view.components) {
      for (const b of boundariesOf(view, c)) {
        if (b.kind !== 'host' && b.kind !== 'cluster') continue;
        const list = members.get(b.id);
        if (list) list.push(c);
        else members.set(b.id, [c]);
      }
    }
    // What each zone's members handle, summarised once per zone (not once per member: a cluster of
    // thousands of workloads would make that quadratic).
    const zones = new Map<string, ZoneData>();
    const zoneData = (zone: Boundary): ZoneData => {
      let z = zones.get(zone.id);
      if (!z) {
        z = summariseZone(view, members.get(zone.id) ?? []);
        zones.set(zone.id, z);
      }
      return z;
    };

    for (const c of view.components) {
      if (c.privileged === false || isClient(c) || isThirdParty(view, c)) continue;
      const zone = zoneOf(c);
      const z = zone ? zoneData(zone) : undefined;
      const neighbourData = z ? neighbourDataOf(z, c) : [];
      const reachable = view.isInternetReachable(c.id);
      const scope = zone ? zoneText(zone) : 'its host';
      const atStake = uniqueById([...neighbourData, ...view.stored(c.id)]);
      const impact = atStake.some(isCrownJewel) ? 'very-high' : 'high';
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
          reasons.push(
            `accepts calls from ${[...new Set(thirdParty.map((f) => view.label(f.from.id)))].join(', ')}`,
          );
          for (const f of thirdParty) evidence.push(`flow ${f.id}: from third party ${f.from.id}`);
          subjects.push(...thirdParty.flatMap((f) => [f.id, f.from.id]));
        }
        if (zone && neighbourData.length > 0) {
          const holders = (z as ZoneData).holders.filter((n) => n.id !== c.id);
          reasons.push(`shares ${scope} with workloads handling ${shortData(neighbourData)}`);
          evidence.push(
            `${zone.id} (${zone.kind}) also holds ${holders.map((h) => h.id).join(', ')}, which handle ${neighbourData.map((d) => `${d.id} (${d.classification})`).join(', ')}`,
          );
          subjects.push(zone.id, ...holders.map((h) => h.id));
        }
        if (reasons.length === 0) continue;
        const last = reasons.pop() as string;
        yield {
          messageId: 'privileged',
          primary: [c.id],
          subjects,
          likelihood,
          impact,
          confidence: 'confirmed',
          data: {
            component: view.label(c.id),
            reasons: reasons.length > 0 ? `${reasons.join(', ')} and ${last}` : last,
            scope,
          },
          evidence: [...evidence, ...sandboxEvidence],
        };
        continue;
      }

      // privileged not stated: assumed only inside a cluster, for what typically asks for privileges
      // (node agents, CI runners) or what the internet calls directly (ingress); ordinary workloads behind
      // them are not questioned, so the unknown does not turn every pod into a finding.
      const cluster = view.nearest(c.id, 'cluster');
      if (!cluster || !reachable || c.kind === 'container-platform') continue;
      if (!TYPICALLY_PRIVILEGED.has(c.kind) && !view.isExposed(c.id)) continue;
      const clusterScope = zoneText(cluster);
      yield {
        messageId: 'privilegeUnstated',
        primary: [c.id],
        subjects: [cluster.id],
        // Most workloads do not run privileged: the unknown starts one step lower than a stated privilege.
        likelihood: lower(likelihood),
        impact,
        confidence: 'assumed',
        data: { component: view.label(c.id), scope: clusterScope },
        evidence: [
          `${c.id}: privileged not stated`,
          `${c.id} is inside cluster ${cluster.id}`,
          `${c.id} ${reachText(view.hopsFromEntry(c.id))}`,
          ...(atStake.some(isCrownJewel)
            ? [`${zone?.id ?? cluster.id} handles ${dataList(atStake.filter(isCrownJewel))}`]
            : []),
          ...sandboxEvidence,
        ],
        unknowns: [{ subject: c.id, attribute: 'privileged' }],
      };
    }
  },
});
