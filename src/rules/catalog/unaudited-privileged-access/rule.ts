import { appliesControl, isClient, isManagementPlane, isOwned, onlyReads } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import { type Draft, defineRule, type Unknown } from '../../define-rule.js';
import { flowLabel } from '../../factors.js';
import { controlsFact } from '../../shared/evidence.js';
import { checksCredentials } from '../../shared/logging.js';
import { listText } from '../../shared/text.js';

/** Why a flow into `target` is a privileged action, or undefined when it is not one. */
function privilegedBecause(f: FlowFacts, target: Component): string | undefined {
  const { purpose, actions } = f.flow;
  if (purpose === 'telemetry') return undefined;
  if (purpose === 'admin') return 'purpose admin';
  if (purpose === 'deploy' && !onlyReads(actions)) return 'purpose deploy';
  if (actions?.includes('admin')) return 'actions include admin';
  if (isManagementPlane(target) && actions?.some((a) => a === 'write' || a === 'delete')) {
    return `${actions.filter((a) => a === 'write' || a === 'delete').join(' and ')} on a ${target.kind} component`;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'unaudited-privileged-access',
    title: 'Administrative and deployment actions leave no audit trail',
    summary:
      'A component receives administrative, deployment or control-plane changes, but neither it nor the bastion they come through records them, so a misused or stolen privileged account acts without leaving evidence.',
    stride: ['repudiation', 'elevation-of-privilege'],
    cwe: ['CWE-778'],
    capec: [],
    attack: ['T1078'],
    compliance: {
      'nist-800-53': ['AC-6(9)', 'AU-2', 'AU-12'],
      'iso-27001-2022': ['A.8.2', 'A.8.15'],
      soc2: ['CC7.2'],
      'pci-dss-4': ['10.2.1.2'],
      'owasp-asvs-5': ['V16.3.3'],
      hipaa: ['164.312(b)'],
    },
    assumes: ['controls', 'enforces'],
    detection:
      'A flow is privileged when its purpose is admin, when its purpose is deploy and it does more than read (pulling an image changes nothing), when its actions include admin, or when it writes to or deletes from a management-plane component (container platform, CI/CD, identity provider, secret store, monitoring), telemetry excepted. A component that receives privileged flows and has audit-logging in neither its controls nor its enforces is reported when at least one of those flows comes from a caller that does not apply audit-logging itself (a logging bastion or admin console). All such flows into one component make one finding. Confirmed when the component states its controls and each caller states its lists; assumed, with questions, otherwise. Identity providers and internet-exposed components that check credentials are left to unaudited-authentication-events, whose fix is the same.',
    severityRationale:
      'Impact is high for management-plane targets, where one unrecorded change reconfigures or redeploys everything else, and medium for other components. Likelihood is possible: the gap matters once a privileged account is misused or stolen, and then it hides what was done.',
    falsePositives:
      'The control plane may log by itself in a way the model does not show (a cloud provider’s management-event trail, a Kubernetes audit policy, a bastion that records sessions). Add audit-logging to the controls of the receiving component, or to the enforces of the bastion the privileged flows come through.',
    references: [
      {
        title: 'OWASP Logging Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
      },
      {
        title: 'Kubernetes: Auditing',
        url: 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/',
      },
    ],
    messages: {
      unaudited:
        '{component} receives privileged actions ({flows}), but neither it nor the callers keep an audit trail of them, so a misused administrator or deployment account leaves no record.',
      unstated:
        '{component} receives privileged actions ({flows}), and the model does not show that they are audit-logged, by {component} or by the callers.',
    },
    mitigation:
      'Record every privileged action on {component}: turn on its audit log (who, what, when, from where, outcome) for {flowNames}, or route them through a bastion that records them, ship the records to a store the administrators of {component} cannot alter, and add audit-logging to its controls.',
  },
  *detect(view) {
    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      // Most components receive no privileged flow: an empty inbound list is the cheapest rejection.
      const inbound = view.flowsTo(c.id);
      if (inbound.length === 0) continue;
      // Sign-in events are the concern of unaudited-authentication-events, which reports these components
      // when they keep no audit log; the fix is the same, so this rule leaves them to it.
      if (!isOwned(view, c) || appliesControl(c, 'audit-logging') === true || checksCredentials(view, c))
        continue;
      const draft = draftFor(c, inbound);
      if (draft !== undefined) yield draft;
    }
  },
});

/** The finding for a component that keeps no audit log of the privileged flows into it, if it has some. */
function draftFor(c: Component, inbound: readonly FlowFacts[]): Draft | undefined {
  const plane = isManagementPlane(c);
  let unlogged: { flow: FlowFacts; because: string }[] | undefined;
  for (let i = 0; i < inbound.length; i++) {
    const f = inbound[i] as FlowFacts;
    // Only these flows can be privileged (see privilegedBecause): a check without a call for the others.
    const { purpose, actions } = f.flow;
    if (purpose !== 'admin' && purpose !== 'deploy' && !plane && !actions?.includes('admin')) continue;
    const because = privilegedBecause(f, c);
    if (because === undefined) continue;
    if (!isClient(f.from) && appliesControl(f.from, 'audit-logging') === true) continue;
    unlogged ??= [];
    unlogged.push({ flow: f, because });
  }
  if (unlogged === undefined) return undefined;
  const unknowns: Unknown[] = [];
  if (c.controls === undefined) unknowns.push({ subject: c.id, attribute: 'controls' });
  for (const { flow } of unlogged) {
    if (!isClient(flow.from) && appliesControl(flow.from, 'audit-logging') === 'unknown') {
      unknowns.push({ subject: flow.from.id, attribute: 'enforces' });
    }
  }
  const confirmed = unknowns.length === 0;
  const callers = [...new Set(unlogged.map((u) => u.flow.from))];
  return {
    messageId: confirmed ? 'unaudited' : 'unstated',
    primary: [c.id],
    subjects: [...unlogged.map((u) => u.flow.id), ...callers.map((x) => x.id)],
    likelihood: 'possible',
    impact: plane ? 'high' : 'medium',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      component: nameOf(c),
      flows: unlogged.map((u) => `${flowLabel(u.flow)}: ${u.because}`).join('; '),
      flowNames: unlogged.map((u) => flowLabel(u.flow)).join(', '),
    },
    evidence: [
      ...unlogged.map((u) => `flow ${u.flow.id}: ${u.because}`),
      controlsFact(c, 'audit-logging'),
      ...callers.map((x) =>
        isClient(x)
          ? `${x.id} is a ${x.kind}, not a logging bastion`
          : `${x.id} enforces: ${listText(x.enforces)}, controls: ${listText(x.controls)}`,
      ),
    ],
    ...(confirmed ? {} : { unknowns }),
  };
}
