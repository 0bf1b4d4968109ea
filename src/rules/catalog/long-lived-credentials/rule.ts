import { isBroadGrant, isSensitive } from '../../../model/queries.js';
import type { Grant, Identity } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Likelihood } from '../../define-rule.js';
import { dataImpact, maxImpact } from '../../factors.js';
import { exposedSecretLocations, grantFact } from '../../shared/credentials.js';

const POWERFUL = new Set(['write', 'delete', 'admin', 'publish', 'invoke', '*']);
/** Kinds that normally authenticate with keys they keep. */
const KEY_HOLDERS = new Set(['machine-user', 'ci-role']);

/** "read, write and delete rights": every " and " but the last is a comma (no regular expression). */
const rights = (g: Grant) => {
  const actions = g.actions;
  if (actions.includes('*')) return 'all rights';
  if (actions.length <= 2) return `${actions.join(' and ')} rights`;
  return `${actions.slice(0, -1).join(', ')} and ${actions[actions.length - 1]} rights`;
};

export default defineRule({
  meta: {
    id: 'long-lived-credentials',
    title: 'Machine identity authenticates with credentials that never expire',
    summary:
      'A service, machine or pipeline identity holds keys that never expire while it may change data or read sensitive data, so a key that leaks stays valid until someone notices and revokes it.',
    stride: ['spoofing', 'elevation-of-privilege'],
    cwe: ['CWE-522'],
    capec: ['CAPEC-560', 'CAPEC-555'],
    attack: ['T1078.004', 'T1552'],
    compliance: {
      'nist-800-53': ['IA-5', 'IA-4', 'AC-2'],
      'iso-27001-2022': ['A.5.17', 'A.5.18'],
      soc2: ['CC6.1', 'CC6.2'],
      'pci-dss-4': ['8.6.3'],
      'owasp-asvs-5': ['V13.2.1', 'V13.3.4'],
      hipaa: ['164.308(a)(5)(ii)(D)'],
    },
    assumes: ['credentials'],
    detection:
      'An identity that is not a human-user is reported when its credentials are long-lived (confirmed) and one of its grants allows write, delete, admin, publish, invoke or "*", or allows anything on a component that stores sensitive data (a grant on every resource counts when any component stores sensitive data). A machine-user or ci-role that does not state its credentials is reported as assumed, with a question, because those kinds usually hold keys. Identities without grants are not judged.',
    severityRationale:
      'Impact is the highest data impact over the granted components, very high for a grant of admin or "*" or on every resource, at least medium for any change. Likelihood is possible (the key must leak first), likely when a component running as the identity keeps its secrets in environment variables, configuration files, source code, container images or CI variables, where leaks are common.',
    falsePositives:
      'The key may in fact be rotated automatically or replaced by federation (workload identity, OIDC from the CI system). State credentials: short-lived on the identity.',
    references: [
      {
        title: 'AWS IAM best practices: require temporary credentials',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
      },
      {
        title: 'Google Cloud: Best practices for managing service account keys',
        url: 'https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys',
      },
    ],
    messages: {
      longLived:
        'Identity {identity} authenticates with credentials that never expire and holds {power}{where}.',
      lifetimeUnstated:
        'Identity {identity} is a {kind} holding {power}, and the model does not state whether its credentials expire{where}.',
    },
    mitigation:
      'Replace the long-lived keys of {identity} with short-lived credentials issued per run or per session (workload identity federation, OIDC from the CI system, instance or pod roles); until then, rotate them automatically, keep them in a secret store{instead}, and narrow the grants to what is used.',
  },
  *detect(view) {
    // Whether any component stores sensitive data matters only for grants on every resource: asked
    // the first time such a grant is met, and kept.
    let anySensitive: boolean | undefined;
    const sensitiveAnywhere = () => {
      anySensitive ??= view.components.some((c) => view.stored(c.id).some(isSensitive));
      return anySensitive;
    };
    for (const identity of view.identities) {
      // Rejected on their own fields first: people, short-lived credentials, and unstated lifetimes of
      // kinds that do not normally keep keys.
      if (identity.kind === 'human-user') continue;
      if (identity.credentials === 'short-lived') continue;
      if (identity.credentials !== 'long-lived' && !KEY_HOLDERS.has(identity.kind)) continue;
      const draft = finding(view, identity, sensitiveAnywhere);
      if (draft !== undefined) yield draft;
    }
  },
});

/** The finding on an identity with long-lived (or unstated) credentials, if a grant makes it matter. */
function finding(view: View, identity: Identity, sensitiveAnywhere: () => boolean): Draft | undefined {
  const stated = identity.credentials === 'long-lived';
  const risky: Grant[] = [];
  let impact: Impact = 'low';
  for (const g of identity.grants ?? []) {
    const held = g.resource === '*' ? [] : view.stored(g.resource);
    const changes = g.actions.some((a) => POWERFUL.has(a));
    const touchesSensitive = g.resource === '*' ? sensitiveAnywhere() : held.some(isSensitive);
    if (!changes && !touchesSensitive) continue;
    risky.push(g);
    const broad = isBroadGrant(g) || g.resource === '*';
    impact = maxImpact(impact, broad ? 'very-high' : dataImpact(held), changes ? 'medium' : 'low');
  }
  if (risky.length === 0) return undefined;
  const runners = view.runningAs(identity.id);
  const exposedAt = [...new Set(runners.flatMap(exposedSecretLocations))];
  const likelihood: Likelihood = exposedAt.length > 0 ? 'likely' : 'possible';
  const power = risky
    .map((g) => `${rights(g)} on ${g.resource === '*' ? 'every resource' : view.label(g.resource)}`)
    .join(', ');
  const data = {
    identity: nameOf(identity),
    kind: identity.kind,
    power,
    where: exposedAt.length > 0 ? `; the keys live in ${exposedAt.join(', ')}` : '',
    instead: exposedAt.length > 0 ? ` instead of ${exposedAt.join(', ')}` : '',
  };
  const evidence = [
    `${identity.id}: kind ${identity.kind}, credentials ${identity.credentials ?? 'not stated'}`,
    ...risky.map(grantFact),
    ...(runners.length > 0 ? [`components running as it: ${runners.map((c) => c.id).join(', ')}`] : []),
    ...(exposedAt.length > 0 ? [`secrets-in: ${exposedAt.join(', ')}`] : []),
  ];
  const common = {
    primary: [identity.id],
    subjects: [
      ...runners.map((c) => c.id),
      ...risky.filter((g) => g.resource !== '*').map((g) => g.resource),
    ],
    likelihood,
    impact,
    data,
    evidence,
  };
  if (stated) return { ...common, messageId: 'longLived', confidence: 'confirmed' as const };
  return {
    ...common,
    messageId: 'lifetimeUnstated',
    confidence: 'assumed' as const,
    unknowns: [{ subject: identity.id, attribute: 'credentials' }],
  };
}
