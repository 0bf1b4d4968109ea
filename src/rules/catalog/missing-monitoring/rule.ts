import { appliesControl, isCrownJewel, isOwned, isPassThrough } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Unknown } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { exposureFact } from '../../shared/evidence.js';
import {
  monitoringComponents,
  monitoringLinked,
  monitorLabels,
  noMonitoringFlowFact,
} from '../../shared/logging.js';
import { listText } from '../../shared/text.js';

/** Whether the component stores crown-jewel data (without building the list). */
function storesCrownJewel(view: View, c: Component): boolean {
  const stores = c.stores;
  if (stores === undefined) return false;
  // The data assets looked up by id: no list is made (or kept) for a component that may not fire.
  for (let i = 0; i < stores.length; i++) {
    const d = view.dataAsset(stores[i] as string);
    if (d !== undefined && isCrownJewel(d)) return true;
  }
  return false;
}

/** The draft for an exposed or crown-jewel component, or undefined when something monitors it. */
function unmonitoredDraft(
  view: View,
  c: Component,
  exposed: boolean,
  linked: ReadonlySet<string>,
  monitors: readonly Component[],
  monitorNames: string,
): Draft | undefined {
  const own = appliesControl(c, 'monitoring');
  if (own === true) return undefined;
  if (linked.has(c.id)) return undefined;
  // The distinct pass-through callers, in the order of their flows.
  const front: Component[] = [];
  if (exposed) {
    const into = view.flowsTo(c.id);
    for (let i = 0; i < into.length; i++) {
      const from = (into[i] as FlowFacts).from;
      if (isPassThrough(from) && !front.includes(from)) front.push(from);
    }
  }
  if (front.some((x) => appliesControl(x, 'monitoring') === true)) return undefined;
  const crown = view.stored(c.id).filter(isCrownJewel);
  const unknowns: Unknown[] = [];
  if (own === 'unknown') unknowns.push({ subject: c.id, attribute: 'controls' });
  for (const x of front) {
    if (appliesControl(x, 'monitoring') === 'unknown')
      unknowns.push({ subject: x.id, attribute: 'enforces' });
  }
  const confirmed = unknowns.length === 0;
  const why = [
    ...(exposed ? ['is exposed to the internet'] : []),
    ...(crown.length > 0 ? [`holds ${dataList(crown)}`] : []),
  ].join(' and ');
  const signals = [
    ...(exposed ? ['error and traffic spikes, scanning and authentication failures'] : []),
    ...(crown.length > 0 ? ['unusual reads, bulk exports and permission changes'] : []),
  ].join(', and on ');
  return {
    messageId: !confirmed ? 'unstated' : monitors.length > 0 ? 'unmonitored' : 'noMonitoring',
    primary: [c.id],
    subjects: [...crown.map((d) => d.id), ...front.map((x) => x.id)],
    likelihood: 'possible',
    impact: crown.length > 0 ? 'high' : 'medium',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      component: nameOf(c),
      why,
      monitors: monitors.length > 0 ? monitorNames : 'any monitoring component',
      target: monitors.length > 0 ? monitorNames : 'a monitoring service (SIEM, metrics and alerting)',
      signals,
    },
    evidence: [
      ...(exposed ? [exposureFact(c)] : []),
      ...crown.map((d) => `${c.id} stores ${d.id} (${d.classification})`),
      own === 'unknown'
        ? `${c.id} states neither controls nor enforces`
        : `${c.id} controls: ${listText(c.controls)}, enforces: ${listText(c.enforces)} (no monitoring)`,
      noMonitoringFlowFact(c, monitors),
      ...front.map(
        (x) => `${x.id} in front: enforces ${listText(x.enforces)}, controls ${listText(x.controls)}`,
      ),
    ],
    ...(confirmed ? {} : { unknowns }),
  };
}

export default defineRule({
  meta: {
    id: 'missing-monitoring',
    title: 'Internet-facing component or crown-jewel store is not monitored',
    summary:
      'A component that the internet reaches directly, or that holds crown-jewel data, is watched by no monitoring, so attacks on it, data theft and outages are not noticed while they happen.',
    stride: ['repudiation', 'denial-of-service'],
    cwe: ['CWE-778'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['SI-4', 'AU-6', 'CA-7'],
      'iso-27001-2022': ['A.8.16'],
      soc2: ['CC7.2', 'CC7.3'],
      'pci-dss-4': ['10.4.1', '10.4.1.1', '11.5.1'],
      'owasp-asvs-5': ['V16.3.4', 'V16.4.3'],
      hipaa: ['164.308(a)(1)(ii)(D)'],
    },
    assumes: ['controls', 'enforces'],
    supersedes: ['audit-logs-kept-locally'],
    detection:
      'Each exposed component (public, or called straight from the internet) and each component that stores crown jewels is judged on its own; clients, internet sources, external services and monitoring components themselves are skipped. It is monitored when monitoring is in its controls or enforces, when it has a flow to or from a component of kind monitoring (telemetry pushed, or metrics and logs pulled), or, for an exposed component, when a gateway, load balancer, CDN or WAF in front of it applies monitoring. Otherwise it is reported: confirmed when its lists and those of the pass-through components in front of it are stated, assumed with questions when they are not. The message says so when the model has no monitoring component at all. One finding per component; it replaces audit-logs-kept-locally on the same component.',
    severityRationale:
      'Impact is high for holders of crown jewels, where unnoticed access becomes a breach discovered months later, and medium for other exposed components, where attacks and outages go unseen. Likelihood is possible: the gap does not let an attacker in, it lets one stay.',
    falsePositives:
      'Monitoring may exist without being modelled: a managed service’s built-in metrics and alarms, or a node agent that collects from every workload. Add monitoring to the component’s controls, or model the telemetry flow to the monitoring component.',
    references: [
      {
        title: 'NIST SP 800-137 Information Security Continuous Monitoring',
        url: 'https://csrc.nist.gov/pubs/sp/800/137/final',
      },
      {
        title: 'OWASP Top 10 A09: Security Logging and Monitoring Failures',
        url: 'https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/',
      },
    ],
    messages: {
      unmonitored:
        '{component} {why}, but nothing monitors it: it applies no monitoring and sends no telemetry to {monitors}, so attacks and outages on it go unseen.',
      noMonitoring:
        '{component} {why}, and the model has no monitoring component at all, so attacks and outages on it would go unseen.',
      unstated:
        '{component} {why}, and the model does not show that anything monitors it (no monitoring control stated, no telemetry to {monitors}).',
    },
    mitigation:
      'Monitor {component}: send its logs and metrics to {target} with a telemetry flow, alert on {signals}, and add monitoring to its controls.',
  },
  *detect(view) {
    const monitors = monitoringComponents(view);
    const monitorNames = monitorLabels(monitors);
    const linked = monitoringLinked(view, monitors);
    // Indexed: a for-of loop allocates a result object per component until the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      // Cheapest rejections first: the kind, then the indexed facts; nothing is allocated for them.
      if (c.kind === 'monitoring' || !isOwned(view, c)) continue;
      const exposed = view.isExposed(c.id);
      if (!exposed && !storesCrownJewel(view, c)) continue;
      const draft = unmonitoredDraft(view, c, exposed, linked, monitors, monitorNames);
      if (draft !== undefined) yield draft;
    }
  },
});
