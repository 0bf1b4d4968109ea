import {
  appliesControl,
  isClient,
  isMoney,
  isPassThrough,
  isThirdParty,
  readsOnlyPublicData,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Likelihood, type Unknown } from '../../define-rule.js';
import { flowLabel } from '../../factors.js';
import { listsFact } from '../../shared/evidence.js';
import { uniqueById } from '../../shared/unique.js';

const LOGIN_AUTHN = new Set(['password', 'basic']);

interface ChainSearch {
  /** The chain ends (first non-pass-through component, or a pass-through with nowhere to go) reached. */
  origins: Component[];
  /** The flow each component was first reached by, from the exposed component. */
  via: Map<string, FlowFacts | null>;
}

/**
 * Follows the entry chain from an exposed component through pass-through hops to the first real
 * component, using only components for which `open` holds (no rate limiting, or none stated).
 */
function searchChain(view: View, entry: Component, open: (c: Component) => boolean): ChainSearch {
  const via = new Map<string, FlowFacts | null>([[entry.id, null]]);
  const origins: Component[] = [];
  if (!open(entry)) return { origins, via };
  let frontier: Component[] = [entry];
  while (frontier.length > 0) {
    const next: Component[] = [];
    for (const c of frontier) {
      if (!isPassThrough(c)) {
        origins.push(c);
        continue;
      }
      const onward = view
        .flowsFrom(c.id)
        .filter((f) => !view.isInternetSource(f.to.id) && !readsOnlyPublicData(f));
      if (onward.length === 0) origins.push(c);
      for (const f of onward) {
        if (via.has(f.to.id) || !open(f.to)) continue;
        via.set(f.to.id, f);
        next.push(f.to);
      }
    }
    frontier = next;
  }
  return { origins, via };
}

function chainTo(search: ChainSearch, target: string): FlowFacts[] {
  const path: FlowFacts[] = [];
  let cur = search.via.get(target);
  while (cur) {
    path.unshift(cur);
    cur = search.via.get(cur.from.id);
  }
  return path;
}

export default defineRule({
  meta: {
    id: 'missing-rate-limiting',
    title: 'Internet entry has no rate limiting',
    summary:
      'A component that takes requests from the internet has no rate limiting, neither itself nor on the gateways between it and the service behind it, so one client can flood it, run up its cost or guess passwords at full speed.',
    stride: ['denial-of-service', 'spoofing'],
    cwe: ['CWE-770', 'CWE-799', 'CWE-307'],
    capec: ['CAPEC-125', 'CAPEC-488', 'CAPEC-600'],
    attack: ['T1499', 'T1499.003', 'T1110'],
    compliance: {
      'nist-800-53': ['SC-5', 'AC-7'],
      'iso-27001-2022': ['A.8.6', 'A.8.20'],
      soc2: ['A1.1', 'CC6.6'],
      'pci-dss-4': ['8.3.4'],
      'owasp-asvs-5': ['V2.4.1', 'V6.3.1'],
    },
    assumes: ['enforces', 'controls'],
    detection:
      'For every component that internet sources call directly and that is not itself a client or a third party, the rule follows its entry chain: through pass-through hops (gateway, load balancer, CDN, WAF) to the first real component behind them. It fires when some such chain has no component with rate-limiting in controls or enforces, counting the exposed component and that first real component. Chains that only read public data (a cached static site) are skipped. Internet flows authenticated with a password or basic auth mark the entry as a login endpoint. Confirmed when every component on the chain states its lists; assumed, with a question per component that states neither, otherwise.',
    severityRationale:
      'The entry is reachable by anyone on the internet, so likelihood is likely, and very likely for a login endpoint, where credential stuffing and password guessing are routine. Impact is medium (availability and cost), high for login endpoints (account takeover) and for chains that carry financial or card data (payment fraud by card testing).',
    falsePositives:
      'The limit may sit in a component the model does not show (a cloud provider’s DDoS shield with rate rules, a limiter library in the service). Add rate-limiting to the enforces of the gateway that applies it, or to the controls of the service that throttles itself.',
    references: [
      {
        title: 'OWASP API Security Top 10 2023: API4 Unrestricted Resource Consumption',
        url: 'https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/',
      },
      {
        title: 'OWASP Denial of Service Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Denial_of_Service_Cheat_Sheet.html',
      },
      {
        title: 'CWE-770: Allocation of Resources Without Limits or Throttling',
        url: 'https://cwe.mitre.org/data/definitions/770.html',
      },
    ],
    messages: {
      noRateLimit: '{entry} takes requests from {callers}, and nothing {scope} limits their rate.',
      login:
        '{entry} accepts logins from {callers} ({logins}), and nothing {scope} limits their rate, so passwords can be guessed and stuffed at full speed.',
      unstated:
        '{entry} takes requests from {callers}{loginNote}, and the model does not say whether anything {scope} limits their rate.',
    },
    mitigation:
      'Limit request rates {scope}: quotas per client, per credential and per source address with burst limits and 429 responses (gateway usage plans, WAF rate-based rules, or a limiter in the service){loginFix}.',
  },
  *detect(view) {
    for (const entry of view.components) {
      // One component in twenty is exposed: the rest are rejected on one lookup.
      if (!view.isExposed(entry.id) || view.isInternetSource(entry.id)) continue;
      if (isClient(entry) || isThirdParty(view, entry)) continue;
      const draft = finding(view, entry);
      if (draft !== undefined) yield draft;
    }
  },
});

/** The finding on an exposed component with no rate limiting on its way in, if it is one. */
function finding(view: View, entry: Component): Draft | undefined {
  const inbound = view.flowsTo(entry.id).filter((f) => f.fromInternet);
  if (inbound.length === 0 || inbound.every(readsOnlyPublicData)) return undefined;

  const strict = searchChain(view, entry, (c) => appliesControl(c, 'rate-limiting') === false);
  const lenient = searchChain(view, entry, (c) => appliesControl(c, 'rate-limiting') !== true);
  if (lenient.origins.length === 0) return undefined;
  const confirmed = strict.origins.length > 0;
  const search = confirmed ? strict : lenient;
  const origins = [...search.origins].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const first = origins[0] as Component;
  const path = chainTo(search, first.id);
  const onPath = [entry, ...path.map((f) => f.to)];
  const hops = uniqueById([...onPath, ...origins]);

  const logins = inbound.filter((f) => LOGIN_AUTHN.has(f.authn));
  const chainFlows = [...search.via.values()].filter((f): f is FlowFacts => f !== null);
  const money = [...inbound, ...chainFlows].some((f) => f.data.some(isMoney));
  const likelihood: Likelihood = logins.length > 0 ? 'very-likely' : 'likely';
  const impact: Impact = logins.length > 0 || money ? 'high' : 'medium';

  const entryLabel = nameOf(entry);
  const originOnly = origins.length === 1 && first.id === entry.id;
  const scope = originOnly
    ? `at ${entryLabel}`
    : `at ${entryLabel} or on the way to ${origins.map((c) => nameOf(c)).join(', ')} (${onPath.map((c) => c.id).join(' → ')})`;
  const callers = [...new Set(inbound.map((f) => nameOf(f.from)))].join(', ');
  const loginText = logins.map((f) => `${flowLabel(f)}, ${f.authn}`).join('; ');

  const unknowns: Unknown[] = confirmed
    ? []
    : hops
        .filter((c) => appliesControl(c, 'rate-limiting') === 'unknown')
        .map((c) => ({ subject: c.id, attribute: isPassThrough(c) ? 'enforces' : 'controls' }));
  const evidence = [
    ...inbound.map((f) => `flow ${f.id} from the internet (authn ${f.authn})`),
    ...hops.map((c) => listsFact(c, 'rate-limiting')),
    ...logins.map((f) => `flow ${f.id}: authn ${f.authn} (login endpoint)`),
    ...(money ? ['the chain carries financial or card data'] : []),
  ];
  return {
    messageId: !confirmed ? 'unstated' : logins.length > 0 ? 'login' : 'noRateLimit',
    primary: [entry.id],
    subjects: [...hops.map((c) => c.id), ...inbound.map((f) => f.id), ...path.map((f) => f.id)],
    likelihood,
    impact,
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      entry: entryLabel,
      callers,
      scope,
      logins: loginText,
      loginNote: logins.length > 0 ? `, including logins (${loginText})` : '',
      loginFix:
        logins.length > 0
          ? `; for the logins (${loginText}), also throttle failed attempts per account and per source, with lockout or a challenge after repeated failures`
          : '',
    },
    evidence,
    ...(confirmed ? {} : { unknowns }),
  };
}
