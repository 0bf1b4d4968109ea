import { implicitTrustZone } from '../../../model/queries.js';
import type { Boundary } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact } from '../../define-rule.js';
import { dataImpact } from '../../factors.js';

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
    // Zone texts and the impact of what a target stores are the same for the many flows that share them.
    const zoneTexts = new Map<string, string>();
    const storedImpacts = new Map<string, Impact>();
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // The cheapest rejection first: flows that state some authentication trust nothing implicitly.
      if (f.authn !== 'none' && f.authn !== 'unknown') continue;
      const zone = implicitTrustZone(view, f);
      if (!zone) continue;
      yield draftOf(view, f, zone, zoneTexts, storedImpacts);
    }
  },
});

function draftOf(
  view: View,
  f: FlowFacts,
  zone: Boundary,
  zoneTexts: Map<string, string>,
  storedImpacts: Map<string, Impact>,
): Draft {
  const to = f.to.id;
  let boundary = zoneTexts.get(zone.id);
  if (boundary === undefined) {
    boundary = `${nameOf(zone)} (${zone.kind})`;
    zoneTexts.set(zone.id, boundary);
  }
  let stored = storedImpacts.get(to);
  if (stored === undefined) {
    stored = dataImpact(view.stored(to), 'medium');
    storedImpacts.set(to, stored);
  }
  const fromLabel = nameOf(f.from);
  const toLabel = view.label(to);
  const fact = `${f.from.id} and ${to} are both inside ${zone.kind} ${zone.id}`;
  const primary = [f.id];
  const subjects = [f.from.id, to, zone.id];
  const likelihood = view.isInternetReachable(to) ? 'likely' : 'possible';
  // At least medium, else the highest of what the target stores and what the flow carries.
  const impact = f.data.length > 0 ? dataImpact(f.data, stored) : stored;
  // The same texts as flowLabel, from the labels already in hand.
  const data = { from: fromLabel, to: toLabel, flow: `${fromLabel} → ${toLabel}`, boundary };
  if (f.authn === 'none') {
    return {
      primary,
      subjects,
      likelihood,
      impact,
      data,
      messageId: 'unauthenticated',
      confidence: 'confirmed',
      evidence: [`flow ${f.id}: authn none`, fact],
    };
  }
  return {
    primary,
    subjects,
    likelihood,
    impact,
    data,
    messageId: 'unstated',
    confidence: 'assumed',
    evidence: [`flow ${f.id}: authn not stated`, fact],
    unknowns: [{ subject: f.id, attribute: 'authn' }],
  };
}
