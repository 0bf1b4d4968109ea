import { isCrownJewel, isProduction } from '../../../model/queries.js';
import type { Boundary, Component } from '../../../model/schema.js';
import { nameOf } from '../../../model/view.js';
import { defineRule, type Likelihood } from '../../define-rule.js';
import { dataImpact, dataList } from '../../factors.js';
import { uniqueById } from '../../shared/unique.js';

/** Boundaries that isolate environments: an account, a network or subnet, a cluster or namespace. */
const ISOLATING_KINDS: ReadonlySet<string> = new Set([
  'cloud-account',
  'network',
  'subnet',
  'cluster',
  'namespace',
]);
/** Boundaries where traffic between the environments flows freely unless something blocks it. */
const FLAT_KINDS: ReadonlySet<string> = new Set(['network', 'subnet', 'cluster', 'namespace']);

export default defineRule({
  meta: {
    id: 'non-production-in-production-boundary',
    title: 'Production and non-production share an account, network or cluster',
    summary:
      'Production and non-production components sit in the same cloud account, network, subnet, cluster or namespace, so the weaker controls and wider access of the non-production side become a way into production.',
    stride: ['elevation-of-privilege', 'tampering'],
    cwe: ['CWE-653'],
    capec: [],
    attack: ['T1210'],
    compliance: {
      'nist-800-53': ['CM-4(1)', 'SC-7'],
      'iso-27001-2022': ['A.8.31'],
      soc2: ['CC8.1'],
      'pci-dss-4': ['6.5.3', '6.5.4'],
    },
    assumes: [],
    detection:
      'For each boundary of kind cloud-account, network, subnet, cluster or namespace, the rule collects the components inside it (at any depth) that state their environment. A boundary that holds both a production component (environment production or prod) and a non-production one (any other stated value) is mixed; the rule reports each mixed boundary none of whose inner boundaries is also mixed, so one finding names the innermost place where the environments meet. Components without an environment are ignored, so the finding is always confirmed.',
    severityRationale:
      'Impact is the data impact of the crown jewels stored by the production components in the boundary, at least medium (production integrity is at stake even without sensitive data). Likelihood is likely when the shared boundary is a network, subnet, cluster or namespace, where the non-production side can reach production directly, and possible for a shared cloud account, where it takes IAM or control-plane access.',
    falsePositives:
      'A component’s environment may be mislabelled, or the boundary may be drawn too coarsely (two separate VPCs modelled as one network). Correct the environment, or model the separate accounts, networks or clusters the environments really run in.',
    references: [
      {
        title: 'AWS: Organizing your environment using multiple accounts',
        url: 'https://docs.aws.amazon.com/whitepapers/latest/organizing-your-aws-environment/organizing-your-aws-environment.html',
      },
      {
        title: 'NIST SP 800-53 SC-7 Boundary Protection',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      mixed:
        '{boundary} ({kind}) holds production components ({production}) together with non-production components ({nonProduction}), so the weaker controls of the latter are a way into production.',
    },
    mitigation:
      'Move {nonProduction} out of {boundary} into a separate {kind} of their own, and allow only the few flows that must cross between environments, through an explicit, monitored path.',
  },
  *detect(view) {
    // Components are grouped by their `in` (a few hundred places), so that each place's chain of isolating
    // boundaries is read once; a boundary's members are then the groups whose chains hold it. Members are
    // kept as positions in the model, so that merging groups restores the model order.
    const components = view.components;
    const groups = new Map<string, Group>();
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      const env = c.environment;
      if (env === undefined || c.in === undefined) continue;
      const prod = isProduction(c) === true;
      let g = groups.get(c.in);
      if (g === undefined) {
        const chain: Boundary[] = [];
        for (const b of view.ancestry(c.in)) if (ISOLATING_KINDS.has(b.kind)) chain.push(b);
        g = { chain, prod: [], nonProd: [] };
        groups.set(c.in, g);
      }
      (prod ? g.prod : g.nonProd).push(i);
    }
    const inside = new Map<string, Group[]>();
    const hasProd = new Set<string>();
    const hasNonProd = new Set<string>();
    for (const g of groups.values()) {
      for (const b of g.chain) {
        const list = inside.get(b.id);
        if (list) list.push(g);
        else inside.set(b.id, [g]);
        if (g.prod.length > 0) hasProd.add(b.id);
        if (g.nonProd.length > 0) hasNonProd.add(b.id);
      }
    }
    const mixed = view.boundaries.filter((b) => hasProd.has(b.id) && hasNonProd.has(b.id));
    const mixedIds = new Set(mixed.map((b) => b.id));
    // A mixed boundary with a mixed boundary inside it is not the innermost place the environments meet.
    const outer = new Set<string>();
    for (const b of mixed) {
      for (const a of view.ancestry(b.id).slice(1)) if (mixedIds.has(a.id)) outer.add(a.id);
    }
    for (const b of mixed) {
      if (outer.has(b.id)) continue;
      const within = inside.get(b.id) ?? [];
      const prod = members(components, within, true);
      const nonProd = members(components, within, false);
      const crown = uniqueById(prod.flatMap((c) => view.stored(c.id).filter(isCrownJewel)));
      const likelihood: Likelihood = FLAT_KINDS.has(b.kind) ? 'likely' : 'possible';
      yield {
        messageId: 'mixed',
        primary: [b.id],
        subjects: [...prod.map((c) => c.id), ...nonProd.map((c) => c.id), ...crown.map((d) => d.id)],
        likelihood,
        impact: dataImpact(crown, 'medium'),
        confidence: 'confirmed',
        data: {
          boundary: nameOf(b),
          kind: b.kind,
          production: prod.map((c) => nameOf(c)).join(', '),
          nonProduction: nonProd.map((c) => nameOf(c)).join(', '),
        },
        evidence: [
          ...[...prod, ...nonProd].map(
            (c) => `${c.id} (environment: ${c.environment}) is inside ${b.kind} ${b.id}`,
          ),
          ...(crown.length > 0 ? [`production components in ${b.id} store ${dataList(crown)}`] : []),
        ],
      };
    }
  },
});

/** The components with a stated environment whose `in` is one place, by position in the model. */
interface Group {
  /** The isolating boundaries of the place, nearest first. */
  chain: readonly Boundary[];
  prod: number[];
  nonProd: number[];
}

/** The production (or non-production) components of some groups, in model order. */
function members(components: readonly Component[], groups: readonly Group[], prod: boolean): Component[] {
  const at: number[] = [];
  for (const g of groups) for (const i of prod ? g.prod : g.nonProd) at.push(i);
  if (groups.length > 1) at.sort((x, y) => x - y);
  return at.map((i) => components[i] as Component);
}
