import { isCrownJewel, isProduction, mayWrite, onlyReads } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import type { TriState } from '../../../model/vocabulary.js';
import { type Draft, defineRule, type Impact } from '../../define-rule.js';
import { dataImpact, dataList } from '../../factors.js';
import { listText } from '../../shared/text.js';

/** Shared services that every environment may read from (images, source, sign-in, dashboards). */
const SHARED_READ_KINDS: ReadonlySet<string> = new Set([
  'registry',
  'repository',
  'identity-provider',
  'monitoring',
]);

export default defineRule({
  meta: {
    id: 'non-production-access-to-production',
    title: 'Non-production component calls into production',
    summary:
      'A staging, test or development component has a flow into a production component, so anyone who compromises the weaker non-production environment can read or change production through it.',
    stride: ['elevation-of-privilege', 'tampering'],
    cwe: ['CWE-653', 'CWE-284'],
    capec: [],
    attack: ['T1078.004', 'T1021.007'],
    compliance: {
      'nist-800-53': ['AC-4', 'CM-4(1)', 'SC-7'],
      'iso-27001-2022': ['A.8.22', 'A.8.31'],
      soc2: ['CC6.6'],
      'pci-dss-4': ['6.5.3'],
    },
    assumes: ['environment'],
    detection:
      'A flow whose caller states a non-production environment (anything but production or prod) and whose target states production is reported, except telemetry flows and read-only flows (actions only read or subscribe) to a shared registry, repository, identity provider or monitoring component. When the target states no environment but stores crown jewels, the finding is assumed, with a question about its environment. One finding per flow.',
    severityRationale:
      'Impact is the data impact of what the target stores and the flow carries, at least medium when the flow may write, delete or administer (or does not say what it does). Likelihood is likely: non-production environments have more users, weaker controls and less-reviewed code, and this flow is a ready path from there into production.',
    falsePositives:
      'The target may be a shared, read-only service the rule does not recognise, or the caller’s environment may be mislabelled. Correct the environment, state the flow’s actions, or model the target with the kind that says what it is (registry, repository, identity-provider, monitoring).',
    references: [
      {
        title: 'NIST SP 800-53 SC-7 Boundary Protection',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
      {
        title: 'AWS: Organizing your environment using multiple accounts',
        url: 'https://docs.aws.amazon.com/whitepapers/latest/organizing-your-aws-environment/organizing-your-aws-environment.html',
      },
    ],
    messages: {
      crossesEnvironments:
        '{from} ({fromEnvironment}) calls production {to} ({flow}{what}), so a compromise of the weaker {fromEnvironment} environment reaches production.',
      targetUnstated:
        '{from} ({fromEnvironment}) calls {to} ({flow}{what}), which holds {data} but does not state its environment; if it is production, the {fromEnvironment} side reaches production through it.',
    },
    mitigation:
      'Remove the flow {flow}: give {fromEnvironment} its own copy of {to} filled with masked or synthetic data, and block traffic from non-production networks and identities to production at the network and IAM level.',
  },
  *detect(view) {
    // `isProduction` of each distinct environment spelling, once (it lower-cases): 40,000 flows name a
    // few dozen environments.
    const production = new Map<string, TriState>();
    const productionOf = (c: Component): TriState => {
      const environment = c.environment;
      if (environment === undefined) return 'unknown';
      let p = production.get(environment);
      if (p === undefined) {
        p = isProduction(c);
        production.set(environment, p);
      }
      return p;
    };
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // Cheapest first: the source must state a non-production environment.
      if (f.from.environment === undefined || productionOf(f.from) !== false) continue;
      const target = productionOf(f.to);
      if (target === false) continue;
      const draft = judge(view, f, target);
      if (draft) yield draft;
    }
  },
});

function judge(view: View, f: FlowFacts, target: TriState): Draft | undefined {
  if (f.flow.purpose === 'telemetry') return undefined;
  const actions = f.flow.actions;
  if (onlyReads(actions) && SHARED_READ_KINDS.has(f.to.kind)) return undefined;
  const stored = view.stored(f.to.id);
  const crown = stored.filter(isCrownJewel);
  if (target === 'unknown' && crown.length === 0) return undefined;
  // The highest of the floor, what the target stores and what the flow carries.
  const impact: Impact = dataImpact(f.data, dataImpact(stored, mayWrite(actions) ? 'medium' : 'low'));
  const confirmed = target === true;
  const fromLabel = nameOf(f.from);
  const toLabel = nameOf(f.to);
  return {
    messageId: confirmed ? 'crossesEnvironments' : 'targetUnstated',
    primary: [f.id],
    subjects: [f.from.id, f.to.id, ...crown.map((d) => d.id)],
    likelihood: 'likely',
    impact,
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      from: fromLabel,
      fromEnvironment: f.from.environment,
      to: toLabel,
      // flowLabel's text, from the labels in hand.
      flow: `${fromLabel} → ${toLabel}`,
      what: actions === undefined ? '' : `: ${actions.join(', ')}`,
      data: dataList(crown),
    },
    evidence: [
      `${f.from.id} environment: ${f.from.environment}`,
      confirmed ? `${f.to.id} environment: ${f.to.environment}` : `${f.to.id} states no environment`,
      `flow ${f.id}: actions ${listText(actions)}, purpose ${f.flow.purpose ?? 'not stated'}`,
      ...crown.map((d) => `${f.to.id} stores ${d.id} (${d.classification})`),
    ],
    ...(confirmed ? {} : { unknowns: [{ subject: f.to.id, attribute: 'environment' }] }),
  };
}
