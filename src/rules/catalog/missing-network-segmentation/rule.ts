import { componentGraph, reachability } from '../../../model/graph.js';
import { appliesControl, isClient, isCrownJewel, segment } from '../../../model/queries.js';
import type { Boundary, Component } from '../../../model/schema.js';
import { defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, maxImpact } from '../../factors.js';

const CONTROL_PLANES = new Set(['secret-store', 'identity-provider']);

const policyUnknowns = (c: Component): Unknown[] =>
  appliesControl(c, 'network-policy') === 'unknown'
    ? [
        { subject: c.id, attribute: 'controls' },
        { subject: c.id, attribute: 'enforces' },
      ]
    : [];

interface Pair {
  exposed: Component;
  target: Component;
  unknowns: Unknown[];
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
    // The exposed and the high-value members of each segment (innermost network, subnet, cluster,
    // namespace or host), internet sources and clients left out; segments in the order of their first
    // member. Which segment a component is in, and whether it is an internet source, depend only on its
    // `in` boundary: decided once per boundary.
    const zones = new Map<string, { internet: boolean; segment: Boundary | undefined }>();
    const members = new Map<string, { exposed: Component[]; valuable: Component[] }>();
    for (const c of view.components) {
      if (c.in === undefined || isClient(c)) continue;
      let zone = zones.get(c.in);
      if (!zone) {
        const chain = view.ancestry(c.in);
        zone = { internet: chain.some((b) => b.kind === 'internet'), segment: segment(view, c) };
        zones.set(c.in, zone);
      }
      if (zone.internet || zone.segment === undefined) continue;
      let m = members.get(zone.segment.id);
      if (!m) {
        m = { exposed: [], valuable: [] };
        members.set(zone.segment.id, m);
      }
      if (view.isExposed(c.id)) m.exposed.push(c);
      else if (CONTROL_PLANES.has(c.kind) || view.stored(c.id).some(isCrownJewel)) m.valuable.push(c);
    }
    // The candidate pairs of every segment first, then one batch of reachability questions for all of
    // them (one search per exposed component was quadratic).
    const candidates: { boundaryId: string; pairs: Pair[] }[] = [];
    for (const [boundaryId, { exposed, valuable }] of members) {
      if (exposed.length === 0 || valuable.length === 0) continue;
      const pairs: Pair[] = [];
      for (const e of exposed) {
        if (appliesControl(e, 'network-policy') === true) continue;
        for (const s of valuable) {
          if (appliesControl(s, 'network-policy') === true) continue;
          pairs.push({ exposed: e, target: s, unknowns: [...policyUnknowns(e), ...policyUnknowns(s)] });
        }
      }
      if (pairs.length > 0) candidates.push({ boundaryId, pairs });
    }
    const g = componentGraph(view);
    const reached = reachability(
      g,
      candidates.flatMap((x) =>
        x.pairs.map((p) => ({ from: g.node.get(p.exposed) as number, to: g.node.get(p.target) as number })),
      ),
    );
    let q = 0;
    for (const candidate of candidates) {
      const boundaryId = candidate.boundaryId;
      // Pairs with a flow path from the exposed member to the high-value one are a designed route.
      const pairs = candidate.pairs.filter(() => reached[q++] === 0);
      if (pairs.length === 0) continue;
      const confirmedPairs = pairs.filter((p) => p.unknowns.length === 0);
      const confirmed = confirmedPairs.length > 0;
      const shown = confirmed ? confirmedPairs : pairs;
      const exposedIds = [...new Set(shown.map((p) => p.exposed.id))];
      const targetIds = [...new Set(shown.map((p) => p.target.id))];
      const impact = pairs.reduce<Impact>(
        (m, p) =>
          maxImpact(
            m,
            CONTROL_PLANES.has(p.target.kind) ? 'very-high' : 'low',
            dataImpact(view.stored(p.target.id).filter(isCrownJewel)),
          ),
        'low',
      );
      const b = view.boundary(boundaryId);
      const unknowns = pairs.flatMap((p) => p.unknowns);
      yield {
        messageId: confirmed ? 'flat' : 'unstated',
        primary: [boundaryId],
        subjects: [...new Set(pairs.flatMap((p) => [p.exposed.id, p.target.id]))],
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
          ...[...new Set(pairs.map((p) => p.target))].map((s) =>
            CONTROL_PLANES.has(s.kind)
              ? `${s.id} is a ${s.kind} in ${boundaryId}`
              : `${s.id} is in ${boundaryId} and stores ${dataList(view.stored(s.id).filter(isCrownJewel))}`,
          ),
          `no flow leads from ${exposedIds.join(', ')} to ${targetIds.join(', ')}`,
          ...(confirmed ? ['neither side has network-policy in its controls or enforces'] : []),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
