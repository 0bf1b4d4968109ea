import {
  appliesControl,
  dataReaches,
  isCrownJewel,
  isThirdParty,
  touchesCrownJewels,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { controlsFact } from '../../shared/evidence.js';

type Handling = 'safe' | 'unsafe' | 'unknown';

/** Whether a consumer encodes or validates what it receives (its own controls). */
function handling(c: Component): Handling {
  if (c.controls === undefined) return 'unknown';
  return c.controls.includes('output-encoding') || c.controls.includes('input-validation')
    ? 'safe'
    : 'unsafe';
}

/** A consumer where interpreted output does the most damage: a browser, a privileged host, crown-jewel data. */
function isHighStakes(view: View, c: Component): boolean {
  if (c.kind === 'web-client' || c.privileged === true) return true;
  if (view.stored(c.id).some(isCrownJewel)) return true;
  return view
    .flowsFrom(c.id)
    .some(
      (f) =>
        (f.flow.actions ?? []).some((a) => a === 'write' || a === 'delete' || a === 'admin') &&
        touchesCrownJewels(view, f),
    );
}

export default defineRule({
  meta: {
    id: 'llm-unfiltered-output',
    title: 'LLM output is passed to interpreters without filtering or encoding',
    summary:
      'What an LLM returns is steered by whoever wrote its input, yet neither the model’s side filters it nor the components that receive it encode or validate it, so injected markup, queries or commands run in browsers, databases or tools.',
    stride: ['tampering', 'elevation-of-privilege'],
    cwe: ['CWE-1426', 'CWE-79', 'CWE-94'],
    capec: ['CAPEC-63', 'CAPEC-242'],
    attack: [],
    compliance: {
      'nist-800-53': ['SI-10', 'SI-15'],
      'iso-27001-2022': ['A.8.26', 'A.8.28'],
      'pci-dss-4': ['6.2.4'],
      'owasp-asvs-5': ['V1.1.2', 'V1.3.3'],
      hipaa: ['164.312(c)(1)'],
    },
    assumes: ['controls', 'enforces'],
    detection:
      'For every component of kind llm without content-filtering (in controls or enforces), the rule collects the consumers of its output: the components that call it (they receive the answer) and the components its flows send data to (tool calls, writes). People (kind user) read rather than interpret, and third parties are out of the team’s hands, so neither counts. It fires when some consumer has neither output-encoding nor input-validation in its controls. Confirmed when the LLM states its lists and that consumer states its controls; assumed, with questions, otherwise (OWASP Top 10 for LLM Applications 2025, LLM05).',
    severityRationale:
      'Likelihood is possible, likely when the LLM is reachable from the internet, where an attacker can steer its output directly. Impact is high when a consumer is a web client (script in users’ browsers), a privileged workload, holds crown-jewel data or writes to it; medium otherwise.',
    falsePositives:
      'The consumer may handle the output safely without the model saying so (a template engine that escapes by default, tool arguments checked against a schema). Record output-encoding or input-validation in the consumer’s controls, or content-filtering on the LLM when its output is filtered before anyone receives it.',
    references: [
      {
        title: 'OWASP Top 10 for LLM Applications 2025: LLM05 Improper Output Handling',
        url: 'https://genai.owasp.org/llmrisk/llm052025-improper-output-handling/',
      },
      {
        title: 'CWE-1426: Improper Validation of Generative AI Output',
        url: 'https://cwe.mitre.org/data/definitions/1426.html',
      },
      {
        title: 'OWASP Top 10 for LLM Applications',
        url: 'https://genai.owasp.org/llm-top-10/',
      },
    ],
    messages: {
      unfiltered:
        'The output of {llm} is not filtered and reaches {consumers} without being encoded or validated there, so instructions injected into the model can come out as script, queries or commands.',
      unstated:
        'The model does not show that the output of {llm} is filtered, or that it is encoded or validated where it lands ({consumers}).',
    },
    mitigation:
      'Treat the output of {llm} as untrusted input in {consumers}: validate it against the expected structure (schemas for tool arguments, allow-lists for commands and links), encode it for where it lands (escape before rendering, parameterised queries, no shell or eval), and filter markup, links and secrets out of what {llm} returns.',
  },
  *detect(view) {
    for (const llm of view.components) {
      if (llm.kind !== 'llm') continue;
      const filtered = appliesControl(llm, 'content-filtering');
      if (filtered === true) continue;
      const consumers = new Map<string, { c: Component; via: string }>();
      const add = (c: Component, via: string) => {
        if (c.id === llm.id || c.kind === 'user' || isThirdParty(view, c) || consumers.has(c.id)) return;
        consumers.set(c.id, { c, via });
      };
      for (const f of view.flowsTo(llm.id))
        add(f.from, `flow ${f.id}: ${f.from.id} calls ${llm.id} and receives its answer`);
      for (const f of view.flowsFrom(llm.id))
        if (dataReaches(f.flow, 'to')) add(f.to, `flow ${f.id}: ${llm.id} sends its output to ${f.to.id}`);
      const judged = [...consumers.values()].map((x) => ({ ...x, handling: handling(x.c) }));
      const unsafe = judged.filter((x) => x.handling === 'unsafe');
      const open = judged.filter((x) => x.handling !== 'safe');
      if (open.length === 0) continue;
      const confirmed = filtered === false && unsafe.length > 0;
      const named = confirmed ? unsafe : open;
      const unknowns: Unknown[] = [];
      if (!confirmed) {
        if (filtered === 'unknown') unknowns.push({ subject: llm.id, attribute: 'controls' });
        for (const x of open)
          if (x.handling === 'unknown') unknowns.push({ subject: x.c.id, attribute: 'controls' });
      }
      const consumerList = named.map((x) => nameOf(x.c)).join(', ');
      yield {
        messageId: confirmed ? 'unfiltered' : 'unstated',
        primary: [llm.id],
        subjects: named.map((x) => x.c.id),
        likelihood: view.isInternetReachable(llm.id) ? 'likely' : 'possible',
        impact: named.some((x) => isHighStakes(view, x.c)) ? 'high' : 'medium',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: { llm: nameOf(llm), consumers: consumerList },
        evidence: [
          filtered === false
            ? `${llm.id} has no content-filtering in controls or enforces`
            : `${llm.id} states neither controls nor enforces`,
          ...named.flatMap((x) => [x.via, controlsFact(x.c, 'output-encoding or input-validation')]),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
