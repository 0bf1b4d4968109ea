import { agreementOf, dataReaches, isThirdParty } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel, sensitive } from '../../factors.js';

/** The flow moves data into the LLM: sent to it, or read by it from us. Returns the sending component. */
function senderOf(f: FlowFacts): { llm: Component; sender: Component } | undefined {
  if (f.to.kind === 'llm' && f.from.kind !== 'llm' && dataReaches(f.flow, 'to'))
    return { llm: f.to, sender: f.from };
  if (f.from.kind === 'llm' && f.to.kind !== 'llm' && dataReaches(f.flow, 'from'))
    return { llm: f.from, sender: f.to };
  return undefined;
}

export default defineRule({
  meta: {
    id: 'sensitive-data-sent-to-llm',
    title: 'Sensitive data is sent to an externally hosted LLM',
    summary:
      'Confidential or personal data goes into the prompts or context of an LLM run by a third party without an agreement that rules out retention and training, so the provider may keep, log or learn from it, and it can resurface in other answers.',
    stride: ['information-disclosure'],
    cwe: ['CWE-359', 'CWE-200'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['SA-9', 'AC-21', 'SI-12(1)'],
      'iso-27001-2022': ['A.5.19', 'A.5.34', 'A.8.11', 'A.8.12'],
      soc2: ['CC9.2', 'P6.1'],
      'pci-dss-4': ['12.8.2'],
      'owasp-asvs-5': ['V14.2.3'],
      hipaa: ['164.308(b)(1)'],
    },
    assumes: ['agreement'],
    supersedes: ['sensitive-data-to-third-party'],
    detection:
      'A flow whose data travels into a component of kind llm (a write or invoke to it, or a read by it from one of our components) and carries confidential or more sensitive data is judged when the LLM is a third party (inside a third-party boundary). The agreement is the one stated on the LLM, else on its nearest third-party boundary: false gives a confirmed finding, absent an assumed one with a question; true clears the flow unless the flow is unencrypted. A model hosted in our own account or on-premises is not judged here. It replaces sensitive-data-to-third-party on the same flow (OWASP Top 10 for LLM Applications 2025, LLM02).',
    severityRationale:
      'Without an agreement, providers commonly keep prompts for abuse monitoring and may use them to improve models, so disclosure beyond the team’s control is likely. Impact is the classification of the data sent.',
    falsePositives:
      'A zero-retention or enterprise agreement may already cover the provider. State agreement: true on the LLM component or on its third-party boundary; if the model actually runs in your own cloud account, place it in that account’s boundary instead.',
    references: [
      {
        title: 'OWASP Top 10 for LLM Applications 2025: LLM02 Sensitive Information Disclosure',
        url: 'https://genai.owasp.org/llmrisk/llm022025-sensitive-information-disclosure/',
      },
      {
        title: 'OWASP Top 10 for LLM Applications',
        url: 'https://genai.owasp.org/llm-top-10/',
      },
      {
        title: 'CWE-359: Exposure of Private Personal Information to an Unauthorized Actor',
        url: 'https://cwe.mitre.org/data/definitions/359.html',
      },
    ],
    messages: {
      noAgreement:
        '{sender} sends {data} to {llm}, hosted by {provider}, and no data-processing agreement covers it, so prompts may be retained, logged or used for training outside your control.',
      unstated:
        '{sender} sends {data} to {llm}, hosted by {provider}; the model does not say whether a data-processing agreement (no retention, no training) covers it.',
      plaintext: '{sender} sends {data} to {llm}, hosted by {provider}, without encryption ({flow}).',
    },
    mitigation:
      'Before {sender} sends {data} to {llm}: {fix}, and send only the fields the task needs (redact or pseudonymise identifiers first); or use a model hosted in your own account.',
  },
  *detect(view) {
    // An indexed loop: a for-of loop allocates a result per flow until the code is optimised.
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // Most flows carry no stated data, and the flow's facts are cheaper to read than its ends' kinds.
      if (f.data.length === 0) continue;
      const ends = senderOf(f);
      if (!ends || !isThirdParty(view, ends.llm)) continue;
      const data = sensitive(f.data);
      if (data.length === 0) continue;
      const { value, holder } = agreementOf(view, ends.llm);
      if (value === true && f.encrypted !== false) continue;
      const boundary = view.nearest(ends.llm.id, 'third-party');
      const boundaryLabel = boundary ? nameOf(boundary) : 'a third party';
      const provider =
        boundary?.provider && !boundaryLabel.toLowerCase().includes(boundary.provider.toLowerCase())
          ? `${boundaryLabel} (${boundary.provider})`
          : boundaryLabel;
      const fixes: string[] = [];
      if (value !== true)
        fixes.push(
          `put a data-processing agreement in place with ${provider} that rules out retention and training`,
        );
      if (f.encrypted !== true) fixes.push(`encrypt the flow ${flowLabel(f)}`);
      const messageId = value === true ? 'plaintext' : value === false ? 'noAgreement' : 'unstated';
      const holderKind = view.kindOf(holder.id) === 'boundary' ? 'boundary' : 'component';
      yield {
        messageId,
        primary: [f.id],
        subjects: [ends.sender.id, ends.llm.id, ...(boundary ? [boundary.id] : []), ...data.map((d) => d.id)],
        likelihood: 'likely',
        impact: dataImpact(data),
        confidence: messageId === 'unstated' ? 'assumed' : 'confirmed',
        data: {
          sender: nameOf(ends.sender),
          llm: nameOf(ends.llm),
          provider,
          data: dataList(data),
          flow: flowLabel(f),
          fix: fixes.join(', and '),
        },
        evidence: [
          `flow ${f.id} carries ${dataList(data)} into ${ends.llm.id}`,
          `${ends.llm.id} is an llm inside third-party boundary ${boundary?.id ?? ''}`.trim(),
          value === 'unknown'
            ? `no agreement stated on ${ends.llm.id}${boundary ? ` or ${boundary.id}` : ''}`
            : `${holderKind} ${holder.id}: agreement ${value}`,
          ...(value === true
            ? [
                f.flow.encrypted === false
                  ? `flow ${f.id}: encrypted: false`
                  : `flow ${f.id}: protocol ${f.flow.protocol} is plaintext`,
              ]
            : []),
        ],
        ...(messageId === 'unstated' ? { unknowns: [{ subject: holder.id, attribute: 'agreement' }] } : {}),
      };
    }
  },
});
