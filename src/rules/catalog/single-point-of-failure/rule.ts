import { dominators, UNREACHED } from '../../../model/dominators.js';
import { componentGraph } from '../../../model/graph.js';
import {
  isCopyTarget,
  isCrownJewel,
  isDataStoreKind,
  isFirstParty,
  isProduction,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import type { View } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { truncatedList } from '../../shared/text.js';

/** Holders of the data users need: crown jewels in a copy of record (not a cache, replica or backup). */
const holdsJewels = (view: View, c: Component) =>
  c.kind !== 'cache' && view.stored(c.id).some(isCrownJewel) && !isCopyTarget(view, c);

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
  for (let i = 0; i < g.size; i++) if (view.isEntryPoint((g.components[i] as Component).id)) entries.push(i);
  const { idom, order } = dominators(g, entries);
  // above[v]: the nearest judged strict dominator of v (-1 for none), so that walking up from a holder
  // visits only components that report it. Preorder puts every dominator before the nodes it dominates.
  const above = new Int32Array(g.size).fill(-1);
  for (const v of order) {
    const d = idom[v] as number;
    if (d >= 0) above[v] = judged[d] === 1 ? d : (above[d] as number);
  }
  const cut: (Component[] | undefined)[] = new Array(g.size);
  for (const h of holders) {
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
    const holders: Component[] = [];
    view.components.forEach((c, i) => {
      // Components whose availability is the team's to design: not clients, not third parties, not
      // stated to be outside production.
      if (!isFirstParty(view, c) || isProduction(c) === false) return;
      if (c.replicas === undefined || c.replicas < 2) judged[i] = 1;
      if (holdsJewels(view, c)) {
        holder[i] = 1;
        holders.push(c);
      }
    });
    if (holders.length === 0) return;
    const cutOff = holdersCutOff(view, holders, judged);
    for (let i = 0; i < view.components.length; i++) {
      const c = view.components[i] as Component;
      if (judged[i] === 0 || (holder[i] === 0 && cutOff[i] === undefined)) continue;
      const jewels = holder[i] === 1 ? view.stored(c.id).filter(isCrownJewel) : [];
      const cut = cutOff[i] ?? [];

      const confirmed = c.replicas === 1;
      const holds = jewels.length > 0;
      const targets = truncatedList(
        cut.map((h) => view.label(h.id)),
        MAX_NAMED,
      );
      const messageId = holds
        ? confirmed
          ? 'single'
          : 'singleUnstated'
        : confirmed
          ? 'chokepoint'
          : 'chokepointUnstated';
      yield {
        messageId,
        primary: [c.id],
        subjects: [...cut.map((h) => h.id), ...jewels.map((d) => d.id)],
        likelihood: view.isExposed(c.id) ? 'likely' : 'possible',
        impact: 'high',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          component: view.label(c.id),
          data: dataList(jewels),
          targets,
          how: isDataStoreKind(c)
            ? 'a multi-zone cluster or a standby with automatic failover'
            : 'a load-balanced pool or a managed multi-zone service',
          protects: holds ? dataList(jewels) : targets,
        },
        evidence: [
          confirmed ? `${c.id} replicas: 1` : `${c.id} does not state replicas`,
          ...(holds ? [`${c.id} stores ${dataList(jewels)}`] : []),
          ...cut.map((h) => `every path from the entry points to ${h.id} passes through ${c.id}`),
        ],
        ...(confirmed ? {} : { unknowns: [{ subject: c.id, attribute: 'replicas' }] }),
      };
    }
  },
});
