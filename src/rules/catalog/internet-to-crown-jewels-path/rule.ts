import { componentGraph } from '../../../model/graph.js';
import { isClient, isThirdParty } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import type { FlowFacts, View } from '../../../model/view.js';
import { ATTACK_PATH_TARGET_CLASSIFICATIONS } from '../../../model/vocabulary.js';
import { type Draft, defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList } from '../../factors.js';
import { boundariesText } from '../../shared/evidence.js';
import { pathText } from '../../shared/paths.js';

const SEGMENTS = new Set(['network', 'subnet', 'cluster']);

const isTarget = (d: DataAsset) => ATTACK_PATH_TARGET_CLASSIFICATIONS.has(d.classification);

/**
 * The team's own stores: not clients, not third parties (a third party's systems, such as Stripe or a
 * partner API, are out of its hands), storing attack-path target data. In model order; a component that
 * stores nothing is rejected before anything else is asked.
 */
function crownJewelStores(view: View): Component[] {
  const thirdParty = (c: Component) => isThirdParty(view, c);
  const targets: Component[] = [];
  for (const c of view.components) {
    if (c.stores === undefined || isClient(c) || thirdParty(c)) continue;
    if (view.stored(c.id).some(isTarget)) targets.push(c);
  }
  return targets;
}

/** The flow crosses a network, subnet or cluster boundary. */
function crossesSegment(f: FlowFacts): boolean {
  for (const b of f.crosses) if (SEGMENTS.has(b.kind)) return true;
  return false;
}

/** The searches a flow may be followed by, one bit each. */
const WEAK = 1;
const NOT_STRONG = 2;
const FLAT = 4;
const UNSET = 8;

function allowedBy(f: FlowFacts): number {
  let bits = 0;
  if (f.authnStrength === 'none' || f.authnStrength === 'weak') bits |= WEAK;
  if (f.authnStrength !== 'strong') bits |= NOT_STRONG;
  // Leaving the internet always crosses into some network; what counts is a crossing after that.
  if (f.fromInternet || !crossesSegment(f)) bits |= FLAT;
  return bits;
}

/**
 * Per node of the component graph, the flow by which a search first reached it: null for an entry point,
 * undefined when the search does not reach it.
 */
type Reached = (FlowFacts | null | undefined)[];

/**
 * The rule's three searches from the entry points: over flows with no or weak authentication (`weak`),
 * with anything but strong authentication (`notStrong`), and crossing no network, subnet or cluster
 * boundary after the edge (`flat`). Each is exactly `view.reachableVia` with that predicate (breadth-first,
 * entry points in model order, each component's flows in `flowsFrom` order, the first flow to reach a
 * component kept), run over the shared integer graph (model/graph.ts): which searches may follow a flow
 * is decided at most once for all three, and the searches index arrays instead of string-keyed Maps.
 * Three `reachableVia` searches (whose keys no other rule shares) were most of the rule's time.
 */
function entrySearches(view: View) {
  const g = componentGraph(view);
  // Filled as the searches first need them: a component's flows (the graph's edges of a node are its
  // flows in `flowsFrom` order), and which searches may follow a flow (UNSET until asked).
  const flowsOf: (readonly FlowFacts[] | undefined)[] = new Array(g.size).fill(undefined);
  const allowed = new Uint8Array(g.targets.length).fill(UNSET);
  const entries: number[] = [];
  for (const c of view.entryPoints) entries.push(g.node.get(c) as number);
  const search = (bit: number): Reached => {
    const via: Reached = new Array(g.size).fill(undefined);
    // A FIFO queue visits nodes in the order of the level-by-level frontiers of `reachableVia`.
    const queue = new Int32Array(g.size);
    let tail = 0;
    for (const v of entries) {
      via[v] = null;
      queue[tail++] = v;
    }
    for (let head = 0; head < tail; head++) {
      const v = queue[head] as number;
      const start = g.offsets[v] as number;
      const end = g.offsets[v + 1] as number;
      let flows = flowsOf[v];
      for (let e = start; e < end; e++) {
        const w = g.targets[e] as number;
        if (via[w] !== undefined) continue;
        if (flows === undefined) {
          flows = view.flowsFrom((g.components[v] as Component).id);
          flowsOf[v] = flows;
        }
        let bits = allowed[e] as number;
        if (bits === UNSET) {
          bits = allowedBy(flows[e - start] as FlowFacts);
          allowed[e] = bits;
        }
        if ((bits & bit) === 0) continue;
        via[w] = flows[e - start] as FlowFacts;
        queue[tail++] = w;
      }
    }
    return via;
  };
  return { node: g.node, weak: search(WEAK), notStrong: search(NOT_STRONG), flat: search(FLAT) };
}

/** The flows from an entry point to node `v` recorded by a search, as `view.pathTo` gives them. */
function pathTo(node: ReadonlyMap<Component, number>, via: Reached, v: number): FlowFacts[] {
  const path: FlowFacts[] = [];
  for (let f = via[v]; f; f = via[node.get(f.from) as number]) path.push(f);
  return path.reverse();
}

/** What every finding on a target states about it. */
interface TargetFacts {
  target: Component;
  impact: Impact;
  /** `dataList` of the target's attack-path data. */
  stores: string;
}

function subjectsOf(path: readonly FlowFacts[]): string[] {
  const subjects: string[] = [];
  for (const f of path) subjects.push(f.id, f.from.id);
  return subjects;
}

function dataOf(view: View, t: TargetFacts, path: readonly FlowFacts[]): Draft['data'] {
  return {
    target: view.label(t.target.id),
    data: t.stores,
    entry: view.label(path[0]?.from.id ?? t.target.id),
    path: pathText(path),
  };
}

/** A path from the internet with no strong authentication (`confirmed`: none or weak at every hop). */
function authnDraft(view: View, t: TargetFacts, path: readonly FlowFacts[], confirmed: boolean): Draft {
  const evidence = [`${t.target.id} stores ${t.stores}`];
  for (const f of path) evidence.push(`flow ${f.id}: authn ${f.authn}`);
  const common = {
    primary: [t.target.id],
    impact: t.impact,
    messageId: confirmed ? 'noStrongAuthn' : 'noStrongAuthnUnstated',
    subjects: subjectsOf(path),
    likelihood: 'very-likely' as const,
    confidence: confirmed ? ('confirmed' as const) : ('assumed' as const),
    data: dataOf(view, t, path),
    evidence,
  };
  if (confirmed) return common;
  const unknowns: Unknown[] = [];
  for (const f of path)
    if (f.authnStrength === 'unknown') unknowns.push({ subject: f.id, attribute: 'authn' });
  return { ...common, unknowns };
}

/** A path from the internet that crosses no network, subnet or cluster boundary after the edge. */
function segmentationDraft(view: View, t: TargetFacts, path: readonly FlowFacts[]): Draft {
  const evidence = [`${t.target.id} stores ${t.stores}`];
  for (const f of path)
    evidence.push(
      `flow ${f.id}: ${f.crosses.length === 0 ? 'crosses no boundary' : `crosses ${boundariesText(f.crosses)}`}`,
    );
  return {
    primary: [t.target.id],
    impact: t.impact,
    messageId: 'noSegmentation',
    subjects: subjectsOf(path),
    likelihood: 'likely',
    confidence: 'confirmed',
    data: dataOf(view, t, path),
    evidence,
  };
}

export default defineRule({
  meta: {
    id: 'internet-to-crown-jewels-path',
    title: 'Crown-jewel data reachable from the internet without a strong barrier',
    summary:
      'A component holding personal, health, card, credential or secret data can be reached from the internet along a chain of flows that never requires strong authentication, or that never crosses a network segment, so one weak link exposes the data.',
    stride: ['information-disclosure', 'elevation-of-privilege'],
    cwe: ['CWE-284', 'CWE-668'],
    capec: ['CAPEC-1'],
    attack: ['T1190', 'T1021'],
    compliance: {
      'nist-800-53': ['SC-7', 'AC-4', 'SC-7(5)'],
      'iso-27001-2022': ['A.8.22', 'A.8.20', 'A.8.3'],
      soc2: ['CC6.1', 'CC6.6'],
      'pci-dss-4': ['1.3.1', '1.4.4'],
      'owasp-asvs-5': ['V8.2.1'],
      hipaa: ['164.312(a)(1)', '164.308(a)(4)(i)'],
    },
    assumes: ['authn'],
    detection:
      'For every component the team runs itself (not an external service, user or client, nor inside a third-party boundary) that stores pii, phi, pci, credentials or secret data, the rule asks the View two reachability questions from the entry points: can it be reached using only flows whose authentication is none or weak (api-key, basic, password), and can it be reached using only flows that cross no network, subnet or cluster boundary once inside (the hop out of the internet always enters some network, so it does not count)? Either makes a confirmed finding. When strong authentication is missing only because some flow on the way does not state its authentication, the finding is assumed, with a question per such flow.',
    severityRationale:
      'Impact is the classification of the data held (very high for phi, pci, credentials and secrets; high for pii). Likelihood is very likely when no strong authentication stands on the path, likely when authentication exists but nothing segments the network.',
    falsePositives:
      'A control the model does not show may stand on the path (a VPN, a bastion, a private link). Model it: a boundary for the segment, the flow’s `authn`, or `via: vpn`.',
    references: [
      {
        title: 'NIST SP 800-53 SC-7 Boundary Protection',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
      { title: 'PCI DSS v4.0 Requirement 1', url: 'https://www.pcisecuritystandards.org/document_library/' },
    ],
    messages: {
      noStrongAuthn:
        '{target}, which holds {data}, can be reached from {entry} along {path} without strong authentication on any hop.',
      noStrongAuthnUnstated:
        '{target}, which holds {data}, can be reached from {entry} along {path}, and no hop is known to require strong authentication.',
      noSegmentation:
        '{target}, which holds {data}, can be reached from {entry} along {path} without crossing any network, subnet or cluster boundary.',
    },
    mitigation:
      'Put a strong barrier between the internet and {target}: require strong authentication (OIDC, OAuth 2, mTLS, IAM) on the flows along {path}, and place {target} in its own network or subnet reachable only from the services that need it.',
  },
  *detect(view) {
    const targets = crownJewelStores(view);
    if (targets.length === 0) return;
    const { node, weak, notStrong, flat } = entrySearches(view);
    for (const t of targets) {
      if (view.isEntryPoint(t.id)) continue; // directly exposed: public-datastore and exposure rules speak to it
      // Which searches reach the target decides everything; most targets are reached by none of them.
      const v = node.get(t) as number;
      const authn = weak[v] !== undefined ? weak : notStrong[v] !== undefined ? notStrong : undefined;
      const segmented = !(flat[v] !== undefined && t.in !== undefined);
      if (authn === undefined && segmented) continue;
      const jewels = view.stored(t.id).filter(isTarget);
      const facts: TargetFacts = { target: t, impact: dataImpact(jewels), stores: dataList(jewels) };
      if (authn !== undefined) yield authnDraft(view, facts, pathTo(node, authn, v), authn === weak);
      if (!segmented) yield segmentationDraft(view, facts, pathTo(node, flat, v));
    }
  },
});
