import { enforces, hasControl } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Likelihood, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, maxImpact } from '../../factors.js';
import { chainText, edgeChains } from '../../shared/edge.js';
import { statedAuthn } from '../../shared/evidence.js';

type Verdict = 'unauthenticated' | 'weakAuthn' | 'authnUnstated';
const RANK: Record<Verdict, number> = { unauthenticated: 0, weakAuthn: 1, authnUnstated: 2 };
const LIKELIHOOD: Record<Verdict, Likelihood> = {
  unauthenticated: 'very-likely',
  weakAuthn: 'likely',
  authnUnstated: 'very-likely',
};

/** One way in from the internet and what it says about authentication. */
interface Candidate {
  verdict: Verdict;
  /** The chain's flows, internet-facing first (empty for a stated-public cluster without flows). */
  flows: FlowFacts[];
  access: string;
  authn: string;
  evidence: string[];
  unknowns: Unknown[];
}

export default defineRule({
  meta: {
    id: 'exposed-search-engine',
    title: 'Search cluster is reachable from the internet without authentication',
    summary:
      'A search cluster (Elasticsearch, OpenSearch, Solr) that holds non-public data can be queried from the internet with no or weak authentication; such clusters expose bulk query, export and index-management APIs and are scanned for constantly.',
    stride: ['information-disclosure', 'tampering'],
    cwe: ['CWE-306', 'CWE-200'],
    capec: ['CAPEC-1'],
    attack: ['T1213', 'T1190'],
    compliance: {
      'nist-800-53': ['AC-3', 'AC-22', 'SC-7'],
      'iso-27001-2022': ['A.8.3', 'A.8.20'],
      soc2: ['CC6.1', 'CC6.6'],
      'pci-dss-4': ['1.4.4'],
      'owasp-asvs-5': ['V8.2.2'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['authn', 'stores', 'controls'],
    supersedes: ['missing-authentication', 'internet-to-crown-jewels-path'],
    detection:
      'A component of kind search that holds data other than public (or whose stores are not stated) is judged on every chain by which internet traffic reaches it: a flow from an internet source, directly or through pass-through components (CDN, WAF, load balancer, gateway) only. A chain counts when its internet-facing flow has authn none or weak and no pass-through on it enforces authentication; later hops do not count, because a proxy that forwards anonymous traffic with its own credentials still lets anyone query. Confirmed when that flow states its authn and the cluster states its stores; assumed, with questions, when either is unknown. A cluster stated exposure: public with no internet flow modelled is judged by its own controls: confirmed when they are stated without authentication, assumed when they are absent.',
    severityRationale:
      'Impact is the classification of the data indexed (very high for pci, phi, credentials and secrets; high for pii and financial data; at least medium when the contents are unknown). Likelihood is very likely with no authentication (open clusters are found by internet-wide scans within hours), likely with only a weak credential such as basic authentication or an API key.',
    falsePositives:
      'A control the model does not show may stand in front (a gateway that authenticates, a private endpoint, an IP allow-list). State enforces: [authentication] on that gateway, or the flow’s real authn, or exposure: internal if the cluster is not reachable from the internet. If it indexes only public content, classify that data as public.',
    references: [
      {
        title: 'CWE-306: Missing Authentication for Critical Function',
        url: 'https://cwe.mitre.org/data/definitions/306.html',
      },
      {
        title: 'OWASP Database Security Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Database_Security_Cheat_Sheet.html',
      },
    ],
    messages: {
      unauthenticated:
        'The search cluster {search} holds {data} and can be queried from the internet without authentication ({access}).',
      weakAuthn:
        'The search cluster {search} holds {data} and can be queried from the internet with only {authn} ({access}).',
      authnUnstated:
        'The search cluster {search} holds {data} and is reachable from the internet ({access}), and the model does not say how those callers authenticate.',
    },
    mitigation:
      'Take {search} off the internet: place it in a private subnet, serve search only through an application API that authenticates and authorizes each query, enable the cluster’s security features with strong authentication (SSO, IAM or mTLS) and least-privilege roles, and block its index-management and bulk-export APIs from every client.',
  },
  *detect(view) {
    for (const c of view.components) {
      if (c.kind !== 'search') continue;
      const draft = finding(view, c);
      if (draft !== undefined) yield draft;
    }
  },
});

/** The finding on a search cluster the internet reaches without strong authentication, if it is one. */
function finding(view: View, c: Component): Draft | undefined {
  const held = view.stored(c.id).filter((d) => d.classification !== 'public');
  if (c.stores !== undefined && held.length === 0) return undefined;
  const chains = edgeChains(view, c.id, (p) => enforces(p, 'authentication') === true);
  const candidates: Candidate[] = [];
  for (const chain of chains) {
    const entry = chain[0] as FlowFacts;
    if (entry.authnStrength === 'strong') continue;
    const verdict: Verdict =
      entry.authnStrength === 'none'
        ? 'unauthenticated'
        : entry.authnStrength === 'weak'
          ? 'weakAuthn'
          : 'authnUnstated';
    candidates.push({
      verdict,
      flows: chain,
      access: chainText(view, chain),
      authn: `${entry.authn} authentication`,
      evidence: [
        `flow ${entry.id} from internet source ${entry.from.id}: authn ${statedAuthn(entry)}`,
        ...chain.slice(1).map((f) => `then ${f.id} through ${f.from.kind} ${f.from.id}`),
      ],
      unknowns: verdict === 'authnUnstated' ? [{ subject: entry.id, attribute: 'authn' }] : [],
    });
  }
  if (chains.length === 0 && c.exposure === 'public') {
    const own = hasControl(c, 'authentication');
    if (own !== true) {
      candidates.push({
        verdict: own === false ? 'unauthenticated' : 'authnUnstated',
        flows: [],
        access: 'stated exposure: public',
        authn: 'no authentication',
        evidence: [
          `${c.id}: exposure public, no internet flow modelled`,
          own === false
            ? `${c.id}: controls [${(c.controls ?? []).join(', ')}] (no authentication)`
            : `${c.id}: controls not stated`,
        ],
        unknowns: own === false ? [] : [{ subject: c.id, attribute: 'controls' }],
      });
    }
  }
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => RANK[a.verdict] - RANK[b.verdict]);
  const worst = candidates[0] as Candidate;
  const unknowns = [
    ...worst.unknowns,
    ...(c.stores === undefined ? [{ subject: c.id, attribute: 'stores' }] : []),
  ];
  const draft: Draft = {
    messageId: worst.verdict,
    primary: [c.id],
    subjects: [
      ...held.map((d) => d.id),
      ...candidates.flatMap((x) => x.flows.flatMap((f) => [f.id, f.from.id])),
    ],
    likelihood: LIKELIHOOD[worst.verdict],
    impact: c.stores === undefined ? maxImpact('medium', dataImpact(held)) : dataImpact(held),
    confidence: unknowns.length > 0 ? 'assumed' : 'confirmed',
    data: {
      search: nameOf(c),
      data: c.stores === undefined ? 'data the model does not list' : dataList(held),
      access: worst.access,
      authn: worst.authn,
    },
    evidence: [
      c.stores === undefined ? `${c.id}: stores not stated` : `${c.id} stores ${dataList(held)}`,
      ...new Set(candidates.flatMap((x) => x.evidence)),
    ],
    ...(unknowns.length > 0 ? { unknowns } : {}),
  };
  return draft;
}
