import { behindCached, isClient, isCrownJewel, isPassThrough, isThirdParty } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';

const federates = (view: View, c: Component) =>
  view.flowsFrom(c.id).some((f) => f.to.kind === 'identity-provider');

interface SignIn {
  flow: FlowFacts;
  gateways: Component[];
}

export default defineRule({
  meta: {
    id: 'missing-identity-provider',
    title: 'Application verifies end-user passwords itself instead of a central identity provider',
    summary:
      'An application checks people’s passwords or issues their sessions itself, with no central identity provider, so it keeps its own credential store, lockout, MFA and off-boarding, which drift from the rest of the organisation’s.',
    stride: ['spoofing', 'repudiation'],
    cwe: ['CWE-287'],
    capec: ['CAPEC-49', 'CAPEC-600'],
    attack: ['T1110'],
    compliance: {
      'nist-800-53': ['AC-2', 'IA-2', 'IA-4', 'IA-5'],
      'iso-27001-2022': ['A.5.16', 'A.5.17', 'A.8.5'],
      soc2: ['CC6.1', 'CC6.2'],
      'pci-dss-4': ['8.2.1'],
      'owasp-asvs-5': ['V6.3.4'],
      hipaa: ['164.312(a)(2)(i)', '164.312(d)'],
    },
    assumes: [],
    detection:
      'A component that is not an identity provider, a client or a third party is reported when people (users, web clients, mobile apps) reach it, directly or through gateways, load balancers, CDNs or WAFs, with authentication password or basic, or with a session while the component has authentication in its controls (it runs its own sign-in), and neither those people, the component, nor the gateways in front of it have a flow to any identity provider. All such sign-ins into one component make one finding. Flows with oidc, saml or oauth2 are already federated and are not considered.',
    severityRationale:
      'Impact is medium: a separate credential store weakens lockout, MFA and off-boarding rather than opening the data by itself; high when the component holds crown-jewel data. Likelihood is possible: exploiting it needs a credential that the central controls would have stopped (a leaver’s account, a reused password).',
    falsePositives:
      'The application may delegate sign-in to an identity provider the model does not show. Add that identity provider and the flow from the people (or from the application) to it, or state the federated method (oidc, saml, oauth2) on the flow.',
    references: [
      {
        title: 'OWASP Authentication Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html',
      },
      {
        title: 'NIST SP 800-63C Federation and Assertions',
        url: 'https://pages.nist.gov/800-63-3/sp800-63c.html',
      },
    ],
    messages: {
      localSignIn:
        '{component} signs people in itself ({signIns}) and nothing connects them to a central identity provider, so it keeps its own passwords, lockout, MFA and off-boarding.',
    },
    mitigation:
      'Federate sign-in to {component} with the organisation’s identity provider (OIDC or SAML) for {people}, remove its local password store, and let the identity provider enforce MFA, lockout and de-provisioning.',
  },
  *detect(view) {
    const behindOf = behindCached(view);
    // Gateways and services are reached from many clients: whether each federates, or is a third party,
    // is asked once.
    const federation = new Map<string, boolean>();
    const federating = (c: Component): boolean => {
      let yes = federation.get(c.id);
      if (yes === undefined) {
        yes = federates(view, c);
        federation.set(c.id, yes);
      }
      return yes;
    };
    const thirdParty = new Map<string, boolean>();
    const isThird = (c: Component): boolean => {
      let yes = thirdParty.get(c.id);
      if (yes === undefined) {
        yes = isThirdParty(view, c);
        thirdParty.set(c.id, yes);
      }
      return yes;
    };
    const byComponent = new Map<string, SignIn[]>();
    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const person = components[i] as Component;
      if (!isClient(person) || federating(person)) continue;
      for (const f of view.flowsFrom(person.id)) {
        const password = f.authn === 'password' || f.authn === 'basic';
        if (!password && f.authn !== 'session') continue;
        const reached = behindOf(f.to);
        const gateways = reached.filter(isPassThrough);
        if (gateways.some(federating)) continue;
        for (const c of reached) {
          if (isPassThrough(c) || isClient(c) || c.kind === 'identity-provider' || isThird(c)) continue;
          if (!password && c.controls?.includes('authentication') !== true) continue;
          if (federating(c)) continue;
          const list = byComponent.get(c.id) ?? [];
          list.push({ flow: f, gateways: gateways.filter((g) => g.id !== c.id) });
          byComponent.set(c.id, list);
        }
      }
    }
    if (byComponent.size === 0) return;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      const signIns = byComponent.get(c.id);
      if (!signIns) continue;
      const people = [...new Set(signIns.map((s) => s.flow.from.id))];
      const jewels = view.stored(c.id).filter(isCrownJewel);
      yield {
        messageId: 'localSignIn',
        primary: [c.id],
        subjects: [...people, ...signIns.flatMap((s) => [s.flow.id, ...s.gateways.map((g) => g.id)])],
        likelihood: 'possible' as const,
        impact: jewels.length > 0 ? ('high' as const) : ('medium' as const),
        confidence: 'confirmed' as const,
        data: {
          component: nameOf(c),
          signIns: signIns
            .map(
              (s) =>
                `${nameOf(s.flow.from)} with ${s.flow.authn}${s.gateways.length > 0 ? ` through ${s.gateways.map((g) => g.id).join(', ')}` : ''}`,
            )
            .join('; '),
          people: people.map((p) => view.label(p)).join(', '),
        },
        evidence: [
          ...signIns.map((s) => `flow ${s.flow.id}: authn ${s.flow.authn}`),
          ...(signIns.some((s) => s.flow.authn === 'session') ? [`${c.id} controls: authentication`] : []),
          `no flow from ${[...people, c.id].join(', ')} to an identity provider`,
          ...(jewels.length > 0 ? [`${c.id} stores ${jewels.map((d) => d.id).join(', ')}`] : []),
        ],
      };
    }
  },
});
