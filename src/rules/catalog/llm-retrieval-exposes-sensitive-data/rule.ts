import { dataReaches, hasControl, isCrownJewel } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { nameOf } from '../../../model/view.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList } from '../../factors.js';
import { controlsFact } from '../../shared/evidence.js';
import { uniqueById } from '../../shared/unique.js';

interface Exposure {
  /** Where the data is: a source the LLM reads from, or the LLM itself. */
  at: Component;
  flowId?: string;
  data: DataAsset[];
  confirmed: boolean;
}

export default defineRule({
  meta: {
    id: 'llm-retrieval-exposes-sensitive-data',
    title: 'Internet-reachable LLM can retrieve crown-jewel data without per-user authorization',
    summary:
      'An LLM that people on the internet can prompt holds or reads personal, health, card, financial, credential or secret data, and neither the LLM nor the store it reads from authorizes each retrieval for the user being answered, so a crafted prompt can make it reveal other users’ data.',
    stride: ['information-disclosure', 'elevation-of-privilege'],
    cwe: ['CWE-200', 'CWE-285'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['AC-3', 'AC-4', 'AC-6'],
      'iso-27001-2022': ['A.8.3', 'A.8.12'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['7.2.1'],
      'owasp-asvs-5': ['V8.2.2', 'V14.2.6'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['controls'],
    detection:
      'For every component of kind llm that a chain of flows from an entry point reaches, the rule collects the crown-jewel data it can retrieve: what it stores itself (fine-tuning data, embeddings) and what its flows read (a flow from the LLM whose data travels back to it) from components that hold such data or that the flow says it carries. A place is exposed when authorization is in the controls of neither the LLM nor, for a read, the component it reads from. Confirmed when those controls are stated; assumed, with questions, when a list is absent (OWASP Top 10 for LLM Applications 2025, LLM02 and LLM08).',
    severityRationale:
      'Anyone who can prompt the model can ask for the data, and prompt injection defeats instructions that tell it not to, so likelihood is likely. Impact is the classification of the data it can retrieve.',
    falsePositives:
      'Retrieval may already be scoped to the user (the calling service passes the user’s token and the store filters by it, a per-tenant index). Record authorization in the controls of the component that enforces it; if the data the model can reach is in fact public or internal, correct its classification.',
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
        title: 'CWE-285: Improper Authorization',
        url: 'https://cwe.mitre.org/data/definitions/285.html',
      },
    ],
    messages: {
      exposes:
        '{llm} is reachable from the internet and can read {data} {where}, and nothing authorizes that access per user, so a crafted prompt can make it reveal any of it.',
      unstated:
        '{llm} is reachable from the internet and can read {data} {where}, and the model does not say whether that access is authorized per user.',
    },
    mitigation:
      'Authorize every retrieval by {llm} for the user it is answering: pass that user’s identity to {sources} and filter results by it (per-tenant and per-document access control on the index or database), and give {llm} a read scope no wider than that user’s own.',
  },
  *detect(view) {
    for (const llm of view.components) {
      if (llm.kind !== 'llm' || !view.isInternetReachable(llm.id)) continue;
      const atLlm = hasControl(llm, 'authorization');
      if (atLlm === true) continue;
      const exposures: Exposure[] = [];
      const held = view.stored(llm.id).filter(isCrownJewel);
      if (held.length > 0) exposures.push({ at: llm, data: held, confirmed: atLlm === false });
      for (const f of view.flowsFrom(llm.id)) {
        if (!dataReaches(f.flow, 'from')) continue;
        const data = uniqueById([...f.data, ...view.stored(f.to.id)].filter(isCrownJewel));
        if (data.length === 0) continue;
        const atSource = hasControl(f.to, 'authorization');
        if (atSource === true) continue;
        exposures.push({ at: f.to, flowId: f.id, data, confirmed: atLlm === false && atSource === false });
      }
      if (exposures.length === 0) continue;
      const confirmed = exposures.some((e) => e.confirmed);
      const named = confirmed ? exposures.filter((e) => e.confirmed) : exposures;
      const unknowns: Unknown[] = [];
      if (!confirmed) {
        if (atLlm === 'unknown') unknowns.push({ subject: llm.id, attribute: 'controls' });
        for (const e of named)
          if (e.at.id !== llm.id && hasControl(e.at, 'authorization') === 'unknown')
            unknowns.push({ subject: e.at.id, attribute: 'controls' });
      }
      const data = uniqueById(named.flatMap((e) => e.data));
      const places = named.map((e) => (e.at.id === llm.id ? 'in its own store' : `from ${nameOf(e.at)}`));
      yield {
        messageId: confirmed ? 'exposes' : 'unstated',
        primary: [llm.id],
        subjects: [
          ...named.map((e) => e.at.id),
          ...named.flatMap((e) => (e.flowId ? [e.flowId] : [])),
          ...data.map((d) => d.id),
        ],
        likelihood: 'likely',
        impact: dataImpact(data),
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          llm: nameOf(llm),
          data: dataList(data),
          where: places.join(', '),
          sources: named
            .map((e) => (e.at.id === llm.id ? `the index of ${nameOf(llm)}` : nameOf(e.at)))
            .join(', '),
        },
        evidence: [
          `${llm.id} is reachable from an entry point (${view.hopsFromEntry(llm.id) === 1 ? '1 hop' : `${view.hopsFromEntry(llm.id)} hops`})`,
          controlsFact(llm, 'authorization'),
          ...named.flatMap((e) =>
            e.at.id === llm.id
              ? [`${llm.id} stores ${dataList(e.data)}`]
              : [
                  `flow ${e.flowId}: ${llm.id} reads ${dataList(e.data)} from ${e.at.id}`,
                  controlsFact(e.at, 'authorization'),
                ],
          ),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
