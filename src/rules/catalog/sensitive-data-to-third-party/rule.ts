import { agreementOf, dataReaches, isThirdParty } from '../../../model/queries.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel, sensitive } from '../../factors.js';

/** The finding for a flow with exactly one third-party end (`toThirdParty`: its target), or undefined. */
function judge(view: View, f: FlowFacts, toThirdParty: boolean): Draft | undefined {
  const party = toThirdParty ? f.to : f.from;
  const ours = toThirdParty ? f.from : f.to;
  if (party.kind === 'llm') return undefined;
  if (!dataReaches(f.flow, toThirdParty ? 'to' : 'from')) return undefined;
  // A person sending their own data to a third party is their choice, not the system sharing it.
  if (ours.kind === 'user') return undefined;
  // Credentials exchanged with an identity provider are sign-in, not data shared for processing.
  const signIn = party.kind === 'identity-provider' || ours.kind === 'identity-provider';
  const shared = sensitive(f.data).filter((d) => !(signIn && d.classification === 'credentials'));
  if (shared.length === 0) return undefined;
  const agreement = agreementOf(view, party);
  const plaintext = f.encrypted === false;
  if (agreement.value === true && !plaintext) return undefined;
  const boundary = view.nearest(party.id, 'third-party');
  const common = {
    primary: [f.id],
    subjects: [ours.id, party.id, ...(boundary ? [boundary.id] : []), ...shared.map((d) => d.id)],
    likelihood: agreement.value === false || plaintext ? ('likely' as const) : ('possible' as const),
    impact: dataImpact(shared),
    data: {
      thirdParty: nameOf(party),
      ours: nameOf(ours),
      data: dataList(shared),
      flow: flowLabel(f),
    },
  };
  const evidence = [
    `flow ${f.id} carries ${dataList(shared)} ${toThirdParty ? `to ${party.id}` : `read by ${party.id}`}`,
    party.kind === 'external-service' && !boundary
      ? `${party.id} is an external service`
      : `${party.id} is a third party${boundary ? ` (inside ${boundary.id})` : ''}`,
    agreement.value === 'unknown'
      ? `agreement not stated on ${party.id}${boundary ? ` or ${boundary.id}` : ''}`
      : `${agreement.holder.id}: agreement ${agreement.value}`,
    ...(plaintext ? [`flow ${f.id} is not encrypted`] : []),
  ];
  if (agreement.value === 'unknown') {
    return {
      ...common,
      messageId: 'agreementUnstated',
      confidence: 'assumed',
      evidence,
      unknowns: [{ subject: agreement.holder.id, attribute: 'agreement' }],
    };
  }
  return {
    ...common,
    messageId: agreement.value === false ? 'noAgreement' : 'plaintext',
    confidence: 'confirmed',
    evidence,
  };
}

export default defineRule({
  meta: {
    id: 'sensitive-data-to-third-party',
    title: 'Sensitive data is shared with a third party without a recorded agreement',
    summary:
      'Confidential, personal, financial, health, card or credential data leaves for a third party that no data-processing agreement binds, so how it is used, kept, passed on and protected is outside the team’s control.',
    stride: ['information-disclosure'],
    cwe: ['CWE-359', 'CWE-200'],
    capec: [],
    attack: ['T1199'],
    compliance: {
      'nist-800-53': ['SA-9', 'CA-3', 'AC-21'],
      'iso-27001-2022': ['A.5.14', 'A.5.19', 'A.5.20', 'A.5.34'],
      soc2: ['CC9.2', 'P6.1'],
      'pci-dss-4': ['12.8.1', '12.8.2'],
      'owasp-asvs-5': ['V14.2.3'],
      hipaa: ['164.308(b)(1)'],
    },
    assumes: ['agreement'],
    detection:
      'A flow between one of our components and a third party (a component of kind external-service, or inside a third-party boundary) is reported when the data it carries toward the third party includes data classified confidential or higher: data moves to the third party when it is the flow’s target and the flow writes (or its actions are mixed or unstated), and from us when the third party initiates the flow and reads. Whether an agreement covers the third party is the agreement field on the component, else on its nearest third-party boundary: false is confirmed; absent or unknown is assumed, with a question on that boundary (or on the component when it has none). With agreement: true the flow is reported only when it is unencrypted. LLMs are judged by sensitive-data-sent-to-llm; flows between two third parties, and data a person (kind user) sends a third party themselves, are not the system sharing data; credentials exchanged with an identity provider are sign-in, not data shared for processing.',
    severityRationale:
      'Impact is the classification of the data shared (very high for pci, phi, credentials and secrets; high for pii and financial data; medium for confidential). Likelihood is possible, because misuse needs the third party (or one of its sub-processors) to mishandle or lose the data; likely when the model states there is no agreement, or when the flow is unencrypted.',
    falsePositives:
      'An agreement may exist without the model saying so (a DPA accepted with the provider’s terms, a BAA signed with a cloud provider). Record it with agreement: true on the third-party boundary or the component. If the component is really ours (a managed service inside our own account), model it in our boundary rather than as an external service.',
    references: [
      {
        title: 'GDPR Article 28: Processor (Regulation (EU) 2016/679)',
        url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
      },
      {
        title: 'HHS: Business Associates under HIPAA',
        url: 'https://www.hhs.gov/hipaa/for-professionals/privacy/guidance/business-associates/index.html',
      },
      {
        title: 'CWE-359: Exposure of Private Personal Information to an Unauthorized Actor',
        url: 'https://cwe.mitre.org/data/definitions/359.html',
      },
    ],
    messages: {
      noAgreement:
        'The flow {flow} shares {data} with the third party {thirdParty}, and the model states that no data-processing agreement covers it.',
      agreementUnstated:
        'The flow {flow} shares {data} with the third party {thirdParty}, and the model does not say whether a data-processing agreement covers it.',
      plaintext:
        'The flow {flow} shares {data} with the third party {thirdParty} unencrypted, so the agreement with {thirdParty} does not protect the data on the way.',
    },
    mitigation:
      'Cover the sharing of {data} with a data-processing agreement with {thirdParty} (purpose, retention, sub-processors, breach notice; a business associate agreement for phi) and record it as agreement: true; send {thirdParty} only the fields it needs on {flow}, pseudonymised where possible, over an encrypted channel.',
  },
  *detect(view) {
    for (const f of view.flows) {
      // Most flows carry no stated data: nothing is shared, whichever their ends.
      if (f.data.length === 0) continue;
      const toThirdParty = isThirdParty(view, f.to);
      if (toThirdParty === isThirdParty(view, f.from)) continue;
      const draft = judge(view, f, toThirdParty);
      if (draft) yield draft;
    }
  },
});
