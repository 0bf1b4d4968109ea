import { dataReaches, isCrownJewel, isProduction } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel } from '../../factors.js';
import { uniqueById } from '../../shared/unique.js';

interface Inflow {
  flow: FlowFacts;
  source: Component;
  data: DataAsset[];
  /** The source states production (true), or states nothing but stores the same data (false). */
  stated: boolean;
}

/** A crown-jewel inflow into a non-production component over `flow` from `source`, if it is one. */
function consider(inflows: Inflow[], flow: FlowFacts, source: Component): void {
  const prod = isProduction(source);
  if (prod === true) {
    inflows.push({ flow, source, data: flow.data.filter(isCrownJewel), stated: true });
    return;
  }
  if (prod === 'unknown') {
    // `stores` lists are short: `includes` rather than a Set per flow.
    const kept = source.stores ?? [];
    const same = flow.data.filter((d) => isCrownJewel(d) && kept.includes(d.id));
    if (same.length > 0) inflows.push({ flow, source, data: same, stated: false });
  }
}

/** The flow carries crown-jewel data (checked before its direction and ends, and before any list is made). */
function carriesCrownJewels(f: FlowFacts): boolean {
  const data = f.data;
  for (let i = 0; i < data.length; i++) if (isCrownJewel(data[i] as DataAsset)) return true;
  return false;
}

const NO_DATA: readonly DataAsset[] = Object.freeze([]);

/** The finding on a component stated outside production, when it holds or receives crown jewels. */
function draftFor(view: View, c: Component): Draft | undefined {
  const stored = view.stored(c.id);
  const held = stored.length === 0 ? NO_DATA : stored.filter(isCrownJewel);
  const inflows: Inflow[] = [];
  // Indexed: a for-of loop allocates per flow until the code is optimised.
  const into = view.flowsTo(c.id);
  for (let i = 0; i < into.length; i++) {
    const f = into[i] as FlowFacts;
    if (carriesCrownJewels(f) && dataReaches(f.flow, 'to')) consider(inflows, f, f.from);
  }
  const out = view.flowsFrom(c.id);
  for (let i = 0; i < out.length; i++) {
    const f = out[i] as FlowFacts;
    if (carriesCrownJewels(f) && dataReaches(f.flow, 'from')) consider(inflows, f, f.to);
  }
  if (held.length === 0 && inflows.length === 0) return undefined;
  const fromProduction = inflows.filter((i) => i.stated);
  const unstated = inflows.filter((i) => !i.stated);
  const shown =
    held.length > 0
      ? held
      : uniqueById((fromProduction.length > 0 ? fromProduction : unstated).flatMap((i) => i.data));
  const relevant = held.length > 0 ? fromProduction : fromProduction.length > 0 ? fromProduction : unstated;
  const sources = [...new Set(relevant.map((i) => i.source.id))];
  const confirmed = held.length > 0 || fromProduction.length > 0;
  const unknowns: Unknown[] = confirmed
    ? []
    : [...new Set(unstated.map((i) => i.source.id))].map((id) => ({
        subject: id,
        attribute: 'environment',
      }));
  const all = uniqueById([...held, ...inflows.flatMap((i) => i.data)]);
  const sourceLabels = sources.map((s) => view.label(s)).join(', ');
  return {
    messageId: held.length > 0 ? 'holds' : fromProduction.length > 0 ? 'receives' : 'receivesUnstated',
    primary: [c.id],
    subjects: [...all.map((d) => d.id), ...inflows.flatMap((i) => [i.flow.id, i.source.id])],
    likelihood: 'likely',
    impact: dataImpact(all),
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      component: nameOf(c),
      environment: c.environment,
      data: dataList(shown),
      origin: sources.length > 0 ? `, copied from production ${sourceLabels}` : '',
      sources: sourceLabels,
      stop:
        inflows.length > 0
          ? `, and stop sending real data over ${inflows.map((i) => flowLabel(i.flow)).join(', ')}`
          : '',
    },
    evidence: [
      `${c.id} environment: ${c.environment}`,
      ...held.map((d) => `${c.id} stores ${d.id} (${d.classification})`),
      ...inflows.map(
        (i) =>
          `flow ${i.flow.id} brings ${i.data.map((d) => d.id).join(', ')} from ${i.source.id} (${i.stated ? `environment: ${i.source.environment}` : 'environment not stated; it stores the same data'})`,
      ),
    ],
    ...(confirmed ? {} : { unknowns }),
  };
}

export default defineRule({
  meta: {
    id: 'production-data-in-non-production',
    title: 'Crown-jewel data is held in a non-production environment',
    summary:
      'A staging, test or development component stores crown-jewel data or receives it from production, where controls are weaker and many more people have access, so real customer, payment or secret data leaks through the side door.',
    stride: ['information-disclosure'],
    cwe: ['CWE-200', 'CWE-359'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['SI-12(2)', 'PM-25'],
      'iso-27001-2022': ['A.8.31', 'A.8.33'],
      soc2: ['C1.1'],
      'pci-dss-4': ['6.5.5', '6.5.6'],
    },
    assumes: ['environment'],
    detection:
      'A component with a stated non-production environment (anything but production or prod) is reported when it stores crown jewels (financial, pii, phi, pci, credentials, secret), or when a flow brings it crown jewels from a production component (the data travels towards it by the direction rule of the flow’s actions). When the sending component states no environment but itself stores the crown jewels the flow carries, the finding is assumed, with a question about that component’s environment. Masked or synthetic data modelled as its own data item with a lower classification does not count. One finding per non-production component.',
    severityRationale:
      'Impact is the data impact of the crown jewels involved: a leak from staging is as damaging as one from production. Likelihood is likely: non-production environments have weaker controls, broader access and more copies, and are rarely monitored like production.',
    falsePositives:
      'The data may already be masked or synthetic while the model reuses the production data item. Model the masked data as its own data item with the classification it really has (internal or confidential), and let the non-production component store or receive that item instead.',
    references: [
      {
        title: 'NIST SP 800-188 De-Identifying Government Datasets',
        url: 'https://csrc.nist.gov/pubs/sp/800/188/final',
      },
      {
        title: 'CWE-359: Exposure of Private Personal Information to an Unauthorized Actor',
        url: 'https://cwe.mitre.org/data/definitions/359.html',
      },
    ],
    messages: {
      holds: '{component} is a {environment} component, yet it holds {data}{origin}.',
      receives: '{component} is a {environment} component, yet it receives {data} from production {sources}.',
      receivesUnstated:
        '{component} is a {environment} component and receives {data} from {sources}; the same data is stored there, but no environment is stated, so real production data may be leaving production.',
    },
    mitigation:
      'Keep real {data} out of {component}: feed the {environment} environment masked or synthetic data, modelled as its own data item with its real, lower classification{stop}; if {component} must hold real data, give it production controls and access.',
  },
  *detect(view) {
    // Indexed: a for-of loop allocates a result object per component until the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      // Most components are production or state no environment: rejected on the field itself.
      if (c.environment === undefined || isProduction(c) !== false) continue;
      const draft = draftFor(view, c);
      if (draft) yield draft;
    }
  },
});
