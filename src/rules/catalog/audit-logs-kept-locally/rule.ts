import { isClient } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';
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
  messageId: string;
  target: string;
}

/**
 * The fast path, asked of every component: the component logs audit events itself (`appliesControl`
 * true, read from the lists directly), is owned (`isOwned`), and no flow links it with a monitor. Plain
 * field checks and set lookups first; nothing is allocated.
 */
function logsLocally(view: View, c: Component, linked: ReadonlySet<string>): boolean {
  if (c.kind === 'monitoring' || c.kind === 'external-service') return false;
  if (!(c.controls?.includes('audit-logging') || c.enforces?.includes('audit-logging'))) return false;
  if (isClient(c) || view.isInternetSource(c.id)) return false;
  return !linked.has(c.id);
}

/** The finding for a component that logs locally, or undefined when it is neither exposed nor holds sensitive data. */
function judge(view: View, c: Component, monitors: Monitors): Draft | undefined {
  const exposed = view.isExposed(c.id);
  // Only a component that stores something sensitive has a list made.
  const held = c.stores === undefined ? NONE : sensitiveStored(view, c.stores);
  if (!exposed && held.length === 0) return undefined;
  const evidence = [appliesFact(c, 'audit-logging')];
  if (exposed) evidence.push(exposureFact(c));
  if (held.length > 0) evidence.push(`${c.id} stores ${dataList(held)}`);
  evidence.push(noMonitoringFlowFact(c, monitors.list));
  const subjects: string[] = [];
  for (let i = 0; i < held.length; i++) subjects.push((held[i] as DataAsset).id);
  return {
    messageId: monitors.messageId,
    primary: [c.id],
    subjects,
    likelihood: view.isInternetReachable(c.id) ? 'possible' : 'unlikely',
    impact: 'medium',
    confidence: 'confirmed',
    data: {
      component: nameOf(c),
      monitors: monitors.names,
      target: monitors.target,
    },
    evidence,
  };
}

const NONE: readonly DataAsset[] = [];

/**
 * `sensitive(view.stored(c.id))` for a component's `stores`, read by id: the shared empty list when
 * none is sensitive, so most components allocate nothing.
 */
function sensitiveStored(view: View, stores: readonly string[]): readonly DataAsset[] {
  let held: DataAsset[] | undefined;
  for (let i = 0; i < stores.length; i++) {
    const d = view.dataAsset(stores[i] as string) as DataAsset;
    if (d.classification === 'public' || d.classification === 'internal') continue;
    held ??= [];
    held.push(d);
  }
  return held ?? NONE;
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
    const names = monitorLabels(list);
    const monitors: Monitors = {
      list,
      names,
      linked: monitoringLinked(view, list),
      messageId: list.length > 0 ? 'localOnly' : 'noCollector',
      target: list.length > 0 ? names : 'a central log store (SIEM or write-once bucket)',
    };
    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      if (!logsLocally(view, c, monitors.linked)) continue;
      const draft = judge(view, c, monitors);
      if (draft) yield draft;
    }
  },
});
