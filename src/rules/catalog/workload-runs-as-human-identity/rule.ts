import { isBroadGrant, isClient } from '../../../model/queries.js';
import type { Component, Identity } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';

const PERSONAL_KINDS = new Set(['human-user', 'user-role']);

function personalDraft(view: View, c: Component, identity: Identity): Draft {
  const grants = identity.grants ?? [];
  const broad = grants.filter(isBroadGrant);
  return {
    messageId: 'personalIdentity',
    primary: [c.id],
    subjects: [identity.id, ...grants.map((g) => g.resource).filter((r) => r !== '*')],
    likelihood: 'possible' as const,
    impact: broad.length > 0 ? ('high' as const) : ('medium' as const),
    confidence: 'confirmed' as const,
    data: {
      component: nameOf(c),
      identity: nameOf(identity),
      kind:
        identity.kind === 'human-user'
          ? 'person’s account (human-user)'
          : 'role meant for people (user-role)',
      grants:
        broad.length > 0
          ? `, including ${broad.map((g) => `${g.actions.join(', ')} on ${g.resource === '*' ? 'every resource' : view.label(g.resource)}`).join('; ')}`
          : '',
    },
    evidence: [
      `${c.id} (kind ${c.kind}) runs-as ${identity.id}`,
      `${identity.id}: kind ${identity.kind}`,
      ...grants.map((g) => `grant on ${g.resource}: actions [${g.actions.join(', ')}]`),
    ],
  };
}

export default defineRule({
  meta: {
    id: 'workload-runs-as-human-identity',
    title: 'A workload runs with a person’s identity',
    summary:
      'A service, job or platform component runs as a person’s account or role, so it holds that person’s access (usually broad), its actions are attributed to the person, and it breaks or keeps running with stale rights when the person changes role or leaves.',
    stride: ['spoofing', 'repudiation', 'elevation-of-privilege'],
    cwe: ['CWE-250', 'CWE-269'],
    capec: ['CAPEC-122'],
    attack: ['T1078'],
    compliance: {
      'nist-800-53': ['AC-2', 'AC-6', 'IA-4'],
      'iso-27001-2022': ['A.5.16', 'A.5.18', 'A.8.2'],
      soc2: ['CC6.2', 'CC6.3'],
      'pci-dss-4': ['8.2.2', '7.2.5'],
      'owasp-asvs-5': ['V13.2.1'],
      hipaa: ['164.312(a)(2)(i)'],
    },
    assumes: [],
    detection:
      'A component that is not a client (user, web client, mobile app) whose runs-as names an identity of kind human-user or user-role. One finding per component.',
    severityRationale:
      'Impact is high when the identity has a grant of admin or "*" (people’s accounts are usually broad, and the workload inherits all of it), medium otherwise. Likelihood is possible: the harm comes from misuse or compromise of the workload, or from the person’s account changing under it.',
    falsePositives:
      'The identity may in fact be a dedicated service account that was modelled with a person’s kind. Give it kind service-role, machine-user or ci-role.',
    references: [
      {
        title: 'Google Cloud: Best practices for using service accounts',
        url: 'https://cloud.google.com/iam/docs/best-practices-service-accounts',
      },
      {
        title: 'NIST SP 800-53 AC-2 Account Management',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      personalIdentity:
        '{component} runs as {identity}, a {kind}, so it acts with that person’s access{grants}, and its actions are attributed to them.',
    },
    mitigation:
      'Create a dedicated workload identity for {component} (a service role or workload identity, not a person’s account), grant it only what {component} uses, and remove {component}’s use of {identity}.',
  },
  *detect(view) {
    for (const c of view.components) {
      // Most components run as no identity, or as a workload one: decided by one field and one lookup.
      const runsAs = c['runs-as'];
      if (runsAs === undefined) continue;
      const identity = view.identity(runsAs);
      if (!identity || !PERSONAL_KINDS.has(identity.kind) || isClient(c)) continue;
      yield personalDraft(view, c, identity);
    }
  },
});
