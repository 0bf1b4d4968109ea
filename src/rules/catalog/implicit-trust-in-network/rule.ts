import { implicitTrustZone } from '../../../model/queries.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, flowLabel, maxImpact } from '../../factors.js';

export default defineRule({
  meta: {
    id: 'implicit-trust-in-network',
    title: 'Implicit trust between components that share a network',
    summary:
      'Two components talk without authentication because they sit in the same network, subnet, cluster or namespace, so anything that gets a foothold inside that boundary can call the receiver as if it were a trusted peer.',
    stride: ['spoofing', 'elevation-of-privilege'],
    cwe: ['CWE-306', 'CWE-923'],
    capec: ['CAPEC-22', 'CAPEC-151'],
    attack: ['T1021', 'T1078'],
    compliance: {
      'nist-800-53': ['IA-9', 'AC-4', 'SC-7'],
      'iso-27001-2022': ['A.8.20', 'A.8.22', 'A.5.15'],
      soc2: ['CC6.1', 'CC6.6'],
      'pci-dss-4': ['8.2.1', '1.3.1'],
      'owasp-asvs-5': ['V12.3.5'],
      hipaa: ['164.312(d)'],
    },
    assumes: ['authn'],
    detection:
      'A flow between two components that are not internet sources, whose ends share a boundary of kind network, subnet, cluster or namespace, is reported when its authentication is none (confirmed) or not stated (assumed, with a question). The finding names the nearest shared boundary: that boundary is what the receiver trusts instead of its caller.',
    severityRationale:
      'Impact follows the data the receiver stores and the flow carries (at least medium: an unauthenticated internal call can usually change state). Likelihood is possible for a network-level trust (an attacker first needs a foothold inside), likely when the receiver is also reachable from the internet through other flows.',
    falsePositives:
      'The platform may authenticate the call below the application (a service mesh with mTLS, IAM-signed requests). Record that with `authn: mtls` or `authn: iam` on the flow.',
    references: [
      {
        title: 'NIST SP 800-207 Zero Trust Architecture',
        url: 'https://csrc.nist.gov/pubs/sp/800/207/final',
      },
      {
        title: 'CWE-306: Missing Authentication for Critical Function',
        url: 'https://cwe.mitre.org/data/definitions/306.html',
      },
    ],
    messages: {
      unauthenticated:
        '{to} accepts calls from {from} without authentication ({flow}), trusting that anything inside {boundary} is legitimate.',
      unstated:
        'The flow {flow} does not state how {from} authenticates to {to}; inside {boundary} it may rely on network location alone.',
    },
    mitigation:
      'Authenticate {from} to {to} on the flow {flow} (mTLS through a service mesh, or signed service tokens such as IAM or OIDC workload identity) and authorize the call at {to}, instead of trusting every caller inside {boundary}.',
  },
  *detect(view) {
    for (const f of view.flows) {
      const zone = implicitTrustZone(view, f);
      if (!zone) continue;
      const data = {
        from: view.label(f.from.id),
        to: view.label(f.to.id),
        flow: flowLabel(view, f),
        boundary: `${view.label(zone.id)} (${zone.kind})`,
      };
      const common = {
        primary: [f.id],
        subjects: [f.from.id, f.to.id, zone.id],
        likelihood: view.isInternetReachable(f.to.id) ? ('likely' as const) : ('possible' as const),
        impact: maxImpact('medium', dataImpact(view.stored(f.to.id)), dataImpact(f.data)),
        data,
      };
      const facts = [`${f.from.id} and ${f.to.id} are both inside ${zone.kind} ${zone.id}`];
      if (f.authn === 'none') {
        yield {
          ...common,
          messageId: 'unauthenticated',
          confidence: 'confirmed',
          evidence: [`flow ${f.id}: authn none`, ...facts],
        };
      } else {
        yield {
          ...common,
          messageId: 'unstated',
          confidence: 'assumed',
          evidence: [`flow ${f.id}: authn not stated`, ...facts],
          unknowns: [{ subject: f.id, attribute: 'authn' }],
        };
      }
    }
  },
});
