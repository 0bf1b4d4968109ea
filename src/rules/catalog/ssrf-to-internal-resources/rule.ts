import { appliesControl, bySegment, isFirstParty, segment } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, maxImpact } from '../../factors.js';
import { stolenGrantImpact } from '../../shared/credentials.js';
import { listText, truncatedList } from '../../shared/text.js';
import { uniqueById } from '../../shared/unique.js';

const PROVIDER_NAMES: Readonly<Record<string, string>> = { aws: 'AWS', gcp: 'GCP', azure: 'Azure' };

export default defineRule({
  meta: {
    id: 'ssrf-to-internal-resources',
    title: 'Component fetches caller-supplied URLs and can reach internal services or cloud credentials',
    summary:
      'A service that fetches URLs its callers supply, with no egress restriction, can be made to call internal services or the cloud metadata endpoint on an attacker’s behalf (server-side request forgery), reading internal data or stealing its workload credentials.',
    stride: ['information-disclosure', 'elevation-of-privilege', 'spoofing'],
    cwe: ['CWE-918'],
    capec: ['CAPEC-664'],
    attack: ['T1552.005', 'T1190'],
    compliance: {
      'nist-800-53': ['SC-7', 'SC-7(5)', 'AC-4', 'SI-10'],
      'iso-27001-2022': ['A.8.20', 'A.8.22', 'A.8.28'],
      soc2: ['CC6.6'],
      'pci-dss-4': ['6.2.4', '1.3.2'],
      'owasp-asvs-5': ['V1.3.6', 'V13.2.4', 'V13.2.5', 'V15.3.2'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['controls', 'enforces', 'runs-as'],
    detection:
      'A component stated fetches-urls: true that is reachable from the internet (so callers can choose the URL) and has neither network-policy (egress restriction) nor sandbox in its controls or enforces is reported when a forged request has somewhere to go: internal components (not exposed, not third parties, not clients) that share its network segment or that it calls, and the instance metadata endpoint when it runs inside a cloud account or a cluster, which hands out the credentials of its runs-as identity (or, when none is stated, of the instance or node it runs on). Confirmed when at least one of its control lists is stated; assumed, with questions, when both are absent, or when the metadata endpoint is all it reaches and its runs-as is not stated.',
    severityRationale:
      'Impact is what the forged requests reach: for the metadata endpoint, what the identity is granted (very high for admin on every resource or on a control plane, else the classification of the data on the granted resources, at least medium); for internal services, the most sensitive data they hold, at least medium because internal APIs rarely authenticate their callers. Likelihood is likely, very likely when the component is itself exposed to the internet: SSRF is scanned for and exploited routinely (the metadata endpoint is the first URL tried).',
    falsePositives:
      'Egress may be restricted outside the component (an egress proxy, a VPC firewall or a Kubernetes NetworkPolicy that denies private ranges, IMDSv2 with a hop limit of 1). Record it as network-policy or sandbox in the component’s controls. If callers cannot choose the URL (it comes from configuration), state fetches-urls: false.',
    references: [
      {
        title: 'OWASP Server-Side Request Forgery Prevention Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html',
      },
      {
        title: 'Amazon EC2: Configure the instance metadata service (IMDSv2)',
        url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html',
      },
      {
        title: 'CWE-918: Server-Side Request Forgery (SSRF)',
        url: 'https://cwe.mitre.org/data/definitions/918.html',
      },
    ],
    messages: {
      internal:
        '{component} fetches URLs its callers supply, and {restriction}: a crafted URL reaches {targets}.',
      cloudMetadata:
        '{component} fetches URLs its callers supply, and {restriction}: a crafted URL reaches the {platform} metadata endpoint, which hands out the credentials of {identity}.',
      internalAndMetadata:
        '{component} fetches URLs its callers supply, and {restriction}: a crafted URL reaches {targets}, and the {platform} metadata endpoint, which hands out the credentials of {identity}.',
    },
    mitigation:
      'Restrict what {component} can fetch: allow-list the schemes, hosts and ports it may call, resolve each name and reject private, loopback and link-local addresses (169.254.169.254) after resolution, send every fetch through an egress proxy or sandbox whose network policy denies {targets}{metadataAdvice}.',
  },
  *detect(view) {
    const fetchers = view.components.filter(
      (c) => c['fetches-urls'] === true && view.isInternetReachable(c.id),
    );
    if (fetchers.length === 0) return;
    const isInternal = (x: Component) => !view.isExposed(x.id) && isFirstParty(view, x);
    const members = bySegment(view, view.components);
    for (const c of fetchers) {
      const policy = appliesControl(c, 'network-policy');
      const sandbox = appliesControl(c, 'sandbox');
      if (policy === true || sandbox === true) continue;
      const seg = segment(view, c);
      const neighbours = (seg ? (members.get(seg.id) ?? []) : []).filter(
        (x) => x.id !== c.id && isInternal(x),
      );
      const called = view
        .flowsFrom(c.id)
        .map((f) => f.to)
        .filter((x) => x.id !== c.id && isInternal(x));
      const targets = uniqueById([...called, ...neighbours]);
      const host = view.nearest(c.id, 'cloud-account') ?? view.nearest(c.id, 'cluster');
      const identity = view.identityOf(c.id);
      // Without runs-as the endpoint still answers, with the instance's or node's own identity.
      const metadata = host !== undefined;
      const identityUnstated = metadata && c['runs-as'] === undefined;
      if (targets.length === 0 && !metadata) continue;

      const internalImpact = maxImpact('medium', ...targets.map((t) => dataImpact(view.stored(t.id))));
      const metadataImpact = maxImpact(
        'medium',
        ...(identity?.grants ?? []).map((g) => stolenGrantImpact(view, g)),
      );
      const unknowns = [
        ...(policy === 'unknown'
          ? [
              { subject: c.id, attribute: 'controls' },
              { subject: c.id, attribute: 'enforces' },
            ]
          : []),
        // The identity matters only when the metadata endpoint is all a forged request reaches.
        ...(identityUnstated && targets.length === 0 ? [{ subject: c.id, attribute: 'runs-as' }] : []),
      ];
      const impact = maxImpact(
        targets.length > 0 ? internalImpact : 'low',
        metadata ? metadataImpact : 'low',
      );
      const provider = host?.kind === 'cloud-account' ? host.provider : undefined;
      const platform =
        host?.kind === 'cloud-account'
          ? `${provider ? (PROVIDER_NAMES[provider] ?? provider) : 'cloud'} instance`
          : 'cluster node';
      const messageId =
        targets.length > 0 && metadata ? 'internalAndMetadata' : metadata ? 'cloudMetadata' : 'internal';
      yield {
        messageId,
        primary: [c.id],
        subjects: [
          ...targets.map((t) => t.id),
          ...(metadata && identity ? [identity.id] : []),
          ...(seg ? [seg.id] : []),
        ],
        likelihood: view.isExposed(c.id) ? 'very-likely' : 'likely',
        impact,
        confidence: unknowns.length > 0 ? 'assumed' : 'confirmed',
        data: {
          component: view.label(c.id),
          restriction:
            policy === 'unknown'
              ? 'the model does not say whether a network policy or sandbox restricts where it may connect'
              : 'no network policy or sandbox restricts where it may connect',
          targets:
            targets.length === 0
              ? 'internal addresses'
              : truncatedList(
                  targets.map((t) => view.label(t.id)),
                  5,
                ),
          platform,
          metadataAdvice: metadata
            ? `, and require IMDSv2 or the platform equivalent (with a hop limit of 1) so the metadata endpoint does not hand out the credentials of ${identity ? view.label(identity.id) : 'the identity its instance or node runs as'}`
            : '',
          identity: identity
            ? view.label(identity.id)
            : identityUnstated
              ? 'the identity its instance or node runs as'
              : 'its workload identity',
        },
        evidence: [
          `${c.id}: fetches-urls true`,
          view.isExposed(c.id)
            ? `${c.id} is exposed to the internet`
            : `${c.id} is reachable from the internet`,
          policy === 'unknown'
            ? `${c.id}: controls and enforces not stated`
            : `${c.id}: controls ${listText(c.controls)}, enforces ${listText(c.enforces)} (no network-policy or sandbox)`,
          ...(neighbours.length > 0 && seg
            ? [`shares ${seg.kind} ${seg.id} with ${neighbours.map((x) => x.id).join(', ')}`]
            : []),
          ...(called.length > 0 ? [`calls ${called.map((x) => x.id).join(', ')}`] : []),
          ...(host
            ? [
                `runs ${identity ? `as ${identity.id}` : 'without a stated runs-as'} inside ${host.kind} ${host.id}`,
              ]
            : []),
        ],
        ...(unknowns.length > 0 ? { unknowns } : {}),
      };
    }
  },
});
