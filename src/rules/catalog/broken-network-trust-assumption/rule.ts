import { isClient } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Likelihood } from '../../define-rule.js';
import { dataImpact } from '../../factors.js';
import { boundariesText, exposureFact, statedAuthn } from '../../shared/evidence.js';
import { pathText } from '../../shared/paths.js';

/** Boundaries whose crossing means the caller is outside the network the component trusts. */
const OUTSIDE = new Set(['internet', 'cloud-account', 'on-prem', 'third-party', 'device']);

const authnText = (f: FlowFacts) => `authn ${statedAuthn(f)}`;

/** A component that assumes network-trusted and fires, with the facts its draft is made of. */
interface Trusting {
  c: Component;
  inbound: readonly FlowFacts[];
  weak: FlowFacts[];
  outside: FlowFacts[];
  exposed: boolean;
  reachable: boolean;
}

function trusting(view: View, c: Component): Trusting | undefined {
  const inbound = view.flowsTo(c.id);
  const weak = inbound.filter((f) => f.authnStrength !== 'strong');
  const publicWithoutFlows = c.exposure === 'public' && inbound.length === 0;
  if (weak.length === 0 && !publicWithoutFlows) return undefined;
  const exposed = view.isExposed(c.id);
  const reachable = view.isInternetReachable(c.id);
  const outside = weak.filter((f) => f.flow.via === 'internet' || f.crosses.some((b) => OUTSIDE.has(b.kind)));
  if (!exposed && !reachable && outside.length === 0) return undefined;
  return { c, inbound, weak, outside, exposed, reachable };
}

function trustDraft(view: View, t: Trusting, routeTo: (id: string) => FlowFacts[]): Draft {
  const { c, inbound, weak, outside, exposed, reachable } = t;
  const path = routeTo(c.id);
  const route = path.length > 0 ? pathText(path) : c.id;
  const crossed = (f: FlowFacts) =>
    f.flow.via === 'internet'
      ? 'via internet'
      : boundariesText(f.crosses.filter((b) => OUTSIDE.has(b.kind) && view.isInside(f.from.id, b.id))) ||
        'another zone';
  const listed = exposed || reachable ? weak : outside;
  const weakText =
    listed.length > 0
      ? listed.map((f) => `${nameOf(f.from)} (${authnText(f)})`).join(', ')
      : 'anyone on the internet';
  const likelihood: Likelihood = exposed ? 'likely' : 'possible';
  const data = [...view.stored(c.id), ...inbound.flatMap((f) => f.data)];
  const outsideSet = new Set(outside);
  const evidence = [
    `${c.id} assumes: network-trusted`,
    ...(exposed ? [exposureFact(c)] : reachable ? [`reached from the internet along ${route}`] : []),
    ...listed.map((f) => `flow ${f.id}: ${authnText(f)}${outsideSet.has(f) ? `, ${crossed(f)}` : ''}`),
  ];
  const common = {
    primary: [c.id],
    subjects: [...listed.flatMap((f) => [f.id, f.from.id]), ...(reachable ? path.map((f) => f.id) : [])],
    likelihood,
    impact: dataImpact(data),
    confidence: 'confirmed' as const,
    evidence,
  };
  const callers = [...new Set(listed.map((f) => nameOf(f.from)))].join(', ') || 'every caller';
  if (exposed || reachable) {
    return {
      ...common,
      messageId: 'internetReachable',
      data: {
        component: nameOf(c),
        reach: exposed ? 'it is exposed to the internet' : `the internet reaches it along ${route}`,
        weak: weakText,
        callers,
      },
    };
  }
  return {
    ...common,
    messageId: 'outsideCaller',
    data: {
      component: nameOf(c),
      weak: weakText,
      outside: [...new Set(outside.map(crossed))].join('; '),
      callers,
    },
  };
}

export default defineRule({
  meta: {
    id: 'broken-network-trust-assumption',
    title: 'Component trusts its network, but the model shows traffic from outside it',
    summary:
      'A component relies on its network being trusted, yet the model itself shows that the internet or another zone reaches it without strong authentication, so the assumption it depends on does not hold.',
    stride: ['spoofing', 'elevation-of-privilege'],
    cwe: ['CWE-923', 'CWE-290'],
    capec: ['CAPEC-151'],
    attack: ['T1190', 'T1210'],
    compliance: {
      'nist-800-53': ['SC-7', 'AC-4', 'SA-8'],
      'iso-27001-2022': ['A.8.20', 'A.8.27'],
      soc2: ['CC6.6'],
      'pci-dss-4': ['1.3.1', '1.4.2'],
      'owasp-asvs-5': ['V12.3.5', 'V8.4.2'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: [],
    detection:
      'A component that states assumes: [network-trusted] is reported when (a) it is exposed to the internet or reachable from an entry point through any chain of flows, or (b) a flow into it crosses a boundary of kind internet, cloud-account, on-prem, third-party or device, or goes via the internet; and some flow into it has authentication that is not strong (none, api-key, basic, password, or not stated). A component whose every inbound flow uses strong authentication does not in fact depend on the network and is not reported. A stated-public component with no inbound flow in the model is reported under (a).',
    severityRationale:
      'Impact is the data the component stores and its inbound flows carry. Likelihood is likely when the component is exposed to the internet itself, possible when the internet reaches it only through other components or the outside caller is another zone of the system.',
    falsePositives:
      'The trust may rest on a control the model does not show (a network policy that admits only named peers, a private link). Prefer to make the trust explicit: authenticate the callers (mtls, iam) and state it on the flows, then drop network-trusted from assumes.',
    references: [
      {
        title: 'NIST SP 800-207 Zero Trust Architecture',
        url: 'https://csrc.nist.gov/pubs/sp/800/207/final',
      },
      {
        title: 'CWE-923: Improper Restriction of Communication Channel to Intended Endpoints',
        url: 'https://cwe.mitre.org/data/definitions/923.html',
      },
    ],
    messages: {
      internetReachable:
        '{component} assumes its network is trusted, yet {reach}, and it accepts calls from {weak} without strong authentication.',
      outsideCaller:
        '{component} assumes its network is trusted, yet calls from {weak} reach it from outside that network ({outside}) without strong authentication.',
    },
    mitigation:
      'Stop relying on network location at {component}: authenticate every caller ({callers}) with mTLS or signed workload tokens, authorize each call, and then remove network-trusted from its assumes.',
  },
  *detect(view) {
    // The route from the internet: the View's own search from the entry points (made once, with the hop
    // counts every rule uses), read backwards for the few components that fire.
    const reached = view.reachedVia();
    const routeTo = (id: string) => view.pathTo(reached, id);
    for (const c of view.components) {
      if (c.assumes === undefined || !c.assumes.includes('network-trusted') || isClient(c)) continue;
      const t = trusting(view, c);
      if (t !== undefined) yield trustDraft(view, t, routeTo);
    }
  },
});
