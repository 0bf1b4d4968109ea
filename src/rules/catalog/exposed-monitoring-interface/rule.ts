import { appliesControl, enforces, hasControl } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Unknown } from '../../define-rule.js';
import { dataList, sensitive } from '../../factors.js';
import { chainText, edgeChains } from '../../shared/edge.js';
import { statedAuthn } from '../../shared/evidence.js';
import { listText } from '../../shared/text.js';
import { uniqueUnknowns } from '../../shared/unique.js';

interface Way {
  access: string;
  authn: string;
  flows: FlowFacts[];
  evidence: string[];
  unknowns: Unknown[];
}

export default defineRule({
  meta: {
    id: 'exposed-monitoring-interface',
    title: 'Monitoring or log console is reachable from the internet with weak protection',
    summary:
      'A monitoring, dashboard or log-search console can be reached from the internet without strong authentication or an IP allow-list; it reveals the system’s topology and whatever secrets reached the logs, and often lets its users run queries or silence alerts.',
    stride: ['information-disclosure', 'tampering'],
    cwe: ['CWE-200', 'CWE-497'],
    capec: ['CAPEC-169'],
    attack: ['T1190'],
    compliance: {
      'nist-800-53': ['AC-3', 'AU-9', 'SC-7'],
      'iso-27001-2022': ['A.8.16', 'A.8.20'],
      soc2: ['CC6.6'],
      'pci-dss-4': ['10.3.1'],
      'owasp-asvs-5': ['V13.4.5'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['authn', 'enforces', 'controls'],
    supersedes: ['missing-authentication'],
    detection:
      'A component of kind monitoring is judged on every chain by which internet traffic reaches it: a flow from an internet source, directly or through pass-through components only. It is reported when the internet-facing flow of some chain is not strongly authenticated (none, api-key, basic, password, or not stated) and no IP allow-list stands on the chain (ip-allowlist in the console’s own controls or enforces, or in the enforces of a pass-through on the way). A console stated exposure: public with no internet flow modelled is judged by its own controls (authentication and ip-allowlist). Confirmed when the flow’s authn and every list consulted are stated; assumed, with questions, otherwise.',
    severityRationale:
      'Impact is medium (topology, versions and internal names help an attacker plan; alerts can be silenced), high when the console holds sensitive data such as logs with personal data or secrets. Likelihood is likely: dashboards such as Grafana, Kibana and Prometheus are indexed by internet scanners and ship with weak defaults.',
    falsePositives:
      'The console may sit behind SSO, a VPN or an identity-aware proxy the model does not show. State the real authn of the internet flow (oidc, saml), ip-allowlist on the console or the gateway in front, or exposure: internal with the inbound flows via: vpn.',
    references: [
      {
        title: 'CWE-497: Exposure of Sensitive System Information to an Unauthorized Control Sphere',
        url: 'https://cwe.mitre.org/data/definitions/497.html',
      },
      {
        title: 'NIST SP 800-53 AU-9 Protection of Audit Information',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      exposed:
        'The monitoring console {monitoring} is reachable from the internet ({access}) with {authn} and no IP allow-list; it reveals the system’s topology and any secrets in its logs{holding}, and may let an attacker silence alerts.',
      exposedUnstated:
        'The monitoring console {monitoring} is reachable from the internet ({access}), and the model does not say {unstated}; it reveals the system’s topology and any secrets in its logs{holding}.',
    },
    mitigation:
      'Take {monitoring} off the open internet: put it behind SSO with MFA (or a VPN or identity-aware proxy), restrict it to an IP allow-list of operator networks, give dashboards and log search least-privilege roles, and scrub secrets and personal data from what it collects.',
  },
  *detect(view) {
    for (const c of view.components) {
      if (c.kind !== 'monitoring') continue;
      const draft = finding(view, c);
      if (draft !== undefined) yield draft;
    }
  },
});

/** The finding on a monitoring interface the internet reaches without an allow-list, if it is one. */
function finding(view: View, c: Component): Draft | undefined {
  const own = appliesControl(c, 'ip-allowlist');
  if (own === true) return undefined;
  const ownUnknowns: Unknown[] =
    own === 'unknown'
      ? [
          { subject: c.id, attribute: 'controls' },
          { subject: c.id, attribute: 'enforces' },
        ]
      : [];
  const ownEvidence = `${c.id}: controls ${listText(c.controls)}, enforces ${listText(c.enforces)}`;
  const ways: Way[] = [];
  const chains = edgeChains(view, c.id, (p) => enforces(p, 'ip-allowlist') === true);
  for (const chain of chains) {
    const entry = chain[0] as FlowFacts;
    if (entry.authnStrength === 'strong') continue;
    const hops = chain.slice(1).map((f) => f.from);
    ways.push({
      access: chainText(view, chain),
      authn: entry.authnStrength === 'none' ? 'no authentication' : `only ${entry.authn} authentication`,
      flows: chain,
      evidence: [
        `flow ${entry.id} from internet source ${entry.from.id}: authn ${statedAuthn(entry)}`,
        ...hops.map((h) => `${h.id} (${h.kind}) enforces ${listText(h.enforces)}`),
      ],
      unknowns: [
        ...(entry.authnStrength === 'unknown' ? [{ subject: entry.id, attribute: 'authn' }] : []),
        ...hops
          .filter((h) => h.enforces === undefined)
          .map((h) => ({ subject: h.id, attribute: 'enforces' })),
      ],
    });
  }
  if (chains.length === 0 && c.exposure === 'public') {
    const authn = hasControl(c, 'authentication');
    if (authn !== true) {
      ways.push({
        access: 'stated exposure: public',
        authn: 'no authentication',
        flows: [],
        evidence: [`${c.id}: exposure public, no internet flow modelled`],
        unknowns: authn === 'unknown' ? [{ subject: c.id, attribute: 'controls' }] : [],
      });
    }
  }
  if (ways.length === 0) return undefined;
  // The worst way in: one stated in full, else the first.
  const way = ways.find((w) => w.unknowns.length === 0) ?? (ways[0] as Way);
  const unknowns = [...way.unknowns, ...ownUnknowns];
  const questions = uniqueUnknowns(unknowns);
  const confirmed = questions.length === 0;
  const held = sensitive(view.stored(c.id));
  const authnUnknown = way.unknowns.some((u) => u.attribute === 'authn' || u.subject === c.id);
  const allowlistUnknown = way.unknowns.some((u) => u.attribute === 'enforces') || ownUnknowns.length > 0;
  return {
    messageId: confirmed ? 'exposed' : 'exposedUnstated',
    primary: [c.id],
    subjects: [...held.map((d) => d.id), ...ways.flatMap((w) => w.flows.flatMap((f) => [f.id, f.from.id]))],
    likelihood: 'likely',
    impact: held.length > 0 ? 'high' : 'medium',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      monitoring: nameOf(c),
      access: way.access,
      authn: way.authn,
      holding: held.length > 0 ? `, including ${dataList(held)}` : '',
      unstated: [
        ...(authnUnknown ? ['how those callers authenticate'] : []),
        ...(allowlistUnknown ? ['whether an IP allow-list restricts them'] : []),
      ].join(' or '),
    },
    evidence: [
      ...new Set([...ways.flatMap((w) => w.evidence), ownEvidence]),
      ...(held.length > 0 ? [`${c.id} stores ${dataList(held)}`] : []),
    ],
    ...(confirmed ? {} : { unknowns: questions }),
  };
}
