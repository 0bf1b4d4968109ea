import { isClient, isCrownJewel, isOwned } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Likelihood } from '../../define-rule.js';
import { dataList, flowLabel, sensitive } from '../../factors.js';
import { controlsFact } from '../../shared/evidence.js';

/** Where the audit trail of each kind of store usually comes from. */
const HOW: Readonly<Record<string, string>> = {
  datastore: 'the database audit log',
  'object-store': 'object-level data-access logs',
  cache: 'command auditing on the cache',
  queue: 'the broker audit log',
  stream: 'the broker audit log',
  search: 'the search engine audit log',
  'secret-store': 'secret access logs',
  'identity-provider': 'the identity provider event log',
  monitoring: 'the log platform query audit',
};

export default defineRule({
  meta: {
    id: 'missing-audit-logging',
    title: 'Sensitive data is held where access is not audit-logged',
    summary:
      'A component stores confidential or crown-jewel data but keeps no audit log of who read or changed it, so misuse by an insider, a stolen account or an intruder cannot be traced or proven afterwards.',
    stride: ['repudiation'],
    cwe: ['CWE-778'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['AU-2', 'AU-3', 'AU-6', 'AU-12'],
      'iso-27001-2022': ['A.8.15'],
      soc2: ['CC7.2'],
      'pci-dss-4': ['10.2.1', '10.2.1.1', '10.2.2'],
      'owasp-asvs-5': ['V16.1.1', 'V16.2.1', 'V16.3.2'],
      hipaa: ['164.312(b)'],
    },
    assumes: ['controls'],
    supersedes: ['unaudited-privileged-access', 'unaudited-authentication-events', 'llm-unaudited-actions'],
    detection:
      'A component that stores data classified confidential or above, and that is not a client, an internet source or an external service, is reported when audit-logging is in neither its controls nor its enforces, unless every flow into it comes from a component that enforces audit-logging (an auditing proxy in front of the store). When such a proxy exists but some flows go around it, the finding names those flows. Confirmed when the component states its controls; assumed, with a question, when it does not. One finding per component; it replaces the narrower audit findings (privileged access, sign-in events, LLM actions) on the same component.',
    severityRationale:
      'Impact is high when the component holds crown jewels (financial, pii, phi, pci, credentials, secret) and medium for confidential data: without a trail, a breach can be neither scoped nor attributed, and breach-notification duties cannot be met. Likelihood is possible (the trail is missed when something goes wrong, not the cause of it), likely when the component is reachable from the internet, where misuse is most frequent.',
    falsePositives:
      'Access may be logged by something the model does not show, such as the database engine’s audit plug-in or the cloud provider’s data-access logs. Add audit-logging to the component’s controls, or model the auditing proxy with enforces: [audit-logging] and route every flow to the store through it. If the data is not really sensitive, lower its classification.',
    references: [
      {
        title: 'OWASP Logging Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
      },
      {
        title: 'CWE-778: Insufficient Logging',
        url: 'https://cwe.mitre.org/data/definitions/778.html',
      },
      {
        title: 'NIST SP 800-92 Guide to Computer Security Log Management',
        url: 'https://csrc.nist.gov/pubs/sp/800/92/final',
      },
    ],
    messages: {
      unaudited:
        '{component} holds {data}, but keeps no audit log, so nobody can tell afterwards who read or changed it.',
      unstated: '{component} holds {data}, and the model does not state that access to it is audit-logged.',
      bypassesProxy:
        '{component} holds {data}; {proxies} audit-logs the access it passes on, but {bypass} goes around it and {component} {ownLog}.',
    },
    mitigation:
      'Audit-log access to {component}{route}: turn on {how} so that every read and change of {data} is recorded with the caller’s identity, the time, the records touched and the outcome, ship the records to a log store that the operators of {component} cannot alter, and add audit-logging to its controls.',
  },
  *detect(view) {
    const stores = sensitiveStores(view);
    for (let i = 0; i < stores.length; i++) {
      const draft = finding(view, stores[i] as Component);
      if (draft !== undefined) yield draft;
    }
  },
});

/**
 * The owned components that store sensitive data and do not apply audit-logging themselves, in model
 * order: the cheap tests of `finding`, in a plain function with an indexed loop. Six components in ten
 * store nothing: rejected on their own `stores` before anything is looked up; what the others store is
 * read by id, so no list is made for a component that stores nothing sensitive.
 */
function sensitiveStores(view: View): Component[] {
  const found: Component[] = [];
  const components = view.components;
  for (let i = 0; i < components.length; i++) {
    const c = components[i] as Component;
    const stores = c.stores;
    if (stores === undefined || stores.length === 0) continue;
    if (c.controls?.includes('audit-logging') || c.enforces?.includes('audit-logging')) continue;
    if (!isOwned(view, c)) continue;
    for (let j = 0; j < stores.length; j++) {
      const d = view.dataAsset(stores[j] as string) as DataAsset;
      if (d.classification !== 'public' && d.classification !== 'internal') {
        found.push(c);
        break;
      }
    }
  }
  return found;
}

/** The finding on a component that stores sensitive data without an audit trail, if it is one. */
function finding(view: View, c: Component): Draft | undefined {
  // Owned, not applying audit-logging, holding some sensitive data: `sensitiveStores` asked.
  const held = sensitive(view.stored(c.id));
  const inbound = view.flowsTo(c.id);
  // Flows from a proxy that enforces audit-logging (not a client), and the others, in flow order.
  const proxied: FlowFacts[] = [];
  const direct: FlowFacts[] = [];
  for (let i = 0; i < inbound.length; i++) {
    const f = inbound[i] as FlowFacts;
    if (!isClient(f.from) && f.from.enforces?.includes('audit-logging')) proxied.push(f);
    else direct.push(f);
  }
  if (inbound.length > 0 && direct.length === 0) return undefined;
  const stated = c.controls !== undefined;
  // The lists are built with loops, and the proxies' only when there are some (most stores have none).
  const proxies = proxied.length === 0 ? NONE : [...new Set(proxied.map((f) => f.from.id))];
  const likelihood: Likelihood = view.isInternetReachable(c.id) ? 'likely' : 'possible';
  const evidence: string[] = [];
  const subjects: string[] = [];
  for (let i = 0; i < held.length; i++) {
    const d = held[i] as DataAsset;
    evidence.push(`${c.id} stores ${d.id} (${d.classification})`);
    subjects.push(d.id);
  }
  evidence.push(controlsFact(c, 'audit-logging'));
  if (proxies.length > 0) {
    for (const p of proxies) {
      evidence.push(`${p} enforces audit-logging`);
      subjects.push(p);
    }
    const names = proxies.join(', ');
    for (const f of direct) evidence.push(`flow ${f.id} reaches ${c.id} without passing ${names}`);
    for (const f of direct) subjects.push(f.id);
  }
  const messageId = proxies.length > 0 ? 'bypassesProxy' : stated ? 'unaudited' : 'unstated';
  let bypass = '';
  for (const f of direct) {
    const text = flowLabel(f);
    bypass = bypass === '' ? text : `${bypass}, ${text}`;
  }
  const proxyNames = proxies.map((p) => view.label(p)).join(', ');
  const data = {
    component: nameOf(c),
    data: dataList(held),
    proxies: proxyNames,
    bypass,
    ownLog: stated ? 'keeps no audit log of its own' : 'does not state that it keeps an audit log of its own',
    how: HOW[c.kind] ?? 'application audit events',
    route: proxies.length > 0 ? ` (or send ${bypass} through ${proxyNames})` : '',
  };
  const impact = held.some(isCrownJewel) ? 'high' : 'medium';
  // Written out rather than spread: the same keys, in the same order.
  if (stated)
    return {
      messageId,
      primary: [c.id],
      subjects,
      likelihood,
      impact,
      confidence: 'confirmed',
      data,
      evidence,
    };
  return {
    messageId,
    primary: [c.id],
    subjects,
    likelihood,
    impact,
    confidence: 'assumed',
    data,
    evidence,
    unknowns: [{ subject: c.id, attribute: 'controls' }],
  };
}

const NONE: readonly string[] = [];
