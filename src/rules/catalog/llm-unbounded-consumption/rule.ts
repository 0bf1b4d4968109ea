import { appliesControl, isClient, isPassThrough, isThirdParty } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { nameOf } from '../../../model/view.js';
import type { TriState } from '../../../model/vocabulary.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { listsFact } from '../../shared/evidence.js';
import { uniqueById } from '../../shared/unique.js';

export default defineRule({
  meta: {
    id: 'llm-unbounded-consumption',
    title: 'Internet users can drive unbounded LLM usage',
    summary:
      'People on the internet can make an LLM work for them, and neither the model nor the components that call it cap requests or tokens, so one client can run up the bill, exhaust the capacity other users need, or extract the model through volume.',
    stride: ['denial-of-service'],
    cwe: ['CWE-770', 'CWE-400'],
    capec: ['CAPEC-130', 'CAPEC-125'],
    attack: ['T1496.004', 'T1499.003'],
    compliance: {
      'nist-800-53': ['SC-5'],
      'iso-27001-2022': ['A.8.6'],
      soc2: ['A1.1'],
      'owasp-asvs-5': ['V2.4.1', 'V15.2.2'],
    },
    assumes: ['controls', 'enforces'],
    detection:
      'For every component of kind llm that a chain of flows from an entry point reaches, the rule looks at the LLM and at its callers that the internet reaches (the components with a flow to it). It fires when the LLM has no rate-limiting in controls or enforces and some such caller has none either (clients and internet sources never count as limiting). Limits at the edge further away do not count: a request limit does not bound the tokens, steps or tool calls behind one request, so quotas belong where the model is called. Confirmed when the lists are stated; assumed, with questions, otherwise (OWASP Top 10 for LLM Applications 2025, LLM10).',
    severityRationale:
      'Anyone who reaches the entry can send expensive prompts, so likelihood is likely. Impact is medium (cost and availability), high when the model is a third party billed per token, where abuse turns directly into spend.',
    falsePositives:
      'Quotas may be configured where the model does not show them (a provider’s per-key token limit, a budget cap on the account). Record rate-limiting in the controls of the llm component, or in the controls or enforces of the service that calls it.',
    references: [
      {
        title: 'OWASP Top 10 for LLM Applications 2025: LLM10 Unbounded Consumption',
        url: 'https://genai.owasp.org/llmrisk/llm102025-unbounded-consumption/',
      },
      {
        title: 'OWASP Top 10 for LLM Applications',
        url: 'https://genai.owasp.org/llm-top-10/',
      },
      {
        title: 'CWE-770: Allocation of Resources Without Limits or Throttling',
        url: 'https://cwe.mitre.org/data/definitions/770.html',
      },
    ],
    messages: {
      unbounded:
        '{llm} is reachable from the internet, and neither it nor {callers} caps requests or tokens, so anyone can run up its bill or exhaust its capacity.',
      unstated:
        '{llm} is reachable from the internet, and the model does not say whether it or {callers} caps requests or tokens.',
    },
    mitigation:
      'Bound the use of {llm} where it is called ({callers}): request and token quotas per user and per tenant, a maximum prompt and answer size, a cap on agent steps and tool calls per request, and a spending limit with alerts on the model account.',
  },
  *detect(view) {
    for (const llm of view.components) {
      if (llm.kind !== 'llm' || !view.isInternetReachable(llm.id)) continue;
      const atLlm = appliesControl(llm, 'rate-limiting');
      if (atLlm === true) continue;
      const callers = uniqueById(
        view
          .flowsTo(llm.id)
          .filter((f) => view.isInternetReachable(f.from.id))
          .map((f) => f.from),
      );
      const limitAt = (c: Component): TriState =>
        isClient(c) || view.isInternetSource(c.id) ? false : appliesControl(c, 'rate-limiting');
      const open = callers.filter((c) => limitAt(c) !== true);
      if (callers.length > 0 && open.length === 0) continue;
      const known = open.filter((c) => limitAt(c) === false);
      const confirmed = atLlm === false && (callers.length === 0 || known.length > 0);
      const named = confirmed && callers.length > 0 ? known : open;
      const unknowns: Unknown[] = [];
      if (!confirmed) {
        if (atLlm === 'unknown') unknowns.push({ subject: llm.id, attribute: 'controls' });
        for (const c of named)
          if (limitAt(c) === 'unknown')
            unknowns.push({ subject: c.id, attribute: isPassThrough(c) ? 'enforces' : 'controls' });
      }
      const callerText =
        named.length > 0 ? named.map((c) => nameOf(c)).join(', ') : 'anything in front of it';
      yield {
        messageId: confirmed ? 'unbounded' : 'unstated',
        primary: [llm.id],
        subjects: named.map((c) => c.id),
        likelihood: 'likely',
        impact: isThirdParty(view, llm) ? 'high' : 'medium',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: { llm: nameOf(llm), callers: callerText },
        evidence: [
          `${llm.id} is reachable from an entry point`,
          listsFact(llm, 'rate-limiting'),
          ...named.map((c) =>
            isClient(c) || view.isInternetSource(c.id)
              ? `${c.id} calls ${llm.id} straight from the internet`
              : listsFact(c, 'rate-limiting'),
          ),
          ...(isThirdParty(view, llm) ? [`${llm.id} is hosted by a third party (billed per use)`] : []),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
