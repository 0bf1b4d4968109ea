import {
  isCopyFlow,
  isCopyTarget,
  isCrownJewel,
  isFirstParty,
  isProduction,
} from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';

/** The component and every copy linked to it by replication or backup flows (either way), with those flows. */
interface CopyGroup {
  members: Map<string, Component>;
  flows: Map<string, FlowFacts>;
  stack: Component[];
}

function copyGroup(view: View, start: Component): CopyGroup {
  const group: CopyGroup = {
    members: new Map<string, Component>([[start.id, start]]),
    flows: new Map<string, FlowFacts>(),
    stack: [start],
  };
  while (group.stack.length > 0) {
    const c = group.stack.pop() as Component;
    // Outgoing flows first, then incoming ones (no concatenated list per component).
    visit(group, c, view.flowsFrom(c.id));
    visit(group, c, view.flowsTo(c.id));
  }
  return group;
}

/** Adds the copy flows of a list (the flows from or to `c`) and the components at their other ends. */
function visit(group: CopyGroup, c: Component, list: readonly FlowFacts[]): void {
  for (let i = 0; i < list.length; i++) {
    const f = list[i] as FlowFacts;
    if (!isCopyFlow(f)) continue;
    group.flows.set(f.id, f);
    const other = f.from.id === c.id ? f.to : f.from;
    if (!group.members.has(other.id)) {
      group.members.set(other.id, other);
      group.stack.push(other);
    }
  }
}

/** The crown-jewel data a component stores (undefined when none), without a list for the others. */
function crownJewels(view: View, c: Component): DataAsset[] | undefined {
  if (c.stores === undefined) return undefined;
  let jewels: DataAsset[] | undefined;
  const held = view.stored(c.id);
  for (let i = 0; i < held.length; i++) {
    const d = held[i] as DataAsset;
    if (!isCrownJewel(d)) continue;
    jewels ??= [];
    jewels.push(d);
  }
  return jewels;
}

/** Whether a replication or backup flow starts or ends at the component: without one it has no copy. */
function hasCopyFlow(view: View, c: Component): boolean {
  const out = view.flowsFrom(c.id);
  for (let i = 0; i < out.length; i++) if (isCopyFlow(out[i] as FlowFacts)) return true;
  const into = view.flowsTo(c.id);
  for (let i = 0; i < into.length; i++) if (isCopyFlow(into[i] as FlowFacts)) return true;
  return false;
}

/** Whether a member of the group other than `c` is outside `c`'s region (or in none). */
function leavesRegion(
  view: View,
  members: ReadonlyMap<string, Component>,
  c: Component,
  region: Boundary,
): boolean {
  for (const m of members.values()) {
    if (m !== c && view.nearest(m.id, 'region')?.id !== region.id) return true;
  }
  return false;
}

/**
 * The finding for one component, or undefined; the cheap checks come first. `spread` holds the members
 * of the copy groups already found to span more than one region (or a member in none): every holder in
 * such a group has a copy outside its region, so its group is not searched again.
 */
function judge(view: View, c: Component, spread: Set<string>): Draft | undefined {
  // Most components store no crown jewels: that is the first (and cheapest) test.
  const jewels = crownJewels(view, c);
  if (jewels === undefined) return undefined;
  if (!isFirstParty(view, c)) return undefined;
  if (isProduction(c) === false || isCopyTarget(view, c)) return undefined;
  const region = view.nearest(c.id, 'region');
  if (!region || !hasCopyFlow(view, c) || spread.has(c.id)) return undefined;
  const { members, flows } = copyGroup(view, c);
  if (members.size < 2) return undefined;
  if (leavesRegion(view, members, c, region)) {
    for (const id of members.keys()) spread.add(id);
    return undefined;
  }
  return draftFor(c, region, members, flows, jewels);
}

function draftFor(
  c: Component,
  region: Boundary,
  members: ReadonlyMap<string, Component>,
  flows: ReadonlyMap<string, FlowFacts>,
  jewels: readonly DataAsset[],
): Draft {
  const subjects = [region.id];
  const copyLabels: string[] = [];
  const ids = [c.id];
  for (const m of members.values()) {
    if (m === c) continue;
    subjects.push(m.id);
    copyLabels.push(nameOf(m));
    ids.push(m.id);
  }
  const data = dataList(jewels);
  const evidence = [`${c.id} stores ${data}`];
  for (const f of flows.values()) {
    subjects.push(f.id);
    evidence.push(`flow ${f.id}: purpose ${f.flow.purpose}, ${f.from.id} → ${f.to.id}`);
  }
  for (let i = 0; i < jewels.length; i++) subjects.push((jewels[i] as DataAsset).id);
  evidence.push(`${ids.join(', ')} are all in region ${region.id}`);
  return {
    messageId: 'singleRegion',
    primary: [c.id],
    subjects,
    likelihood: 'unlikely',
    impact: 'high',
    confidence: 'confirmed',
    data: {
      component: nameOf(c),
      data,
      copies: copyLabels.join(', '),
      region: nameOf(region),
    },
    evidence,
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
    const spread = new Set<string>();
    // An indexed loop: a for-of loop allocates a result object per component until the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const draft = judge(view, components[i] as Component, spread);
      if (draft) yield draft;
    }
  },
});
