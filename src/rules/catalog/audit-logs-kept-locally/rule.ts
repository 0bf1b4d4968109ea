import { appliesControl, isOwned } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import type { View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataList, sensitive } from '../../factors.js';
import { appliesFact, exposureFact } from '../../shared/evidence.js';
import {
  monitoringComponents,
  monitoringLinked,
  monitorLabels,
  noMonitoringFlowFact,
} from '../../shared/logging.js';

/** What every finding of one analysis shares: the monitoring components, their labels and links. */
interface Monitors {
  list: readonly Component[];
  names: string;
  /** The components with a flow either way to a monitoring component (`hasMonitoringFlow`). */
  linked: ReadonlySet<string>;
}

/** The finding for one component, or undefined; the cheap checks come first. */
function judge(view: View, c: Component, monitors: Monitors): Draft | undefined {
  if (c.kind === 'monitoring' || appliesControl(c, 'audit-logging') !== true || !isOwned(view, c))
    return undefined;
  const exposed = view.isExposed(c.id);
  // Only a component that stores something can hold sensitive data: no list made for the others.
  const held = c.stores === undefined ? [] : sensitive(view.stored(c.id));
  if (!exposed && held.length === 0) return undefined;
  if (monitors.linked.has(c.id)) return undefined;
  const evidence = [appliesFact(c, 'audit-logging')];
  if (exposed) evidence.push(exposureFact(c));
  if (held.length > 0) evidence.push(`${c.id} stores ${dataList(held)}`);
  evidence.push(noMonitoringFlowFact(c, monitors.list));
  return {
    messageId: monitors.list.length > 0 ? 'localOnly' : 'noCollector',
    primary: [c.id],
    subjects: held.map((d) => d.id),
    likelihood: view.isInternetReachable(c.id) ? 'possible' : 'unlikely',
    impact: 'medium',
    confidence: 'confirmed',
    data: {
      component: view.label(c.id),
      monitors: monitors.names,
      target: monitors.list.length > 0 ? monitors.names : 'a central log store (SIEM or write-once bucket)',
    },
    evidence,
  };
}

export default defineRule({
  meta: {
    id: 'audit-logs-kept-locally',
    title: 'Audit logs stay on the component that produces them',
    summary:
      'A component keeps an audit log, but the log never leaves it, so an attacker who takes over the component can erase or rewrite the very records that would reveal what they did.',
    stride: ['repudiation', 'tampering'],
    cwe: ['CWE-778'],
    capec: ['CAPEC-268'],
    attack: ['T1070'],
    compliance: {
      'nist-800-53': ['AU-9', 'AU-9(2)'],
      'iso-27001-2022': ['A.8.15'],
      soc2: ['CC7.2'],
      'pci-dss-4': ['10.3.3'],
      'owasp-asvs-5': ['V16.4.3'],
      hipaa: ['164.312(b)'],
    },
    assumes: [],
    detection:
      'A component with audit-logging in its controls (or enforces) that is exposed (public, or called straight from the internet) or stores data classified confidential or above is reported when it has no flow to or from a component of kind monitoring, whatever the flow’s purpose (logs pushed or pulled). Clients, internet sources, external services and monitoring components themselves are skipped. The finding is confirmed: the log shipping path is a modelled flow or it is not. missing-monitoring, which covers the same gap more broadly, replaces it on the same component.',
    severityRationale:
      'Impact is medium: the log exists and helps in every incident short of a full compromise of the component, where it is lost exactly when it matters. Likelihood is possible when the component is reachable from the internet, unlikely otherwise, because the attacker must first take the component over.',
    falsePositives:
      'Shipping may be done by something the model leaves out (a node agent, the cloud provider’s log service). Model the flow from the component to the monitoring component with purpose telemetry, and add the monitoring component if the model has none.',
    references: [
      {
        title: 'OWASP Logging Cheat Sheet: protection',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
      },
      {
        title: 'MITRE ATT&CK T1070 Indicator Removal',
        url: 'https://attack.mitre.org/techniques/T1070/',
      },
    ],
    messages: {
      localOnly:
        '{component} keeps an audit log, but no flow ships it to {monitors}; whoever takes over {component} can erase the record of what they did there.',
      noCollector:
        '{component} keeps an audit log, but the model has no monitoring component to ship it to, so the log lives and dies with {component}.',
    },
    mitigation:
      'Ship the audit log of {component} as it is written to {target}, an append-only store under a separate account or identity that {component} cannot modify or delete, and model that flow with purpose telemetry.',
  },
  *detect(view) {
    const list = monitoringComponents(view);
    const monitors: Monitors = {
      list,
      names: monitorLabels(view, list),
      linked: monitoringLinked(view, list),
    };
    for (const c of view.components) {
      const draft = judge(view, c, monitors);
      if (draft) yield draft;
    }
  },
});
