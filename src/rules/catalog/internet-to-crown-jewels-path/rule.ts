import { isClient, isThirdParty } from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { ATTACK_PATH_TARGET_CLASSIFICATIONS } from '../../../model/vocabulary.js';
import { type Draft, defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList } from '../../factors.js';
import { boundariesText } from '../../shared/evidence.js';
import { pathText } from '../../shared/paths.js';

const isTarget = (d: DataAsset) => ATTACK_PATH_TARGET_CLASSIFICATIONS.has(d.classification);

/** The flow crosses a network, subnet or cluster boundary (plain comparisons: crossings are short). */
function crossesSegment(f: FlowFacts): boolean {
  const crosses = f.crosses;
  for (let i = 0; i < crosses.length; i++) {
    const kind = (crosses[i] as Boundary).kind;
    if (kind === 'network' || kind === 'subnet' || kind === 'cluster') return true;
  }
  return false;
}

/** The searches: which flows each may follow. */
const WEAK = 0;
const NOT_STRONG = 1;
const FLAT = 2;

function allows(search: number, f: FlowFacts): boolean {
  const strength = f.authnStrength;
  if (search === WEAK) return strength === 'none' || strength === 'weak';
  if (search === NOT_STRONG) return strength !== 'strong';
  // Leaving the internet always crosses into some network; what counts is a crossing after that.
  return f.fromInternet || !crossesSegment(f);
}

/** Per reached component, the flow by which a search first reached it (null for an entry point). */
type Reached = Map<Component, FlowFacts | null>;

/**
 * One of the rule's three searches from the entry points: over flows with no or weak authentication
 * (`WEAK`), with anything but strong authentication (`NOT_STRONG`), and crossing no network, subnet or
 * cluster boundary after the edge (`FLAT`). Each is exactly `view.reachableVia` with that predicate
 * (breadth-first, entry points in model order, each component's flows in `flowsFrom` order, the first
 * flow to reach a component kept). Each reaches a fifth or less of the model, so a search that touches
 * only the components it reaches (a Map keyed by the View's component objects, a FIFO queue that visits
 * nodes in the order of `reachableVia`'s level-by-level frontiers) is cheaper than building an integer
 * graph of every flow first.
 */
function entrySearch(view: View, entries: readonly Component[], search: number): Reached {
  const via: Reached = new Map();
  const queue: Component[] = [];
  for (let i = 0; i < entries.length; i++) {
    const c = entries[i] as Component;
    via.set(c, null);
    queue.push(c);
  }
  for (let head = 0; head < queue.length; head++) {
    const flows = view.flowsFrom((queue[head] as Component).id);
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      const to = f.to;
      if (via.has(to) || !allows(search, f)) continue;
      via.set(to, f);
      queue.push(to);
    }
  }
  return via;
}

/** The flows from an entry point to `c` recorded by a search, as `view.pathTo` gives them. */
function pathTo(via: Reached, c: Component): FlowFacts[] {
  const path: FlowFacts[] = [];
  for (let f = via.get(c); f; f = via.get(f.from)) path.push(f);
  return path.reverse();
}

/**
 * The team's own stores that a search reaches, in model order: not entry points (directly exposed:
 * public-datastore and exposure rules speak to them), not clients, not third parties (a third party's
 * systems, such as Stripe or a partner API, are out of its hands), storing attack-path target data. A
 * component that stores nothing or that no search reaches is rejected before anything else is asked; the
 * data is read by id, so nothing is allocated for a component that is not a target. A plain function
 * rather than the generator's loop, so V8 can optimise it as one.
 */
function reachedCrownJewelStores(view: View, notStrong: Reached, flat: Reached): Component[] {
  const targets: Component[] = [];
  const components = view.components;
  for (let i = 0; i < components.length; i++) {
    const c = components[i] as Component;
    const stores = c.stores;
    if (stores === undefined) continue;
    const byAuthn = notStrong.get(c);
    // null: an entry point (every search starts there).
    if (byAuthn === null) continue;
    if (byAuthn === undefined && (c.in === undefined || !flat.has(c))) continue;
    if (isClient(c)) continue;
    let target = false;
    for (let j = 0; j < stores.length; j++) {
      const d = view.dataAsset(stores[j] as string) as DataAsset;
      if (ATTACK_PATH_TARGET_CLASSIFICATIONS.has(d.classification)) {
        target = true;
        break;
      }
    }
    if (target && !isThirdParty(view, c)) targets.push(c);
  }
  return targets;
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
    target: nameOf(t.target),
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
    const entries = view.entryPoints;
    if (entries.length === 0) return;
    // The searches first (they touch only what they reach), then the components in model order: those
    // that store nothing or that no search reaches are rejected before anything else is asked. The weak
    // search follows a subset of the flows the not-strong one follows, so it reaches a subset too.
    const weak = entrySearch(view, entries, WEAK);
    const notStrong = entrySearch(view, entries, NOT_STRONG);
    const flat = entrySearch(view, entries, FLAT);
    const targets = reachedCrownJewelStores(view, notStrong, flat);
    for (const t of targets) {
      const authn = !notStrong.has(t) ? undefined : weak.has(t) ? weak : notStrong;
      const segmented = t.in === undefined || !flat.has(t);
      const jewels = view.stored(t.id).filter(isTarget);
      const facts: TargetFacts = { target: t, impact: dataImpact(jewels), stores: dataList(jewels) };
      if (authn !== undefined) yield authnDraft(view, facts, pathTo(authn, t), authn === weak);
      if (!segmented) yield segmentationDraft(view, facts, pathTo(flat, t));
    }
  },
});
