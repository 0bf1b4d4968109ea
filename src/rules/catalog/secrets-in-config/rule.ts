import { isBroadGrant, isThirdParty } from '../../../model/queries.js';
import type { FlowFacts } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, maxImpact } from '../../factors.js';
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
const LOCATIONS = ['source-code', 'container-image', 'ci-variables', 'env', 'config-file'] as const;

/** Flows that must present a stored secret: weak authentication (api-key, basic, password) or an HMAC key. */
const needsStoredSecret = (f: FlowFacts) => f.authnStrength === 'weak' || f.authn === 'hmac';

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
    for (const c of view.components) {
      const where = c['secrets-in'];
      const secretFlows = view.flowsFrom(c.id).filter(needsStoredSecret);
      const identity = view.identityOf(c.id);
      const impact = maxImpact(
        'medium',
        ...(identity?.grants ?? []).map((g) => stolenGrantImpact(view, g)),
        ...secretFlows.map((f) => dataImpact([...view.stored(f.to.id), ...f.data])),
      );
      const targets = [...new Set(secretFlows.map((f) => f.to.id))];
      const subjects = [...targets, ...secretFlows.map((f) => f.id), ...(identity ? [identity.id] : [])];
      const flowEvidence = secretFlows.map((f) => `flow ${f.id}: authn ${f.authn}`);
      if (where !== undefined) {
        const found = LOCATIONS.filter((l) => where.includes(l));
        if (found.length === 0) continue;
        const locations = found.join(', ');
        yield {
          messageId: 'outsideSecretStore',
          primary: [c.id],
          subjects,
          likelihood: found.some((l) => l === 'source-code' || l === 'container-image')
            ? 'likely'
            : 'possible',
          impact,
          confidence: 'confirmed',
          data: {
            component: view.label(c.id),
            locations,
            exposure: found.map((l) => EXPOSURE[l]).join('; '),
          },
          evidence: [
            `${c.id}: secrets-in [${where.join(', ')}]`,
            ...flowEvidence,
            ...(identity ? [`${c.id} runs as ${identity.id}`] : []),
            ...(identity?.grants ?? [])
              .filter(isBroadGrant)
              .map((g) => `${identity?.id} grant on ${g.resource}: [${g.actions.join(', ')}]`),
          ],
        };
        continue;
      }
      if (secretFlows.length === 0 || c.kind === 'user' || isThirdParty(view, c)) continue;
      yield {
        messageId: 'locationUnstated',
        primary: [c.id],
        subjects,
        likelihood: 'possible',
        impact,
        confidence: 'assumed',
        data: {
          component: view.label(c.id),
          targets: targets.map((t) => view.label(t)).join(', '),
          methods: [...new Set(secretFlows.map((f) => f.authn))].join(', '),
          locations: 'wherever it keeps them now',
        },
        evidence: [`${c.id}: secrets-in not stated`, ...flowEvidence],
        unknowns: [{ subject: c.id, attribute: 'secrets-in' }],
      };
    }
  },
});
