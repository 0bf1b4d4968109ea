import {
  appliesControl,
  behindCached,
  isCrownJewel,
  isManagementPlane,
  isPassThrough,
  listsUnstated,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import { defineRule, type Likelihood, type Unknown } from '../../define-rule.js';
import { searchFromEntries } from '../../shared/entry-search.js';
import { statedAuthn } from '../../shared/evidence.js';
import { uniqueById } from '../../shared/unique.js';

const isAdmin = (f: FlowFacts) => f.flow.purpose === 'admin' || f.flow.actions?.includes('admin') === true;

export default defineRule({
  meta: {
    id: 'unrestricted-admin-access-from-internet',
    title: 'Administrative access from the internet without MFA or an allow-list',
    summary:
      'An administrative interface is reachable from the internet and neither requires a second factor nor restricts who may connect, so one stolen or guessed credential hands an attacker control of the system.',
    stride: ['spoofing', 'elevation-of-privilege'],
    cwe: ['CWE-308', 'CWE-287'],
    capec: ['CAPEC-555', 'CAPEC-600'],
    attack: ['T1133', 'T1078', 'T1110'],
    compliance: {
      'nist-800-53': ['IA-2(1)', 'AC-17', 'AC-17(3)', 'AC-6(3)'],
      'iso-27001-2022': ['A.8.2', 'A.8.5'],
      soc2: ['CC6.1', 'CC6.6'],
      'pci-dss-4': ['8.4.1', '8.4.3', '2.2.7'],
      'owasp-asvs-5': ['V6.3.3', 'V8.4.2'],
      hipaa: ['164.312(d)', '164.312(a)(1)'],
    },
    assumes: ['controls', 'enforces'],
    supersedes: ['single-factor-access-to-crown-jewels'],
    detection:
      'A flow with purpose admin, or with admin among its actions, that comes from an internet source, goes via the internet, or is the last hop of a chain from the internet through gateways, load balancers, CDNs or WAFs, is reported when neither mfa nor ip-allowlist appears in the controls or enforces of the administered component or of any gateway on that chain. The finding is on the flow that enters the administered component; an admin flow into a gateway is judged only when no admin flow leaves the gateway towards an origin. Confirmed when those components state their lists; assumed, with questions, when a list is missing. Flows via a VPN and flows into a container platform (exposed-container-control-plane judges those) are left out.',
    severityRationale:
      'Impact is very high when the administered component is a control plane (container platform, CI/CD, identity provider, secret store, monitoring) or holds crown-jewel data, high otherwise: administrative access is control of everything it manages. Likelihood is likely for an internet-facing admin path, very likely when the admin flow uses a weak credential, none, or does not state one.',
    falsePositives:
      'Access may already be restricted outside the model (a zero-trust proxy, a corporate IdP enforcing MFA, a security group limited to office addresses). Record it: ip-allowlist or mfa in the controls or enforces of the component that applies it, or route the flow via: vpn with the component exposure: internal.',
    references: [
      {
        title: 'OWASP Multifactor Authentication Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Multifactor_Authentication_Cheat_Sheet.html',
      },
      {
        title: 'NIST SP 800-53 AC-17 Remote Access',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      unrestricted:
        '{target} accepts administrative access from the internet ({route}, authn {authn}) with neither MFA nor an IP allow-list on the way.',
      unstated:
        '{target} accepts administrative access from the internet ({route}, authn {authn}), and the model does not show MFA or an IP allow-list on the way.',
    },
    mitigation:
      'Take the administrative interface of {target} off the open internet: reach it only through a VPN or an identity-aware access proxy with an IP allow-list, and require phishing-resistant MFA for {who}.',
  },
  *detect(view) {
    // Admin flows are few: find them first, and search the edge chain only for the pass-through
    // components they leave from (the search stops once it has reached all of them).
    const admin: FlowFacts[] = [];
    const edgeTargets = new Set<string>();
    for (const f of view.flows) {
      // Most flows state neither purpose admin nor any actions: rejected before any call.
      if (f.flow.purpose !== 'admin' && f.flow.actions === undefined) continue;
      if (!isAdmin(f) || f.flow.via === 'vpn') continue;
      if (f.to.kind === 'container-platform') continue;
      admin.push(f);
      if (isPassThrough(f.from)) edgeTargets.add(f.from.id);
    }
    if (admin.length === 0) return;
    const behindOf = behindCached(view);
    // The search of edgeReach (queries.ts): from the entry points, along flows from internet sources
    // or pass-through components.
    const edge = searchFromEntries(view, (from) => view.isInternetSource(from.id) || isPassThrough(from), {
      targets: edgeTargets,
    });
    for (const f of admin) {
      const fromInternet = view.isInternetSource(f.from.id);
      const lastHop = isPassThrough(f.from) && edge.has(f.from.id);
      if (!fromInternet && f.flow.via !== 'internet' && !lastHop) continue;
      const downstream = isPassThrough(f.to) ? behindOf(f.to) : [f.to];
      // An admin flow into a gateway is judged on the admin flow that leaves it, when there is one.
      if (isPassThrough(f.to) && downstream.some((c) => view.flowsFrom(c.id).some(isAdmin))) continue;
      const upstream = lastHop ? view.pathTo(edge, f.from.id) : [];
      const hops: Component[] = lastHop
        ? [upstream[0]?.from ?? f.from, ...upstream.map((u) => u.to)].filter(isPassThrough)
        : [];
      const checked = uniqueById([...hops, ...downstream]);
      if (
        checked.some((c) => appliesControl(c, 'mfa') === true || appliesControl(c, 'ip-allowlist') === true)
      )
        continue;
      const unknowns: Unknown[] = checked
        .filter(listsUnstated)
        .map((c) => ({ subject: c.id, attribute: isPassThrough(c) ? 'enforces' : 'controls' }));
      const confirmed = unknowns.length === 0;
      const likelihood: Likelihood = f.authnStrength === 'strong' ? 'likely' : 'very-likely';
      const targets = downstream.filter((c) => !isPassThrough(c));
      const critical = [f.to, ...targets].some(
        (c) => isManagementPlane(c) || view.stored(c.id).some(isCrownJewel),
      );
      const first = upstream[0]?.from ?? f.from;
      const route = [first.id, ...upstream.map((u) => u.to.id), f.to.id];
      yield {
        messageId: confirmed ? 'unrestricted' : 'unstated',
        primary: [f.id],
        subjects: [...new Set([first.id, ...upstream.map((u) => u.id), ...checked.map((c) => c.id)])],
        likelihood,
        impact: critical ? ('very-high' as const) : ('high' as const),
        confidence: confirmed ? ('confirmed' as const) : ('assumed' as const),
        data: {
          target: nameOf(f.to),
          route: route.join(' → '),
          authn: statedAuthn(f),
          who: nameOf(first),
        },
        evidence: [
          `flow ${f.id}: ${f.flow.purpose === 'admin' ? 'purpose admin' : 'actions include admin'}, authn ${f.authn}, via ${f.flow.via ?? 'not stated'}`,
          ...(fromInternet ? [`${f.from.id} is on the internet`] : []),
          ...upstream.map((u) => `flow ${u.id} reaches ${u.to.id} from the internet`),
          ...checked.map((c) =>
            listsUnstated(c)
              ? `${c.id} does not state its controls or enforces`
              : `${c.id} has neither mfa nor ip-allowlist`,
          ),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
