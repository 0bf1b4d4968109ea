import { appliesControl, isOwned } from '../../../model/queries.js';
import { defineRule } from '../../define-rule.js';
import { dataList, sensitive } from '../../factors.js';
import { appliesFact, exposureFact } from '../../shared/evidence.js';
import {
  hasMonitoringFlow,
  monitoringComponents,
  monitorLabels,
  noMonitoringFlowFact,
} from '../../shared/logging.js';

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
    const monitors = monitoringComponents(view);
    const monitorNames = monitorLabels(view, monitors);
    for (const c of view.components) {
      if (!isOwned(view, c) || c.kind === 'monitoring') continue;
      if (appliesControl(c, 'audit-logging') !== true) continue;
      const exposed = view.isExposed(c.id);
      const held = sensitive(view.stored(c.id));
      if (!exposed && held.length === 0) continue;
      if (hasMonitoringFlow(view, c)) continue;
      yield {
        messageId: monitors.length > 0 ? 'localOnly' : 'noCollector',
        primary: [c.id],
        subjects: held.map((d) => d.id),
        likelihood: view.isInternetReachable(c.id) ? 'possible' : 'unlikely',
        impact: 'medium',
        confidence: 'confirmed',
        data: {
          component: view.label(c.id),
          monitors: monitorNames,
          target: monitors.length > 0 ? monitorNames : 'a central log store (SIEM or write-once bucket)',
        },
        evidence: [
          appliesFact(c, 'audit-logging'),
          ...(exposed ? [exposureFact(c)] : []),
          ...(held.length > 0 ? [`${c.id} stores ${dataList(held)}`] : []),
          noMonitoringFlowFact(c, monitors),
        ],
      };
    }
  },
});
