import { hasControl, touchesCrownJewels } from '../../../model/queries.js';
import { nameOf } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { controlsFact } from '../../shared/evidence.js';
import { ACTING_ACTIONS, actingFlows } from '../../shared/llm.js';

export default defineRule({
  meta: {
    id: 'llm-unaudited-actions',
    title: 'Actions taken by an LLM agent are not audit-logged',
    summary:
      'An LLM agent writes, deletes, publishes or calls other systems, but keeps no audit log of its prompts and tool calls, so when an injected or mistaken instruction does damage nobody can tell who asked for what.',
    stride: ['repudiation'],
    cwe: ['CWE-778'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['AU-2', 'AU-12'],
      'iso-27001-2022': ['A.8.15'],
      soc2: ['CC7.2'],
      'pci-dss-4': ['10.2.1'],
      'owasp-asvs-5': ['V16.2.1', 'V16.3.3'],
      hipaa: ['164.312(b)'],
    },
    assumes: ['controls'],
    detection:
      'An agent’s tool calls are modelled as flows from the llm component. The rule reports a component of kind llm that has at least one outbound flow whose actions include write, delete, admin, invoke or publish, and no audit-logging in its controls. Confirmed when controls is stated; assumed, with a question, when it is absent. On the same component, missing-audit-logging replaces this finding.',
    severityRationale:
      'Misuse of an agent is likely to go unnoticed rather than likely to happen, so likelihood is possible. Impact is high when an action reaches a component holding crown-jewel data or carries such data (the record of who changed it is what investigations and regulators ask for), medium otherwise.',
    falsePositives:
      'The calls may be logged by the platform around the model (an agent framework that records every tool call, a gateway in front of the tools). Record audit-logging in the controls of the llm component when its prompts and tool calls are captured that way.',
    references: [
      {
        title: 'OWASP Top 10 for LLM Applications 2025: LLM06 Excessive Agency',
        url: 'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
      },
      {
        title: 'OWASP Logging Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
      },
      {
        title: 'CWE-778: Insufficient Logging',
        url: 'https://cwe.mitre.org/data/definitions/778.html',
      },
    ],
    messages: {
      unaudited:
        '{llm} acts on {targets} ({actions}) but keeps no audit log of its prompts and tool calls, so an injected or mistaken instruction cannot be traced afterwards.',
      unstated:
        '{llm} acts on {targets} ({actions}), and the model does not say whether its prompts and tool calls are audit-logged.',
    },
    mitigation:
      'Audit-log every action of {llm}: the prompt and the user it acted for, and each call to {targets} with its arguments and result, in a store that {llm} and its operators cannot alter, and alert on unusual tool use.',
  },
  *detect(view) {
    for (const llm of view.components) {
      if (llm.kind !== 'llm') continue;
      const acting = actingFlows(view, llm);
      if (acting.length === 0) continue;
      const audited = hasControl(llm, 'audit-logging');
      if (audited === true) continue;
      const confirmed = audited === false;
      const actions = [
        ...new Set(acting.flatMap((f) => (f.flow.actions ?? []).filter((a) => ACTING_ACTIONS.has(a)))),
      ].sort();
      const onJewels = acting.some((f) => touchesCrownJewels(view, f));
      yield {
        messageId: confirmed ? 'unaudited' : 'unstated',
        primary: [llm.id],
        subjects: [...acting.map((f) => f.id), ...acting.map((f) => f.to.id)],
        likelihood: 'possible',
        impact: onJewels ? 'high' : 'medium',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          llm: nameOf(llm),
          targets: [...new Set(acting.map((f) => nameOf(f.to)))].join(', '),
          actions: actions.join(', '),
        },
        evidence: [
          controlsFact(llm, 'audit-logging'),
          ...acting.map(
            (f) => `flow ${f.id}: ${llm.id} → ${f.to.id}, actions [${(f.flow.actions ?? []).join(', ')}]`,
          ),
        ],
        ...(confirmed ? {} : { unknowns: [{ subject: llm.id, attribute: 'controls' }] }),
      };
    }
  },
});
