import {
  appliesControl,
  behindCached,
  isCrownJewel,
  isPassThrough,
  isThirdParty,
  listsUnstated,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel, lowerImpact } from '../../factors.js';
import { uniqueById, uniqueUnknowns } from '../../shared/unique.js';

export default defineRule({
  meta: {
    id: 'single-factor-access-to-crown-jewels',
    title: 'People reach crown-jewel data with a single authentication factor',
    summary:
      'People on the internet reach personal, financial, health, card or credential data after proving only one factor, so a phished or reused credential is enough to take over an account and its data.',
    stride: ['spoofing', 'information-disclosure'],
    cwe: ['CWE-308'],
    capec: ['CAPEC-600', 'CAPEC-98'],
    attack: ['T1078', 'T1110.004'],
    compliance: {
      'nist-800-53': ['IA-2(1)', 'IA-2(2)', 'IA-8'],
      'iso-27001-2022': ['A.8.5'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['8.4.2'],
      'owasp-asvs-5': ['V6.3.3'],
      hipaa: ['164.312(d)'],
    },
    assumes: ['controls', 'enforces'],
    detection:
      'A flow from a user on the internet that carries crown-jewel data (financial, pii, phi, pci, credentials, secret) and authenticates with a token, session or federation method (not none or unknown, which missing-authentication judges; not a password, basic credentials or an API key, which weak-authentication-on-exposed-entry judges; not mtls, whose client certificate is a possession factor). It is reported when mfa appears in the controls or enforces of none of: the receiving component, the gateways and origin it passes the traffic on to, and any identity provider the same user has a flow to. Confirmed when the receiver, its gateways and those identity providers state their lists; assumed, with questions, when one does not. Flows into a third party are left out (its sign-in is not ours to configure).',
    severityRationale:
      'Impact is the classification of the data the flow carries, lowered one step because one stolen credential opens one account, not all of them; not lowered when the flow administers (admin among its actions), where unrestricted-admin-access-from-internet usually reports the same flow. Likelihood is possible: the attacker still needs a working credential, by phishing, malware or reuse.',
    falsePositives:
      'MFA may be enforced at an identity provider or access proxy the model does not connect to this user. Add the flow from the user to that identity provider, or add mfa to the controls of the component that enforces it.',
    references: [
      {
        title: 'OWASP Multifactor Authentication Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Multifactor_Authentication_Cheat_Sheet.html',
      },
      {
        title: 'NIST SP 800-63B Digital Identity Guidelines',
        url: 'https://pages.nist.gov/800-63-3/sp800-63b.html',
      },
    ],
    messages: {
      singleFactor:
        '{user} reaches {data} at {target} with a single factor ({flow}, authn {authn}); no second factor is required at {checked}.',
      mfaUnstated:
        '{user} reaches {data} at {target} with {authn} ({flow}), and the model does not show a second factor at {checked}.',
    },
    mitigation:
      'Require a second factor for {user} before {target} releases {data}: enforce MFA (preferably phishing-resistant, such as passkeys or FIDO2) at {idp}, and require step-up authentication for the most sensitive operations.',
  },
  *detect(view) {
    let behindOf: ((c: Component) => readonly Component[]) | undefined;
    for (const f of view.flows) {
      // Cheapest tests first: the caller's kind and the flow's own authentication, then the lookups.
      if (f.from.kind !== 'user' || f.authnStrength !== 'strong' || f.authn === 'mtls') continue;
      if (!carriesCrownJewel(f) || !view.isInternetSource(f.from.id)) continue;
      if (isThirdParty(view, f.to)) continue;
      behindOf ??= behindCached(view);
      const draft = finding(view, f, behindOf);
      if (draft !== undefined) yield draft;
    }
  },
});

function carriesCrownJewel(f: FlowFacts): boolean {
  for (const d of f.data) if (isCrownJewel(d)) return true;
  return false;
}

/** The finding on a strongly but single-factor authenticated flow of crown jewels, if no MFA is met. */
function finding(
  view: View,
  f: FlowFacts,
  behindOf: (c: Component) => readonly Component[],
): Draft | undefined {
  const jewels = f.data.filter(isCrownJewel);
  const chain = behindOf(f.to);
  const idps = view
    .flowsFrom(f.from.id)
    .map((g) => g.to)
    .filter((c) => c.kind === 'identity-provider');
  const checked = uniqueById([...chain, ...idps]);
  if (checked.some((c) => appliesControl(c, 'mfa') === true)) return undefined;
  // Questions only where MFA is usually enforced: the receiver, its gateways, the identity providers.
  const unknowns: Unknown[] = [f.to, ...chain.filter(isPassThrough), ...idps]
    .filter(listsUnstated)
    .map((c) => ({ subject: c.id, attribute: isPassThrough(c) ? 'enforces' : 'controls' }));
  const questions = uniqueUnknowns(unknowns);
  const confirmed = questions.length === 0;
  const operator = f.flow.actions?.includes('admin') === true;
  const full = dataImpact(jewels);
  const where = [f.to, ...idps];
  const origins = chain.filter((c) => c.id !== f.to.id && !isPassThrough(c));
  return {
    messageId: confirmed ? 'singleFactor' : 'mfaUnstated',
    primary: [f.id],
    subjects: [f.from.id, ...checked.map((c) => c.id), ...jewels.map((d) => d.id)],
    likelihood: 'possible' as const,
    impact: operator ? full : lowerImpact(full),
    confidence: confirmed ? ('confirmed' as const) : ('assumed' as const),
    data: {
      user: nameOf(f.from),
      data: dataList(jewels),
      target: nameOf(f.to),
      flow: flowLabel(f),
      authn: f.authn,
      checked: [...new Set(where.map((c) => nameOf(c)))].join(' or '),
      idp: idps.length > 0 ? idps.map((c) => nameOf(c)).join(', ') : nameOf(f.to),
    },
    evidence: [
      `flow ${f.id}: authn ${f.authn}, carries ${dataList(jewels)}`,
      `${f.from.id} is a user on the internet`,
      ...[f.to, ...chain.filter(isPassThrough), ...idps]
        .filter((c, i, all) => all.indexOf(c) === i)
        .map((c) =>
          listsUnstated(c) ? `${c.id} does not state its controls or enforces` : `${c.id} has no mfa`,
        ),
      ...(origins.length > 0
        ? [`no mfa at the components behind ${f.to.id}: ${origins.map((c) => c.id).join(', ')}`]
        : []),
      ...(idps.length === 0 ? [`${f.from.id} has no flow to an identity provider`] : []),
    ],
    ...(confirmed ? {} : { unknowns: questions }),
  };
}
