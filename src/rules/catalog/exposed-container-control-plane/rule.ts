import { appliesControl } from '../../../model/queries.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import type { TriState } from '../../../model/vocabulary.js';
import { defineRule, type Likelihood, type Unknown } from '../../define-rule.js';
import { flowLabel } from '../../factors.js';
import { internetRoutes } from '../../shared/edge.js';
import { pathText } from '../../shared/paths.js';
import { listText } from '../../shared/text.js';
import { uniqueUnknowns } from '../../shared/unique.js';

/** One way in from the internet: the stated public endpoint, or a chain of flows. */
interface Route {
  text: string;
  /** The flows of the chain, from the internet source to the platform (empty for the endpoint). */
  path: FlowFacts[];
  allowlisted: TriState;
  unknowns: Unknown[];
}

const authnText = (f: FlowFacts) => {
  if (f.authnStrength === 'none') return 'no authentication';
  if (f.authnStrength === 'unknown') return 'authentication that is not stated';
  return `only ${f.authn} authentication`;
};

export default defineRule({
  meta: {
    id: 'exposed-container-control-plane',
    title: 'Container platform API is reachable from the internet',
    summary:
      'The control-plane API of a container platform (Kubernetes API server, ECS, Nomad, ...) accepts connections from anywhere on the internet, so stolen credentials, anonymous access or an API-server vulnerability give an attacker the whole cluster.',
    stride: ['elevation-of-privilege', 'spoofing'],
    cwe: ['CWE-668', 'CWE-306'],
    capec: ['CAPEC-1'],
    attack: ['T1609', 'T1610', 'T1613', 'T1552.007'],
    compliance: {
      'nist-800-53': ['AC-6(3)', 'AC-17(3)', 'SC-7'],
      'iso-27001-2022': ['A.8.2', 'A.8.20'],
      soc2: ['CC6.6'],
      'pci-dss-4': ['1.4.2'],
      'owasp-asvs-5': ['V8.4.2'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['controls', 'enforces'],
    supersedes: ['missing-authentication'],
    detection:
      'A container-platform component is considered when it is exposed: stated exposure public, or called directly by an internet source. Its ways in are the public endpoint (when stated public) and every chain of flows from an internet source through pass-through components (gateway, load balancer, CDN, WAF) to it, except flows via vpn. A way in is open when neither the platform nor a pass-through hop on the chain applies ip-allowlist. Confirmed when an open way in rests on stated lists; assumed, with questions, when the platform or a hop states neither controls nor enforces. A second message names an inbound internet flow with no, weak or unstated authentication. It replaces missing-authentication on the same component: an open control plane is reported once, as such.',
    severityRationale:
      'Impact is very high: the control plane schedules any container, reads every secret and reaches every node. Likelihood is likely for an open endpoint; very likely when an internet flow reaches it with no authentication; possible when the platform states authentication and every internet flow to it is strongly authenticated, because the attacker then needs valid credentials or an exploit.',
    falsePositives:
      'Access may be limited outside the model: authorized networks on the managed endpoint, cloud IAM policy conditions on source IP or VPC endpoint, or a private endpoint used by everyone. Record it as ip-allowlist in the enforces of the platform (or of the hop that filters), or state exposure internal with inbound flows via vpn.',
    references: [
      {
        title: 'Kubernetes: Controlling Access to the Kubernetes API',
        url: 'https://kubernetes.io/docs/concepts/security/controlling-access/',
      },
      {
        title: 'Amazon EKS: Cluster API server endpoint access control',
        url: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
      },
      {
        title: 'Google Kubernetes Engine: Add authorized networks for control plane access',
        url: 'https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks',
      },
    ],
    messages: {
      exposed:
        'The control-plane API of {platform} is open to the internet ({routes}) with no IP allow-list, so anyone can try stolen credentials or API-server exploits against it.',
      weakAccess:
        'The control-plane API of {platform} is open to the internet with no IP allow-list, and {flow} reaches it with {authn}.',
      allowlistUnstated:
        'The control-plane API of {platform} is open to the internet ({routes}), and the model does not state that access is limited to known networks.',
    },
    mitigation:
      'Make the API of {platform} private (a private endpoint reached over VPN or from the delivery pipeline’s network), or restrict its public endpoint to known source ranges (authorized networks, IP allow-list); require strong, short-lived authentication for every caller and disable anonymous access.',
  },
  *detect(view) {
    const platforms = view.components.filter((c) => c.kind === 'container-platform' && view.isExposed(c.id));
    if (platforms.length === 0) return;
    for (const p of platforms) {
      const own = appliesControl(p, 'ip-allowlist');
      if (own === true) continue;
      const ownUnknowns: Unknown[] = own === 'unknown' ? [{ subject: p.id, attribute: 'controls' }] : [];
      const routes: Route[] = [];
      if (p.exposure === 'public') {
        routes.push({
          text: 'its endpoint is stated public',
          path: [],
          allowlisted: own,
          unknowns: ownUnknowns,
        });
      }
      // Chains from internet sources through pass-through components, VPN flows excluded.
      for (const { path, hops } of internetRoutes(view, p)) {
        const hopStates = hops.map((h) => appliesControl(h, 'ip-allowlist'));
        if (hopStates.includes(true)) continue;
        const unknowns = [
          ...ownUnknowns,
          ...hops
            .filter((_, i) => hopStates[i] === 'unknown')
            .map((h) => ({ subject: h.id, attribute: 'enforces' })),
        ];
        routes.push({
          text: `from ${pathText(path)}`,
          path,
          allowlisted: unknowns.length > 0 ? 'unknown' : false,
          unknowns,
        });
      }
      if (routes.length === 0) continue;
      const open = routes.filter((r) => r.allowlisted === false);
      const chosen = open.length > 0 ? open : routes;
      const confirmed = open.length > 0;
      const inbound = chosen.flatMap((r) => r.path.slice(-1));
      const weak = inbound.filter((f) => f.authnStrength !== 'strong');
      const worst = weak.find((f) => f.authnStrength === 'none') ?? weak[0];
      const authenticates = appliesControl(p, 'authentication') === true;
      const likelihood: Likelihood =
        worst?.authnStrength === 'none'
          ? 'very-likely'
          : authenticates && weak.length === 0
            ? 'possible'
            : 'likely';
      const messageId = worst ? 'weakAccess' : confirmed ? 'exposed' : 'allowlistUnstated';
      const unknowns = confirmed ? [] : uniqueUnknowns(chosen.flatMap((r) => r.unknowns));
      yield {
        messageId,
        primary: [p.id],
        subjects: [...new Set(chosen.flatMap((r) => r.path.flatMap((f) => [f.id, f.from.id])))],
        likelihood,
        impact: 'very-high',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          platform: nameOf(p),
          routes: chosen.map((r) => r.text).join('; '),
          flow: worst ? flowLabel(worst) : '',
          authn: worst ? authnText(worst) : '',
        },
        evidence: [
          `${p.id} (container-platform): ${p.exposure === 'public' ? 'exposure public' : 'called directly from the internet'}`,
          `${p.id} controls: ${listText(p.controls)}, enforces: ${listText(p.enforces)} (no ip-allowlist)`,
          ...chosen.filter((r) => r.path.length > 0).map((r) => `reached ${r.text}`),
          ...weak.map((f) => `flow ${f.id}: authn ${f.authn}`),
          ...(likelihood === 'possible'
            ? [`${p.id} states authentication, and no internet flow to it is weakly authenticated`]
            : []),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
