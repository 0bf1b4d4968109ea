import { dominators, UNREACHED } from '../../../model/dominators.js';
import { componentGraph } from '../../../model/graph.js';
import {
  isClient,
  isCopyTarget,
  isCrownJewel,
  isDataStoreKind,
  isProduction,
  isThirdParty,
} from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { truncatedList } from '../../shared/text.js';

/** Holders of the data users need: crown jewels in a copy of record (not a cache, replica or backup). */
function holdsJewels(view: View, c: Component): boolean {
  if (c.kind === 'cache') return false;
  // A loop rather than some(isCrownJewel): asked of every component that stores data.
  const held = view.stored(c.id);
  for (let i = 0; i < held.length; i++) {
    if (isCrownJewel(held[i] as DataAsset)) return !isCopyTarget(view, c);
  }
  return false;
}

/** How many cut-off holders a message names. */
const MAX_NAMED = 4;

/**
 * For each judged component (by node), the holders it cuts off from the internet: the holders (in model
 * order) reached from an entry point, not entry points themselves, such that every path from the entry
 * points to them passes through the component (it dominates them). One dominator tree for the whole
 * model instead of one search per component without it, which was quadratic.
 */
function holdersCutOff(
  view: View,
  holders: readonly Component[],
  judged: Uint8Array,
): (Component[] | undefined)[] {
  const g = componentGraph(view);
  const entries: number[] = [];
  // The graph's nodes are the View's components in model order, so the entry points, in the same
  // order, are found by one pass over the components (no lookup per entry point).
  const components = view.components;
  for (let i = 0; i < components.length; i++)
    if (view.isEntryPoint((components[i] as Component).id)) entries.push(i);
  const { idom, order } = dominators(g, entries);
  // above[v]: the nearest judged strict dominator of v (-1 for none), so that walking up from a holder
  // visits only components that report it. Preorder puts every dominator before the nodes it dominates.
  // Indexed loops: `for of` over a typed array allocates an iterator result per node before V8 optimises.
  const above = new Int32Array(g.size).fill(-1);
  for (let i = 0; i < order.length; i++) {
    const v = order[i] as number;
    const d = idom[v] as number;
    if (d >= 0) above[v] = judged[d] === 1 ? d : (above[d] as number);
  }
  const cut: (Component[] | undefined)[] = new Array(g.size);
  for (let i = 0; i < holders.length; i++) {
    const h = holders[i] as Component;
    const v = g.node.get(h) as number;
    if (view.isEntryPoint(h.id) || idom[v] === UNREACHED) continue;
    for (let d = above[v] as number; d >= 0; d = above[d] as number) {
      const list = cut[d];
      if (list) list.push(h);
      else cut[d] = [h];
    }
  }
  return cut;
}

/**
 * Marks the components that may be judged and those that hold crown jewels in a copy of record; returns
 * the holders in model order. Judged components are first-party and not stated outside production
 * (whether a component is a third party is decided once per boundary), and a component that stores
 * nothing is not looked at as a holder.
 */
function classify(view: View, judged: Uint8Array, holder: Uint8Array): Component[] {
  const holders: Component[] = [];
  const components = view.components;
  for (let i = 0; i < components.length; i++) {
    const c = components[i] as Component;
    // isFirstParty (not a client, not an internet source, not a third party), not outside production
    // (isProduction asked only of the components that state an environment).
    if (isClient(c) || view.isInternetSource(c.id) || isThirdParty(view, c)) continue;
    if (c.environment !== undefined && isProduction(c) === false) continue;
    if (c.replicas === undefined || c.replicas < 2) judged[i] = 1;
    if (c.stores !== undefined && holdsJewels(view, c)) {
      holder[i] = 1;
      holders.push(c);
    }
  }
  return holders;
}

/** "a, b, c, d and 3 more": `truncatedList` of the holders' labels, labelling only those it names. */
function targetsText(view: View, cut: readonly Component[]): string {
  if (cut.length <= MAX_NAMED) return truncatedList(labels(view, cut, cut.length), MAX_NAMED);
  return `${labels(view, cut, MAX_NAMED).join(', ')} and ${cut.length - MAX_NAMED} more`;
}

function labels(view: View, cs: readonly Component[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(view.label((cs[i] as Component).id));
  return out;
}

/** The finding on a judged component that holds crown jewels (`holds`) or cuts holders off (`cut`). */
function draftFor(view: View, c: Component, holds: boolean, cut: readonly Component[]): Draft {
  const jewels = holds ? view.stored(c.id).filter(isCrownJewel) : [];
  const confirmed = c.replicas === 1;
  const targets = targetsText(view, cut);
  const messageId = holds
    ? confirmed
      ? 'single'
      : 'singleUnstated'
    : confirmed
      ? 'chokepoint'
      : 'chokepointUnstated';
  const subjects: string[] = [];
  for (const h of cut) subjects.push(h.id);
  for (const d of jewels) subjects.push(d.id);
  const jewelList = dataList(jewels);
  const evidence = [confirmed ? `${c.id} replicas: 1` : `${c.id} does not state replicas`];
  if (holds) evidence.push(`${c.id} stores ${jewelList}`);
  for (const h of cut) evidence.push(`every path from the entry points to ${h.id} passes through ${c.id}`);
  return {
    messageId,
    primary: [c.id],
    subjects,
    likelihood: view.isExposed(c.id) ? 'likely' : 'possible',
    impact: 'high',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      component: nameOf(c),
      data: jewelList,
      targets,
      how: isDataStoreKind(c)
        ? 'a multi-zone cluster or a standby with automatic failover'
        : 'a load-balanced pool or a managed multi-zone service',
      protects: holds ? jewelList : targets,
    },
    evidence,
    ...(confirmed ? {} : { unknowns: [{ subject: c.id, attribute: 'replicas' }] }),
  };
}

export default defineRule({
  meta: {
    id: 'single-point-of-failure',
    title: 'A single instance stands between users and crown-jewel data',
    summary:
      'A component that holds crown-jewel data, or that every path from the internet to such data passes through (the only gateway, the only identity provider), runs as one instance, so a single crash, patch or zone outage takes the data out of reach.',
    stride: ['denial-of-service'],
    cwe: ['CWE-657'],
    capec: ['CAPEC-607'],
    attack: ['T1499', 'T1498'],
    compliance: {
      'nist-800-53': ['CP-2(8)', 'CP-7', 'CP-10'],
      'iso-27001-2022': ['A.8.14', 'A.5.30'],
      soc2: ['A1.2', 'CC9.1'],
      hipaa: ['164.308(a)(7)(i)'],
    },
    assumes: ['replicas'],
    detection:
      'The rule looks at components the team runs (not clients, third parties or external services, and not components stated to be outside production, whose outages users do not feel). A component is judged when it holds financial, pii, phi, pci, credentials or secret data (caches, replicas and backup targets excepted: they are not the copy users depend on), or when it lies on every path from the entry points to such a holder that the internet can reach (removing it leaves the holder unreachable). It fires when such a component states replicas: 1 (confirmed), or does not state replicas (assumed, with a question).',
    severityRationale:
      'Instances fail routinely (hardware, deployments, zone outages), so likelihood is possible, and likely when the component is exposed to the internet, where load spikes and floods are also aimed at it. Impact is high: the crown-jewel data, and every feature that needs it, is unavailable until the instance is back.',
    falsePositives:
      'Managed services are often redundant without saying so (a managed load balancer, a serverless function, a multi-AZ database). State the number of instances with replicas: 2 or more; if a standby modelled as its own component takes over automatically, state the replicas of the primary accordingly.',
    references: [
      {
        title: 'AWS Well-Architected Reliability Pillar',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/welcome.html',
      },
      {
        title: 'NIST SP 800-34 Rev. 1 Contingency Planning Guide for Federal Information Systems',
        url: 'https://csrc.nist.gov/pubs/sp/800/34/r1/upd1/final',
      },
    ],
    messages: {
      single:
        '{component} holds {data} and runs as a single instance (replicas: 1), so one failure makes that data unavailable.',
      singleUnstated:
        '{component} holds {data}, and the model does not say how many instances of it run, so it may be a single point of failure.',
      chokepoint:
        '{component} runs as a single instance (replicas: 1), and every path from the internet to {targets} goes through it.',
      chokepointUnstated:
        'Every path from the internet to {targets} goes through {component}, and the model does not say how many instances of it run.',
    },
    mitigation:
      'Run {component} as at least two instances in separate availability zones ({how}), so that losing one instance does not cut users off from {protects}.',
  },
  *detect(view) {
    // Per component, once: may it be judged, and does it hold crown jewels in a copy of record.
    const judged = new Uint8Array(view.components.length);
    const holder = new Uint8Array(view.components.length);
    const holders = classify(view, judged, holder);
    if (holders.length === 0) return;
    const cutOff = holdersCutOff(view, holders, judged);
    // Most components are neither judged nor cut anything off: two array reads reject them, and the
    // draft is built by a plain function only for those that report.
    for (let i = 0; i < view.components.length; i++) {
      if (judged[i] === 0 || (holder[i] === 0 && cutOff[i] === undefined)) continue;
      yield draftFor(view, view.components[i] as Component, holder[i] === 1, cutOff[i] ?? []);
    }
  },
});
