import {
  isCopyFlow,
  isCopyTarget,
  isCrownJewel,
  isFirstParty,
  isProduction,
} from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import type { FlowFacts, View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';

/** The component and every copy linked to it by replication or backup flows (either way), with those flows. */
function copyGroup(view: View, start: Component): { members: Component[]; flows: FlowFacts[] } {
  const members = new Map<string, Component>([[start.id, start]]);
  const flows = new Map<string, FlowFacts>();
  const stack = [start];
  const visit = (c: Component, f: FlowFacts) => {
    if (!isCopyFlow(f)) return;
    flows.set(f.id, f);
    const other = f.from.id === c.id ? f.to : f.from;
    if (!members.has(other.id)) {
      members.set(other.id, other);
      stack.push(other);
    }
  };
  while (stack.length > 0) {
    const c = stack.pop() as Component;
    // Outgoing flows first, then incoming ones (no concatenated list per component).
    for (const f of view.flowsFrom(c.id)) visit(c, f);
    for (const f of view.flowsTo(c.id)) visit(c, f);
  }
  return { members: [...members.values()], flows: [...flows.values()] };
}

/** The crown-jewel data a component stores (undefined when none), without a list for the others. */
function crownJewels(view: View, c: Component): DataAsset[] | undefined {
  if (c.stores === undefined) return undefined;
  let jewels: DataAsset[] | undefined;
  for (const d of view.stored(c.id)) {
    if (!isCrownJewel(d)) continue;
    jewels ??= [];
    jewels.push(d);
  }
  return jewels;
}

/** Whether a replication or backup flow starts or ends at the component: without one it has no copy. */
function hasCopyFlow(view: View, c: Component): boolean {
  for (const f of view.flowsFrom(c.id)) if (isCopyFlow(f)) return true;
  for (const f of view.flowsTo(c.id)) if (isCopyFlow(f)) return true;
  return false;
}

/** Whether a copy of the group is outside the region (or in none). */
function leavesRegion(view: View, copies: readonly Component[], region: Boundary): boolean {
  for (const m of copies) if (view.nearest(m.id, 'region')?.id !== region.id) return true;
  return false;
}

/** The finding for one component, or undefined; the cheap checks come first. */
function judge(view: View, c: Component): Draft | undefined {
  // Most components store no crown jewels: that is the first (and cheapest) test.
  const jewels = crownJewels(view, c);
  if (jewels === undefined) return undefined;
  if (!isFirstParty(view, c)) return undefined;
  if (isProduction(c) === false || isCopyTarget(view, c)) return undefined;
  const region = view.nearest(c.id, 'region');
  if (!region || !hasCopyFlow(view, c)) return undefined;
  const { members, flows } = copyGroup(view, c);
  if (members.length < 2) return undefined;
  const copies = members.filter((m) => m.id !== c.id);
  if (leavesRegion(view, copies, region)) return undefined;
  return {
    messageId: 'singleRegion',
    primary: [c.id],
    subjects: [region.id, ...copies.map((m) => m.id), ...flows.map((f) => f.id), ...jewels.map((d) => d.id)],
    likelihood: 'unlikely',
    impact: 'high',
    confidence: 'confirmed',
    data: {
      component: view.label(c.id),
      data: dataList(jewels),
      copies: copies.map((m) => view.label(m.id)).join(', '),
      region: view.label(region.id),
    },
    evidence: [
      `${c.id} stores ${dataList(jewels)}`,
      ...flows.map((f) => `flow ${f.id}: purpose ${f.flow.purpose}, ${f.from.id} → ${f.to.id}`),
      `${[c, ...copies].map((m) => m.id).join(', ')} are all in region ${region.id}`,
    ],
  };
}

export default defineRule({
  meta: {
    id: 'single-region-crown-jewels',
    title: 'All copies of crown-jewel data live in one region',
    summary:
      'Crown-jewel data is replicated or backed up, but every copy sits in the same cloud region as the original, so a regional outage or a region-wide incident makes all of them unavailable at once.',
    stride: ['denial-of-service'],
    cwe: ['CWE-653'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['CP-6', 'CP-6(1)', 'CP-7', 'CP-7(1)'],
      'iso-27001-2022': ['A.5.30', 'A.8.14'],
      soc2: ['A1.2', 'CC9.1'],
      hipaa: ['164.308(a)(7)(ii)(B)'],
    },
    assumes: [],
    detection:
      'For a production component the team runs that stores financial, pii, phi, pci, credentials or secret data and is not itself a replica or backup target, the rule collects every copy linked to it by flows with purpose replication or backup (following copies of copies). It fires when there is at least one copy and the original and all copies have the same nearest region boundary. It does not fire when there is no copy at all (crown-jewels-without-backup speaks to that) or when some member of the group has no region in the model.',
    severityRationale:
      'A full regional outage is rare, so likelihood is unlikely; when it happens, every copy is out of reach together and recovery waits for the provider, so impact is high.',
    falsePositives:
      'A cross-region copy may exist outside the model (a provider-managed geo-redundant backup, a cross-region snapshot copy). Model that copy as its own component in its region with a flow of purpose backup or replication.',
    references: [
      {
        title: 'AWS Well-Architected Reliability Pillar: Plan for disaster recovery',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_planning_for_recovery_disaster_recovery.html',
      },
      {
        title: 'NIST SP 800-34 Rev. 1 Contingency Planning Guide for Federal Information Systems',
        url: 'https://csrc.nist.gov/pubs/sp/800/34/r1/upd1/final',
      },
    ],
    messages: {
      singleRegion:
        '{component} holds {data}, and every copy of it ({copies}) is in {region} too, so a regional outage takes all of them at once.',
    },
    mitigation:
      'Keep one copy of the data of {component} outside {region}: replicate it, or copy its backups from {copies}, to a second region, and rehearse failing over or restoring there.',
  },
  *detect(view) {
    for (const c of view.components) {
      const draft = judge(view, c);
      if (draft) yield draft;
    }
  },
});
