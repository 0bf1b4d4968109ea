import {
  appliesControl,
  grantCovers,
  isCrownJewel,
  isProduction,
  isThirdParty,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { outsiderWrittenSources } from '../../shared/llm.js';

const CHANGING = ['write', 'delete', 'admin', 'publish'] as const;
const DESTRUCTIVE = new Set(['delete', 'admin', '*']);

/**
 * The LLM takes text from outsiders: the internet reaches it, it reads a store that internet-reachable or
 * third-party components write to, or it fetches URLs (the condition of llm-prompt-injection, judged here
 * whether or not a filter is in place: a filter lowers the risk but does not remove it).
 */
function takesUntrustedText(view: View, llm: Component): boolean {
  if (view.isInternetReachable(llm.id) || llm['fetches-urls'] === true) return true;
  return outsiderWrittenSources(view, llm).length > 0;
}

/** What is at stake if the target is destroyed or administered: crown jewels or production. */
const critical = (view: View, c: Component) =>
  view.stored(c.id).some(isCrownJewel) || isProduction(c) === true;

const VERB: Record<string, string> = {
  write: 'write to',
  delete: 'delete from',
  admin: 'administer',
  publish: 'publish to',
  deploy: 'deploy to',
  '*': 'do anything to',
};
/** "write to and delete from Orders DB". */
const phrase = (actions: readonly string[], what: string) =>
  `${[...new Set(actions.map((a) => VERB[a] ?? a))].join(' and ')} ${what}`;

interface Act {
  /** The acted-upon component id, or "*" (every resource, through a grant). */
  target: string;
  /** "write to Stripe", "invoke Tools API, which writes to tenant-db", ... */
  what: string;
  severe: boolean;
  evidence: string;
  subjects: string[];
}

export default defineRule({
  meta: {
    id: 'llm-excessive-agency',
    title: 'LLM can change things without a human approving',
    summary:
      'An LLM agent can write, delete, administer, publish or deploy, directly, through tools it invokes or through the permissions of its identity, and no human approves those actions, so one injected or hallucinated instruction changes real systems at once.',
    stride: ['elevation-of-privilege', 'tampering'],
    cwe: ['CWE-250', 'CWE-862', 'CWE-441'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['AC-3', 'AC-6'],
      'iso-27001-2022': ['A.8.2', 'A.8.27'],
      soc2: ['CC6.3'],
      'pci-dss-4': ['7.2.2'],
      'owasp-asvs-5': ['V2.3.5', 'V8.2.1', 'V15.2.5'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['controls', 'enforces'],
    detection:
      'An agent’s tool calls are modelled as flows from the llm component. The rule reports an llm that acts: a flow from it with write, delete, admin or publish actions or purpose deploy or admin; an invoke of a component that itself has write, delete or admin flows; or a runs-as identity with write, delete, admin or "*" grants. An action counts as approved when human-approval is in the controls or enforces of the LLM or of the acted-upon component (never of a third party, nor of "*": there the approval has to sit at the LLM). Confirmed when the lists are stated; assumed, with questions, when they are absent. Read-only tools never fire (OWASP Top 10 for LLM Applications 2025, LLM06).',
    severityRationale:
      'Likelihood is possible, and likely when the LLM takes untrusted text (reachable from the internet, reading content outsiders write, or fetching URLs), because then anyone can try to steer it, with or without an input filter. Impact is very high when it can delete or administer crown-jewel data or production systems (directly, through an invoked tool or through its identity), high otherwise.',
    falsePositives:
      'Approval may happen outside the model (the tool itself asks the user to confirm, an operator approves a queue of drafts). Record human-approval in the controls of the component that asks for the confirmation; if a tool is read-only, state actions: [read] on its flow.',
    references: [
      {
        title: 'OWASP Top 10 for LLM Applications 2025: LLM06 Excessive Agency',
        url: 'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/',
      },
      {
        title: 'OWASP Top 10 for LLM Applications',
        url: 'https://genai.owasp.org/llm-top-10/',
      },
      {
        title: 'CWE-441: Unintended Proxy or Intermediary (Confused Deputy)',
        url: 'https://cwe.mitre.org/data/definitions/441.html',
      },
    ],
    messages: {
      unapproved:
        '{llm} can {actions} without a human approving each action, so one injected or mistaken instruction is carried out at once.',
      unstated:
        '{llm} can {actions}, and the model does not say whether a human approves these actions first.',
    },
    mitigation:
      'Require a human to confirm each consequential action of {llm} ({targets}) before it runs, showing the exact call and its arguments; remove the tools and grants it does not need, make the rest read-only where possible, and bound what remains (amounts, rows, recipients).',
  },
  *detect(view) {
    // Indexed: a for-of loop allocates a result object per element until the code is optimised, and
    // few components are LLMs.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const llm = components[i] as Component;
      if (llm.kind !== 'llm') continue;
      const atLlm = appliesControl(llm, 'human-approval');
      if (atLlm === true) continue;
      const acts: Act[] = [];
      for (const f of view.flowsFrom(llm.id)) {
        const actions = f.flow.actions ?? [];
        const changing = actions.filter((a) => (CHANGING as readonly string[]).includes(a));
        const purpose =
          f.flow.purpose === 'deploy' || f.flow.purpose === 'admin' ? f.flow.purpose : undefined;
        if (changing.length > 0 || purpose) {
          acts.push({
            target: f.to.id,
            what: phrase(
              [...changing, ...(purpose ? [purpose === 'admin' ? 'admin' : 'deploy'] : [])],
              nameOf(f.to),
            ),
            severe:
              (changing.some((a) => DESTRUCTIVE.has(a)) || purpose !== undefined) && critical(view, f.to),
            evidence: `flow ${f.id}: ${llm.id} → ${f.to.id}, actions [${actions.join(', ')}]${purpose ? `, purpose ${purpose}` : ''}`,
            subjects: [f.id],
          });
        } else if (actions.includes('invoke')) {
          const downstream = view
            .flowsFrom(f.to.id)
            .filter((g) =>
              (g.flow.actions ?? []).some((a) => a === 'write' || a === 'delete' || a === 'admin'),
            );
          if (downstream.length === 0) continue;
          acts.push({
            target: f.to.id,
            what: `invoke ${nameOf(f.to)}, which changes ${[...new Set(downstream.map((g) => nameOf(g.to)))].join(', ')}`,
            severe: downstream.some(
              (g) => (g.flow.actions ?? []).some((a) => DESTRUCTIVE.has(a)) && critical(view, g.to),
            ),
            evidence: `flow ${f.id}: ${llm.id} invokes ${f.to.id}, which acts on ${downstream.map((g) => `${g.to.id} [${(g.flow.actions ?? []).join(', ')}]`).join(', ')}`,
            subjects: [f.id, ...downstream.map((g) => g.id)],
          });
        }
      }
      const identity = view.identityOf(llm.id);
      for (const g of identity?.grants ?? []) {
        const changing = (['write', 'delete', 'admin'] as const).filter((a) => grantCovers(g, a));
        if (changing.length === 0) continue;
        if (g.resource !== '*' && !view.component(g.resource)) continue;
        const target = g.resource === '*' ? undefined : (view.component(g.resource) as Component);
        const destructive = g.actions.some((a) => DESTRUCTIVE.has(a));
        // A grant that only backs a tool call already listed adds nothing new.
        if (!destructive && acts.some((a) => a.target === g.resource)) continue;
        acts.push({
          target: g.resource,
          what: `${phrase(
            g.actions.filter((a) => a in VERB),
            target ? nameOf(target) : 'every resource',
          )} through its identity ${view.label(identity?.id ?? '')}`,
          severe: destructive && (target === undefined || critical(view, target)),
          evidence: `identity ${identity?.id} (runs ${llm.id}) grant on ${g.resource}: actions [${g.actions.join(', ')}]`,
          subjects: identity ? [identity.id] : [],
        });
      }
      if (acts.length === 0) continue;

      const approvalAt = (target: string): boolean | 'unknown' => {
        if (target === '*') return false;
        const c = view.component(target) as Component;
        return isThirdParty(view, c) ? false : appliesControl(c, 'human-approval');
      };
      const open = acts.filter((a) => approvalAt(a.target) !== true);
      if (open.length === 0) continue;
      const known = open.filter((a) => approvalAt(a.target) === false);
      const confirmed = atLlm === false && known.length > 0;
      const named = confirmed ? known : open;
      const unknowns: Unknown[] = [];
      if (!confirmed) {
        if (atLlm === 'unknown') unknowns.push({ subject: llm.id, attribute: 'controls' });
        for (const t of new Set(named.map((a) => a.target)))
          if (approvalAt(t) === 'unknown') unknowns.push({ subject: t, attribute: 'controls' });
      }
      const targets = [
        ...new Set(named.map((a) => (a.target === '*' ? 'every resource' : view.label(a.target)))),
      ];
      yield {
        messageId: confirmed ? 'unapproved' : 'unstated',
        primary: [llm.id],
        subjects: [
          ...named.flatMap((a) => (a.target === '*' ? [] : [a.target])),
          ...named.flatMap((a) => a.subjects),
        ],
        likelihood: takesUntrustedText(view, llm) ? 'likely' : 'possible',
        impact: named.some((a) => a.severe) ? 'very-high' : 'high',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          llm: nameOf(llm),
          actions: named.map((a) => a.what).join('; '),
          targets: targets.join(', '),
        },
        evidence: [
          atLlm === false
            ? `${llm.id} has no human-approval in controls or enforces`
            : `${llm.id} states neither controls nor enforces`,
          ...named.map((a) => a.evidence),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
