import { isBroadGrant, isProduction } from '../../../model/queries.js';
import type { Component, Grant, Identity } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact } from '../../define-rule.js';
import { dataImpact, maxImpact } from '../../factors.js';

const grantText = (view: View, g: Grant) => `[${g.actions.join(', ')}] on ${view.label(g.resource)}`;

/** What a grant on a production resource puts at stake. */
function grantImpact(view: View, g: Grant): Impact {
  if (g.resource === '*') return isBroadGrant(g) ? 'very-high' : 'high';
  const held = dataImpact(view.stored(g.resource));
  if (isBroadGrant(g)) return maxImpact('high', held);
  if (g.actions.some((a) => a === 'write' || a === 'delete')) return maxImpact('medium', held);
  return held;
}

export default defineRule({
  meta: {
    id: 'identity-shared-across-environments',
    title: 'One identity serves production and non-production',
    summary:
      'An identity is used by production and non-production components, or a non-production component holds an identity with rights on production, so whoever compromises the weaker environment acts in production with the same credentials.',
    stride: ['elevation-of-privilege'],
    cwe: ['CWE-653'],
    capec: [],
    attack: ['T1078.004'],
    compliance: {
      'nist-800-53': ['AC-6', 'CM-4(1)'],
      'iso-27001-2022': ['A.5.18', 'A.8.31'],
      soc2: ['CC6.3'],
      'pci-dss-4': ['6.5.4'],
      'owasp-asvs-5': ['V13.2.2'],
    },
    assumes: [],
    supersedes: ['shared-service-identity'],
    detection:
      'An identity is reported when the components that run as it state different environments and one of them is production, or when a component with a stated non-production environment runs as it while one of its grants names a production component. Only stated environments count (production or prod; any other value is non-production), so the finding is always confirmed. It replaces shared-service-identity on the same identity.',
    severityRationale:
      'Impact is what the identity may do in production: the data held by the production resources it is granted, at least medium, higher for admin or write rights, very high for admin on every resource. Likelihood is likely: non-production environments are reached by more people, run less-reviewed code and keep credentials in weaker places.',
    falsePositives:
      'A component’s environment may be mislabelled, or the grant may name a resource that is in fact a non-production copy. Correct the environment of the component, or point the grant at the non-production resource.',
    references: [
      {
        title: 'AWS: Organizing your environment using multiple accounts',
        url: 'https://docs.aws.amazon.com/whitepapers/latest/organizing-your-aws-environment/organizing-your-aws-environment.html',
      },
      {
        title: 'NIST SP 800-53 AC-6 Least Privilege',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      mixedRunners:
        '{identity} is used by production {production} and by non-production {nonProduction}: a compromise outside production acts in production with the same rights.',
      nonProductionGrant:
        '{identity}, used by non-production {nonProduction}, is granted {grants} in production: a compromise outside production reaches production directly.',
    },
    mitigation: 'Keep production rights out of the reach of {nonProduction}: {fix}.',
  },
  *detect(view) {
    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const identities = view.identities;
    for (let i = 0; i < identities.length; i++) {
      const identity = identities[i] as Identity;
      const runners = view.runningAs(identity.id);
      // Only an identity with a non-production runner can be shared: most have none, and are passed over
      // without building any list.
      let nonProductionRunner = false;
      for (let j = 0; j < runners.length; j++) {
        if (isProduction(runners[j] as Component) === false) {
          nonProductionRunner = true;
          break;
        }
      }
      if (!nonProductionRunner) continue;
      const draft = draftFor(view, identity, runners);
      if (draft !== undefined) yield draft;
    }
  },
});

/** The finding for an identity that a non-production component runs as, if it reaches production. */
function draftFor(view: View, identity: Identity, runners: readonly Component[]): Draft | undefined {
  const production = runners.filter((c) => isProduction(c) === true);
  const nonProduction = runners.filter((c) => isProduction(c) === false);
  const grants = identity.grants ?? [];
  const prodGrants = grants.filter((g) => {
    const r = view.component(g.resource);
    return r !== undefined && isProduction(r) === true;
  });
  const mixed = production.length > 0;
  if (!mixed && prodGrants.length === 0) return undefined;
  // Used in production too: every grant that is not on a non-production resource is a production grant.
  const atStake = mixed
    ? grants.filter((g) => {
        const r = view.component(g.resource);
        return r === undefined || isProduction(r) !== false;
      })
    : prodGrants;
  const impact = atStake.reduce<Impact>((m, g) => maxImpact(m, grantImpact(view, g)), 'medium');
  const names = (cs: readonly { id: string }[]) => cs.map((c) => view.label(c.id)).join(', ');
  return {
    messageId: mixed ? 'mixedRunners' : 'nonProductionGrant',
    primary: [identity.id],
    subjects: [
      ...runners.filter((c) => c.environment !== undefined).map((c) => c.id),
      ...prodGrants.map((g) => g.resource),
    ],
    likelihood: 'likely',
    impact,
    confidence: 'confirmed',
    data: {
      identity: nameOf(identity),
      production: names(production),
      nonProduction: names(nonProduction),
      grants: prodGrants.map((g) => grantText(view, g)).join('; '),
      fix: mixed
        ? `give ${names(nonProduction)} an identity of its own that is granted nothing in production, and keep ${nameOf(identity)} for production workloads only`
        : `remove the grants of ${nameOf(identity)} on ${prodGrants.map((g) => view.label(g.resource)).join(', ')}, and if production access is truly needed, give it to a separate production identity with short-lived credentials and an approval step`,
    },
    evidence: [
      ...[...production, ...nonProduction].map(
        (c) => `${c.id} (environment: ${c.environment}) runs-as ${identity.id}`,
      ),
      ...prodGrants.map(
        (g) =>
          `grant on ${g.resource}: actions [${g.actions.join(', ')}]; ${g.resource} environment: ${view.component(g.resource)?.environment}`,
      ),
    ],
  };
}
