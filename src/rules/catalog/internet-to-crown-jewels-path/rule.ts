import { isClient, isThirdParty } from '../../../model/queries.js';
import type { FlowFacts } from '../../../model/view.js';
import { ATTACK_PATH_TARGET_CLASSIFICATIONS } from '../../../model/vocabulary.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, dataList } from '../../factors.js';
import { boundariesText } from '../../shared/evidence.js';
import { pathText } from '../../shared/paths.js';

const SEGMENTS = new Set(['network', 'subnet', 'cluster']);

export default defineRule({
  meta: {
    id: 'internet-to-crown-jewels-path',
    title: 'Crown-jewel data reachable from the internet without a strong barrier',
    summary:
      'A component holding personal, health, card, credential or secret data can be reached from the internet along a chain of flows that never requires strong authentication, or that never crosses a network segment, so one weak link exposes the data.',
    stride: ['information-disclosure', 'elevation-of-privilege'],
    cwe: ['CWE-284', 'CWE-668'],
    capec: ['CAPEC-1'],
    attack: ['T1190', 'T1021'],
    compliance: {
      'nist-800-53': ['SC-7', 'AC-4', 'SC-7(5)'],
      'iso-27001-2022': ['A.8.22', 'A.8.20', 'A.8.3'],
      soc2: ['CC6.1', 'CC6.6'],
      'pci-dss-4': ['1.3.1', '1.4.4'],
      'owasp-asvs-5': ['V8.2.1'],
      hipaa: ['164.312(a)(1)', '164.308(a)(4)(i)'],
    },
    assumes: ['authn'],
    detection:
      'For every component the team runs itself (not an external service, user or client, nor inside a third-party boundary) that stores pii, phi, pci, credentials or secret data, the rule asks the View two reachability questions from the entry points: can it be reached using only flows whose authentication is none or weak (api-key, basic, password), and can it be reached using only flows that cross no network, subnet or cluster boundary once inside (the hop out of the internet always enters some network, so it does not count)? Either makes a confirmed finding. When strong authentication is missing only because some flow on the way does not state its authentication, the finding is assumed, with a question per such flow.',
    severityRationale:
      'Impact is the classification of the data held (very high for phi, pci, credentials and secrets; high for pii). Likelihood is very likely when no strong authentication stands on the path, likely when authentication exists but nothing segments the network.',
    falsePositives:
      'A control the model does not show may stand on the path (a VPN, a bastion, a private link). Model it: a boundary for the segment, the flow’s `authn`, or `via: vpn`.',
    references: [
      {
        title: 'NIST SP 800-53 SC-7 Boundary Protection',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
      { title: 'PCI DSS v4.0 Requirement 1', url: 'https://www.pcisecuritystandards.org/document_library/' },
    ],
    messages: {
      noStrongAuthn:
        '{target}, which holds {data}, can be reached from {entry} along {path} without strong authentication on any hop.',
      noStrongAuthnUnstated:
        '{target}, which holds {data}, can be reached from {entry} along {path}, and no hop is known to require strong authentication.',
      noSegmentation:
        '{target}, which holds {data}, can be reached from {entry} along {path} without crossing any network, subnet or cluster boundary.',
    },
    mitigation:
      'Put a strong barrier between the internet and {target}: require strong authentication (OIDC, OAuth 2, mTLS, IAM) on the flows along {path}, and place {target} in its own network or subnet reachable only from the services that need it.',
  },
  *detect(view) {
    // The team's own stores: a third party's systems (Stripe, a partner API) are out of its hands.
    const targets = view.components.filter(
      (c) =>
        !isClient(c) &&
        !isThirdParty(view, c) &&
        view.stored(c.id).some((d) => ATTACK_PATH_TARGET_CLASSIFICATIONS.has(d.classification)),
    );
    if (targets.length === 0) return;
    const weak = view.reachableVia(
      'authn-none-or-weak',
      (f) => f.authnStrength === 'none' || f.authnStrength === 'weak',
    );
    const notStrong = view.reachableVia('authn-not-strong', (f) => f.authnStrength !== 'strong');
    // Leaving the internet always crosses into some network; what counts is a crossing after that.
    const flat = view.reachableVia(
      'crosses-no-segment-after-edge',
      (f) => f.fromInternet || !f.crosses.some((b) => SEGMENTS.has(b.kind)),
    );
    for (const t of targets) {
      if (view.isEntryPoint(t.id)) continue; // directly exposed: public-datastore and exposure rules speak to it
      const jewels = view
        .stored(t.id)
        .filter((d) => ATTACK_PATH_TARGET_CLASSIFICATIONS.has(d.classification));
      const base = { primary: [t.id], impact: dataImpact(jewels) };
      const say = (path: FlowFacts[]) => ({
        target: view.label(t.id),
        data: dataList(jewels),
        entry: view.label(path[0]?.from.id ?? t.id),
        path: pathText(path),
      });
      const evidence = (path: FlowFacts[], fact: (f: FlowFacts) => string) => [
        `${t.id} stores ${dataList(jewels)}`,
        ...path.map((f) => `flow ${f.id}: ${fact(f)}`),
      ];
      const authnFact = (f: FlowFacts) => `authn ${f.authn}`;
      const segFact = (f: FlowFacts) =>
        f.crosses.length === 0 ? 'crosses no boundary' : `crosses ${boundariesText(f.crosses)}`;
      if (weak.has(t.id)) {
        const path = view.pathTo(weak, t.id);
        yield {
          ...base,
          messageId: 'noStrongAuthn',
          subjects: path.flatMap((f) => [f.id, f.from.id]),
          likelihood: 'very-likely',
          confidence: 'confirmed',
          data: say(path),
          evidence: evidence(path, authnFact),
        };
      } else if (notStrong.has(t.id)) {
        const path = view.pathTo(notStrong, t.id);
        yield {
          ...base,
          messageId: 'noStrongAuthnUnstated',
          subjects: path.flatMap((f) => [f.id, f.from.id]),
          likelihood: 'very-likely',
          confidence: 'assumed',
          data: say(path),
          evidence: evidence(path, authnFact),
          unknowns: path
            .filter((f) => f.authnStrength === 'unknown')
            .map((f) => ({ subject: f.id, attribute: 'authn' })),
        };
      }
      if (flat.has(t.id) && t.in !== undefined) {
        const path = view.pathTo(flat, t.id);
        yield {
          ...base,
          messageId: 'noSegmentation',
          subjects: path.flatMap((f) => [f.id, f.from.id]),
          likelihood: 'likely',
          confidence: 'confirmed',
          data: say(path),
          evidence: evidence(path, segFact),
        };
      }
    }
  },
});
