/**
 * Example questions for "what can I ask?" answers, written with ids from the model being asked about,
 * so that even a help text never names an element, finding or question the model does not have. Where
 * the model has nothing of a kind, a placeholder in angle brackets stands in.
 */
import type { Finding } from '../engine/analysis.js';
import type { FlowFacts } from '../model/view.js';
import { byAnalysisOrder, type Env } from './env.js';
import { cmp } from './text.js';

interface Picks {
  component: string;
  store: string;
  finding: Finding | undefined;
  flow: string;
  plainFlow: string | undefined;
  identity: string | undefined;
  grant: string | undefined;
  data: string;
  question: string | undefined;
  gateway: string | undefined;
}

function picks(env: Env): Picks {
  const view = env.view;
  const open = [...env.analysis.findings].filter((f) => f.status === 'open').sort(byAnalysisOrder);
  const counts = new Map<string, number>();
  for (const f of open)
    for (const p of f.primary) if (view.kindOf(p) === 'component') counts.set(p, (counts.get(p) ?? 0) + 1);
  const busiest = [...counts.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0]?.[0];
  const components = [...view.components].sort((a, b) => cmp(a.id, b.id));
  const store = components.find((c) => (c.stores?.length ?? 0) > 0)?.id;
  const flows = [...view.flows].sort((a, b) => cmp(a.id, b.id));
  const plain = flows.find((f: FlowFacts) => f.encrypted !== true)?.id;
  const weak = flows.find((f: FlowFacts) => f.authnStrength !== 'strong')?.id;
  const identity = [...view.identities]
    .sort((a, b) => cmp(a.id, b.id))
    .find((i) => (i.grants?.length ?? 0) > 0);
  const gateway = components.find((c) => ['gateway', 'load-balancer', 'cdn', 'waf'].includes(c.kind))?.id;
  return {
    component: busiest ?? components[0]?.id ?? '<component>',
    store: store ?? components[0]?.id ?? '<component>',
    finding: open[0] ?? env.analysis.findings[0],
    flow: weak ?? flows[0]?.id ?? '<flow>',
    plainFlow: plain,
    identity: identity?.id,
    grant: identity?.grants?.find((g) => g.resource !== '*')?.resource,
    data: [...view.data].sort((a, b) => cmp(a.id, b.id))[0]?.id ?? '<data>',
    question: env.analysis.questions[0]?.id,
    gateway,
  };
}

/** What can be asked, each with examples over this model. */
export function capabilityLines(env: Env): string[] {
  const p = picks(env);
  const f = p.finding;
  return [
    `Why is a finding as severe as it is? ("why is ${f ? `${f.id} ${f.severity}` : '<finding id> critical'}?", "why is ${p.component} rated so high?")`,
    `What threatens a component, data asset, flow or boundary? ("what threatens ${p.store}?", "risks of the flow ${p.flow}")`,
    `What are the attack paths to something? ("how could an attacker reach ${p.data}?", "attack paths")`,
    `Why was a control recommended? ("why do we need mfa?", "why is that recommended for ${p.component}?")`,
    'What should we fix first? ("top 5 fixes", "where do we start?")',
    `What if we change the model? ("what if ${p.plainFlow ?? p.flow} were encrypted?", "what if ${p.flow} used mtls?")`,
    'Which findings touch a framework or control? ("what affects PCI DSS 4.2.1?", "which findings map to NIST SC-8?", "HIPAA")',
    `What are the open questions, and what would answering one change? ("open questions"${p.question ? `, "what would answering ${p.question} change?"` : ''})`,
    'What does a term mean? ("what is STRIDE?", "what does CWE-319 mean?", "what is a trust boundary?")',
    'An overview or a filtered list ("summarize", "how bad is it?", "list the critical findings", "what did we accept?")',
  ];
}

/** How to phrase a what-if, with ids of this model. */
export function whatIfForms(env: Env): string[] {
  const p = picks(env);
  const grant = p.identity
    ? `what if ${p.identity} only had read on ${p.grant ?? '<resource>'}?`
    : 'what if <identity> only had read on <resource>?';
  return [
    `what if ${p.plainFlow ?? p.flow} were encrypted? / what if ${p.flow} used mtls?`,
    `what if ${p.gateway ?? p.component} enforced input-validation? / what if we remove audit-logging from ${p.component}?`,
    `what if ${p.store} had 3 replicas? / what if ${p.component} were internal?`,
    `what if ${p.component} kept its secrets in the secret store?`,
    `${grant} / what if we revoke the wildcard grant of <identity>?`,
    `what if we add a flow from <component> to <component> over https with mtls? / what if we remove the flow ${p.flow}?`,
    `what if we remove ${p.component}? / what if we add a cache called <new id> in <boundary>?`,
    'what if we set <element> <attribute> to <value>? / what if we clear <element> <attribute>?',
    `what if the answer to ${p.question ?? '<question id>'} is <value>?`,
  ];
}
