import { isBroadGrant } from '../../../model/queries.js';
import type { Component, Identity } from '../../../model/schema.js';
import { nameOf } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';

const WORKLOAD_IDENTITY_KINDS: ReadonlySet<string> = new Set(['service-role', 'machine-user', 'ci-role']);

function sharedDraft(identity: Identity, runners: readonly Component[]): Draft {
  const broad = (identity.grants ?? []).filter((g) => g.resource === '*' || isBroadGrant(g));
  return {
    messageId: 'shared',
    primary: [identity.id],
    subjects: runners.map((c) => c.id),
    likelihood: 'possible',
    impact: broad.some(isBroadGrant) ? 'high' : 'medium',
    confidence: 'confirmed',
    data: {
      count: runners.length,
      identity: nameOf(identity),
      runners: runners.map((c) => nameOf(c)).join(', '),
      broad:
        broad.length > 0
          ? `, including [${broad.map((g) => `${g.actions.join(', ')} on ${g.resource}`).join('; ')}]`
          : '',
    },
    evidence: [
      `${identity.id} is a ${identity.kind}`,
      ...runners.map((c) => `${c.id} runs-as ${identity.id}`),
      ...broad.map((g) => `grant on ${g.resource}: actions [${g.actions.join(', ')}]`),
    ],
  };
}

export default defineRule({
  meta: {
    id: 'shared-service-identity',
    title: 'Several workloads share one identity',
    summary:
      'Two or more components run as the same service identity, so logs cannot tell which of them acted, and each one holds every permission that any of the others needs.',
    stride: ['repudiation', 'elevation-of-privilege'],
    cwe: ['CWE-1220'],
    capec: [],
    attack: ['T1078'],
    compliance: {
      'nist-800-53': ['AC-2', 'IA-4', 'AU-3'],
      'iso-27001-2022': ['A.5.16'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['8.2.2'],
      'owasp-asvs-5': ['V13.2.1', 'V16.2.1'],
      hipaa: ['164.312(a)(2)(i)', '164.312(b)'],
    },
    assumes: [],
    detection:
      'An identity of kind service-role, machine-user or ci-role that two or more components run as (runs-as) is reported, once per identity. Human and user-role identities are left out: people sharing an account is a different problem. identity-shared-across-environments replaces it when the sharing also spans production and non-production.',
    severityRationale:
      'Impact is medium (attribution is lost and permissions are pooled), high when the identity holds admin or "*" rights, which every one of the workloads then wields. Likelihood is possible: exploiting it needs a foothold in one of the workloads first.',
    falsePositives:
      'The components may be one workload modelled twice (a service and its worker process that are deployed and scaled together). Model them as one component, or accept the risk with that reason. Components on one platform that each get their own credentials should each have their own identity in the model.',
    references: [
      {
        title: 'Google Cloud: Best practices for using service accounts',
        url: 'https://cloud.google.com/iam/docs/best-practices-service-accounts',
      },
      {
        title: 'CWE-1220: Insufficient Granularity of Access Control',
        url: 'https://cwe.mitre.org/data/definitions/1220.html',
      },
    ],
    messages: {
      shared:
        '{count} workloads run as {identity} ({runners}): the logs cannot tell which of them acted, and each holds every permission the others need{broad}.',
    },
    mitigation:
      'Give each of {runners} an identity of its own, granted only what that component’s flows use, and retire the shared {identity}.',
  },
  *detect(view) {
    for (const identity of view.identities) {
      if (!WORKLOAD_IDENTITY_KINDS.has(identity.kind)) continue;
      const runners = view.runningAs(identity.id);
      if (runners.length >= 2) yield sharedDraft(identity, runners);
    }
  },
});
