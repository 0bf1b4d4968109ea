import { isBroadGrant, isThirdParty } from '../../../model/queries.js';
import type { Component, Grant, Identity } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import type { SecretLocation } from '../../../model/vocabulary.js';
import { type Draft, defineRule, type Impact } from '../../define-rule.js';
import { dataImpact, impactRank } from '../../factors.js';
import { stolenGrantImpact } from '../../shared/credentials.js';

/** Where a secret may live outside a secret store, and what that exposes it to. */
const EXPOSURE: Readonly<Record<string, string>> = {
  'source-code':
    'source code hands them to everyone who can read the repository and keeps them in its history',
  'container-image':
    'the container image hands them to everyone who can pull it and keeps them in its layers',
  'ci-variables': 'CI variables expose them to pipeline administrators and build logs',
  env: 'environment variables leak through process listings, crash dumps, debug pages and child processes',
  'config-file': 'config files spread them to hosts, backups and configuration management',
};
/** The order locations are named in: the widest exposure first. */
const LOCATIONS: readonly SecretLocation[] = [
  'source-code',
  'container-image',
  'ci-variables',
  'env',
  'config-file',
];

/**
 * The draft for one component, or undefined. Most components do not fire: the cheap facts (its
 * secrets-in list, its kind, whether any outgoing flow needs a stored secret) decide that before the
 * impact, subjects and evidence are built.
 */
function secretsDraft(view: View, c: Component, grantImpacts: Map<string, Impact>): Draft | undefined {
  const where = c['secrets-in'];
  let found: SecretLocation[] | undefined;
  if (where !== undefined) {
    for (let i = 0; i < LOCATIONS.length; i++) {
      const l = LOCATIONS[i] as SecretLocation;
      if (!where.includes(l)) continue;
      if (found === undefined) found = [l];
      else found.push(l);
    }
    if (found === undefined) return undefined;
  } else if (c.kind === 'user') return undefined;
  let secretFlows: FlowFacts[] | undefined;
  // The flows that must present a stored secret: weak authentication (api-key, basic, password) or an
  // HMAC key. Indexed, with the predicate written out: this runs for most components, which it rejects.
  const out = view.flowsFrom(c.id);
  for (let i = 0; i < out.length; i++) {
    const f = out[i] as FlowFacts;
    if (f.authnStrength !== 'weak' && f.authn !== 'hmac') continue;
    if (secretFlows === undefined) secretFlows = [f];
    else secretFlows.push(f);
  }
  if (found === undefined && (secretFlows === undefined || isThirdParty(view, c))) return undefined;
  return buildDraft(view, c, found, secretFlows ?? NO_FLOWS, grantImpacts);
}

/**
 * The highest of medium and what each grant of the identity puts at stake: the same for every component
 * running as it, so kept per identity in `grantImpacts`.
 */
function identityImpact(view: View, identity: Identity, grantImpacts: Map<string, Impact>): Impact {
  let impact = grantImpacts.get(identity.id);
  if (impact === undefined) {
    impact = 'medium';
    const grants = identity.grants;
    if (grants !== undefined)
      for (let i = 0; i < grants.length; i++)
        impact = higher(impact, stolenGrantImpact(view, grants[i] as Grant));
    grantImpacts.set(identity.id, impact);
  }
  return impact;
}

/** The draft of a component that fires: `found` its stated locations, `flows` its secret flows. */
function buildDraft(
  view: View,
  c: Component,
  found: SecretLocation[] | undefined,
  flows: readonly FlowFacts[],
  grantImpacts: Map<string, Impact>,
): Draft {
  const where = c['secrets-in'];
  const runsAs = c['runs-as'];
  const identity = runsAs === undefined ? undefined : view.identity(runsAs);
  // The highest of medium, what each grant puts at stake and the data each secret flow reaches.
  let impact: Impact = identity === undefined ? 'medium' : identityImpact(view, identity, grantImpacts);
  const targets = new Set<string>();
  const subjects: string[] = [];
  const flowEvidence: string[] = [];
  for (const f of flows) {
    impact = higher(impact, dataImpact(view.stored(f.to.id)));
    impact = higher(impact, dataImpact(f.data));
    if (!targets.has(f.to.id)) {
      targets.add(f.to.id);
      subjects.push(f.to.id);
    }
  }
  for (const f of flows) {
    subjects.push(f.id);
    flowEvidence.push(`flow ${f.id}: authn ${f.authn}`);
  }
  if (identity) subjects.push(identity.id);

  if (found !== undefined) {
    const evidence = [`${c.id}: secrets-in [${(where as readonly string[]).join(', ')}]`, ...flowEvidence];
    if (identity) {
      evidence.push(`${c.id} runs as ${identity.id}`);
      for (const g of identity.grants ?? []) {
        if (isBroadGrant(g))
          evidence.push(`${identity.id} grant on ${g.resource}: [${g.actions.join(', ')}]`);
      }
    }
    return {
      messageId: 'outsideSecretStore',
      primary: [c.id],
      subjects,
      likelihood: found.some((l) => l === 'source-code' || l === 'container-image') ? 'likely' : 'possible',
      impact,
      confidence: 'confirmed',
      data: {
        component: nameOf(c),
        locations: found.join(', '),
        exposure: found.map((l) => EXPOSURE[l]).join('; '),
      },
      evidence,
    };
  }
  const methods = new Set<string>();
  for (const f of flows) methods.add(f.authn);
  return {
    messageId: 'locationUnstated',
    primary: [c.id],
    subjects,
    likelihood: 'possible',
    impact,
    confidence: 'assumed',
    data: {
      component: nameOf(c),
      targets: [...targets].map((t) => view.label(t)).join(', '),
      methods: [...methods].join(', '),
      locations: 'wherever it keeps them now',
    },
    evidence: [`${c.id}: secrets-in not stated`, ...flowEvidence],
    unknowns: [{ subject: c.id, attribute: 'secrets-in' }],
  };
}

const NO_FLOWS: readonly FlowFacts[] = [];

/** The higher of two impacts (the first on a tie). */
function higher(a: Impact, b: Impact): Impact {
  return impactRank(b) > impactRank(a) ? b : a;
}

export default defineRule({
  meta: {
    id: 'secrets-in-config',
    title: 'Credentials are kept outside a secret store',
    summary:
      'A component keeps its credentials in source code, container images, CI variables, environment variables or config files, where far more people and systems can read them than need to, and where they outlive rotation.',
    stride: ['information-disclosure', 'spoofing', 'elevation-of-privilege'],
    cwe: ['CWE-798', 'CWE-260', 'CWE-540'],
    capec: ['CAPEC-37'],
    attack: ['T1552', 'T1552.001'],
    compliance: {
      'nist-800-53': ['IA-5', 'IA-5(7)', 'SC-28'],
      'iso-27001-2022': ['A.5.17', 'A.8.24'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['8.6.2'],
      'owasp-asvs-5': ['V13.3.1', 'V13.3.2'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['secrets-in'],
    detection:
      'A component whose secrets-in list names source-code, container-image, ci-variables, env or config-file is reported (confirmed), one finding naming every such location. When secrets-in is absent and the component calls something with weak authentication (api-key, basic, password) or an HMAC key, it must keep that secret somewhere, so the finding is assumed, with a question; people (kind user) and third parties are not asked, since where they keep their secrets is not this model’s to fix. secrets-in: [secret-store] or [] does not fire.',
    severityRationale:
      'Impact is what the secrets unlock: the most sensitive data held by, or carried to, the components the component reaches with weak or HMAC authentication and the components its identity is granted (high for admin rights, very high for admin on every resource or on a control plane such as a cluster, pipeline, secret store or identity provider), at least medium because a stolen credential lets anyone act as the component. Likelihood is likely for source code and container images, which are copied widely and keep secrets in history; possible for CI variables, environment variables and config files, which need access to the pipeline or the host first.',
    falsePositives:
      'The value in the location may be a reference, not the secret (an environment variable holding a Secrets Manager ARN, a CSI-mounted secret, a CI OIDC token exchange). Then the secret lives in a secret store: state secrets-in: [secret-store]. A component that holds no credentials at all can state secrets-in: [].',
    references: [
      {
        title: 'OWASP Secrets Management Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
      },
      {
        title: 'CWE-798: Use of Hard-coded Credentials',
        url: 'https://cwe.mitre.org/data/definitions/798.html',
      },
    ],
    messages: {
      outsideSecretStore: '{component} keeps its credentials in {locations}: {exposure}.',
      locationUnstated:
        '{component} authenticates to {targets} with stored secrets ({methods}), and the model does not say where it keeps them.',
    },
    mitigation:
      'Move the credentials of {component} out of {locations} into a secret store (AWS Secrets Manager, Azure Key Vault, GCP Secret Manager, HashiCorp Vault) read at runtime with its workload identity, rotate every secret that was ever kept there, and where the callee allows it replace the static secret with short-lived identity-based authentication (IAM, OIDC federation, mTLS).',
  },
  *detect(view) {
    const grantImpacts = new Map<string, Impact>();
    // Indexed: a for-of loop allocates a result object per component until the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const draft = secretsDraft(view, components[i] as Component, grantImpacts);
      if (draft !== undefined) yield draft;
    }
  },
});
