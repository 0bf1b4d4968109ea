import { type ComponentGraph, componentGraph, SingleSourceReach } from '../../../model/graph.js';
import { appliesControl, isClient, isCrownJewel, segment } from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import type { View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, maxImpact } from '../../factors.js';

const CONTROL_PLANES = new Set(['secret-store', 'identity-provider']);

interface Pair {
  exposed: Component;
  target: Component;
  /** The side states neither controls nor enforces: its network policy is unknown. */
  exposedUnstated: boolean;
  targetUnstated: boolean;
}

export default defineRule({
  meta: {
    id: 'missing-network-segmentation',
    title: 'Internet-facing components share a network segment with high-value components',
    summary:
      'An internet-facing component sits in the same network, subnet, cluster, namespace or host as a component holding crown-jewel data, secrets or identities, with no network policy between them, so a compromise of the exposed one gives direct network access to the other.',
    stride: ['information-disclosure', 'elevation-of-privilege'],
    cwe: ['CWE-653'],
    capec: [],
    attack: ['T1210', 'T1021'],
    compliance: {
      'nist-800-53': ['SC-7', 'SC-7(21)', 'AC-4'],
      'iso-27001-2022': ['A.8.22'],
      soc2: ['CC6.6'],
      'pci-dss-4': ['1.3.1', '1.4.1'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['controls', 'enforces'],
    detection:
      'For every boundary of kind network, subnet, cluster, namespace or host, the rule takes the components whose innermost such boundary it is. It pairs each exposed member (stated public, or called directly from the internet) with each member that is not exposed and holds crown-jewel data (financial, pii, phi, pci, credentials, secret) or is a secret store or identity provider, and reports the pair when neither has network-policy in its controls or enforces and the high-value member is not reachable from the exposed one through the modelled flows (a designed path is judged by internet-to-crown-jewels-path; this rule reports adjacency that no flow needs). One finding per boundary: confirmed when some pair has stated control lists on both sides, otherwise assumed, with questions on the missing lists.',
    severityRationale:
      'Impact is the classification of the crown jewels next door, very high for a secret store or identity provider (they unlock everything else). Likelihood is possible: the attacker first has to compromise the exposed component, then move sideways over a path that nothing in the design needs.',
    falsePositives:
      'Segmentation may exist below the model’s boundaries (security groups per service, a Kubernetes default-deny NetworkPolicy, host firewalls). Record network-policy in the controls of the components it protects, or model the separate subnets or namespaces as their own boundaries.',
    references: [
      {
        title: 'OWASP Network Segmentation Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Network_Segmentation_Cheat_Sheet.html',
      },
      {
        title: 'NIST SP 800-207: Zero Trust Architecture',
        url: 'https://csrc.nist.gov/pubs/sp/800/207/final',
      },
      {
        title: 'CWE-653: Improper Isolation or Compartmentalization',
        url: 'https://cwe.mitre.org/data/definitions/653.html',
      },
    ],
    messages: {
      flat: 'The {kind} {boundary} holds the internet-facing {exposed} next to {highValue} with no network policy between them: a foothold in the first reaches the second directly, although no flow needs that path.',
      unstated:
        'The {kind} {boundary} holds the internet-facing {exposed} next to {highValue}, and the model does not say whether a network policy separates them; no flow needs that path.',
    },
    mitigation:
      'Separate {highValue} from {exposed}: move {highValue} into a subnet, namespace or network of its own, or apply a default-deny network policy in {boundary} (security groups, firewall rules, Kubernetes NetworkPolicy) that admits only the flows the model shows; then record network-policy in their controls.',
  },
  *detect(view) {
    for (const candidate of candidates(view)) yield finding(view, candidate);
  },
});

/** A segment with the pairs of its members that no flow path joins. */
interface Candidate {
  boundaryId: string;
  pairs: Pair[];
}

/**
 * The exposed and the high-value members of each segment (innermost network, subnet, cluster,
 * namespace or host), internet sources and clients left out; segments in the order of their first
 * member. Then, per segment, the pairs of an exposed and a high-value member with no network policy on
 * either side and no flow path from the first to the second.
 */
function candidates(view: View): Candidate[] {
  // Which segment a component is in, and whether it is an internet source, depend only on its `in`
  // boundary: decided once per boundary, which then points straight at its segment's members (null:
  // inside the internet, or in no segment).
  type Members = { exposed: Component[]; valuable: Component[] };
  const zones = new Map<string, Members | null>();
  const members = new Map<string, Members>();
  for (const c of view.components) {
    if (c.in === undefined || isClient(c)) continue;
    let m = zones.get(c.in);
    if (m === undefined) {
      const seg = inInternet(view.ancestry(c.in)) ? undefined : segment(view, c);
      m = seg === undefined ? null : (members.get(seg.id) ?? null);
      if (seg !== undefined && m === null) {
        m = { exposed: [], valuable: [] };
        members.set(seg.id, m);
      }
      zones.set(c.in, m);
    }
    if (m === null) continue;
    if (view.isExposed(c.id)) m.exposed.push(c);
    else if (CONTROL_PLANES.has(c.kind) || storesCrownJewel(view, c)) m.valuable.push(c);
  }
  // One search from each exposed member (a few hundred at 10,000 components) over the shared
  // component graph, each stopping where it enters the graph's largest cycle (SingleSourceReach): pairs
  // with a flow path from the exposed member to the high-value one are a designed route, and left out.
  const found: Candidate[] = [];
  let g: ComponentGraph | undefined;
  let reach: SingleSourceReach | undefined;
  for (const [boundaryId, { exposed, valuable }] of members) {
    if (exposed.length === 0 || valuable.length === 0) continue;
    let targets: Component[] | undefined;
    const pairs: Pair[] = [];
    for (const e of exposed) {
      const exposedPolicy = appliesControl(e, 'network-policy');
      if (exposedPolicy === true) continue;
      targets ??= valuable.filter((s) => appliesControl(s, 'network-policy') !== true);
      if (targets.length === 0) break;
      g ??= componentGraph(view);
      reach ??= new SingleSourceReach(g);
      reach.search(g.node.get(e) as number);
      for (const s of targets) {
        if (reach.reached(g.node.get(s) as number)) continue;
        pairs.push({
          exposed: e,
          target: s,
          exposedUnstated: exposedPolicy === 'unknown',
          targetUnstated: appliesControl(s, 'network-policy') === 'unknown',
        });
      }
    }
    if (pairs.length > 0) found.push({ boundaryId, pairs });
  }
  return found;
}

function inInternet(chain: readonly Boundary[]): boolean {
  for (const b of chain) if (b.kind === 'internet') return true;
  return false;
}

/** `view.stored(c.id).some(isCrownJewel)`, read through the component's own `stores`. */
function storesCrownJewel(view: View, c: Component): boolean {
  const ids = c.stores;
  if (ids === undefined) return false;
  for (const id of ids) if (isCrownJewel(view.dataAsset(id) as DataAsset)) return true;
  return false;
}

/** Both network-policy questions of a component whose lists are unstated. */
function policyUnknowns(unknowns: Unknown[], c: Component): void {
  unknowns.push({ subject: c.id, attribute: 'controls' }, { subject: c.id, attribute: 'enforces' });
}

function finding(view: View, { boundaryId, pairs }: Candidate): Draft {
  const confirmedPairs = pairs.filter((p) => !p.exposedUnstated && !p.targetUnstated);
  const confirmed = confirmedPairs.length > 0;
  const shown = confirmed ? confirmedPairs : pairs;
  const exposedIds = [...new Set(shown.map((p) => p.exposed.id))];
  const targetIds = [...new Set(shown.map((p) => p.target.id))];
  // The high-value members of all pairs, in order of first appearance: the impact is theirs, and each
  // gets an evidence line (one pass, their crown jewels listed once).
  const targets = [...new Set(pairs.map((p) => p.target))];
  let impact: Impact = 'low';
  const targetLines: string[] = [];
  for (const s of targets) {
    const jewels = view.stored(s.id).filter(isCrownJewel);
    impact = maxImpact(impact, CONTROL_PLANES.has(s.kind) ? 'very-high' : 'low', dataImpact(jewels));
    targetLines.push(
      CONTROL_PLANES.has(s.kind)
        ? `${s.id} is a ${s.kind} in ${boundaryId}`
        : `${s.id} is in ${boundaryId} and stores ${dataList(jewels)}`,
    );
  }
  const b = view.boundary(boundaryId);
  // One pass over the pairs (thousands in a large segment) for the questions and the subjects.
  const unknowns: Unknown[] = [];
  const subjects = new Set<string>();
  for (const p of pairs) {
    if (p.exposedUnstated) policyUnknowns(unknowns, p.exposed);
    if (p.targetUnstated) policyUnknowns(unknowns, p.target);
    subjects.add(p.exposed.id).add(p.target.id);
  }
  return {
    messageId: confirmed ? 'flat' : 'unstated',
    primary: [boundaryId],
    subjects: [...subjects],
    likelihood: 'possible',
    impact,
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      boundary: view.label(boundaryId),
      kind: b?.kind ?? 'segment',
      exposed: exposedIds.map((id) => view.label(id)).join(', '),
      highValue: targetIds.map((id) => view.label(id)).join(', '),
    },
    evidence: [
      ...exposedIds.map((id) => `${id} is in ${boundaryId} and exposed to the internet`),
      ...targetLines,
      `no flow leads from ${exposedIds.join(', ')} to ${targetIds.join(', ')}`,
      ...(confirmed ? ['neither side has network-policy in its controls or enforces'] : []),
    ],
    ...(confirmed ? {} : { unknowns }),
  };
}
