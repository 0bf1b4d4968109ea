import {
  appliesControl,
  dataReaches,
  isCrownJewel,
  isMoney,
  isPassThrough,
  isThirdParty,
} from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { defineRule, type Likelihood, type Unknown } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { listText } from '../../shared/text.js';
import { uniqueById } from '../../shared/unique.js';

/** Authentication that proves nothing about the sender beyond knowing a static secret, or nothing at all. */
const UNVERIFIED = new Set(['none', 'api-key', 'basic', 'password']);

/** Calls that change something at the receiver (absent actions may). */
const changes = (f: FlowFacts) =>
  f.flow.actions === undefined ||
  f.flow.actions.some((a) => a === 'write' || a === 'invoke' || a === 'publish');

/**
 * Where a signature on the call could be checked: the receiver, and when it is a pass-through
 * component (CDN, gateway, load balancer, WAF), everything behind it up to the first real component.
 */
function verifiersOf(view: View, to: Component): Component[] {
  const found = new Map<string, Component>([[to.id, to]]);
  const stack = isPassThrough(to) ? [to] : [];
  while (stack.length > 0) {
    const c = stack.pop() as Component;
    for (const f of view.flowsFrom(c.id)) {
      // The call travels on with the request: not to telemetry, not on read-only lookups, not to third parties.
      if (found.has(f.to.id) || f.flow.purpose === 'telemetry' || !dataReaches(f.flow, 'to')) continue;
      if (isThirdParty(view, f.to)) continue;
      found.set(f.to.id, f.to);
      if (isPassThrough(f.to)) stack.push(f.to);
    }
  }
  return [...found.values()];
}

/**
 * The flows from a third party (not an internet source) to one of the team's components (not a third
 * party, not an internet source) that may change something there, with no authentication, a static secret,
 * or none stated; in model order. A plain function (the generator's body stays small), with an indexed
 * loop whose first test, on the `from` end, rejects nearly every flow of the model.
 */
function unverifiedCalls(view: View): FlowFacts[] {
  const found: FlowFacts[] = [];
  const flows = view.flows;
  for (let i = 0; i < flows.length; i++) {
    const f = flows[i] as FlowFacts;
    if (!isThirdParty(view, f.from) || view.isInternetSource(f.from.id)) continue;
    if (isThirdParty(view, f.to) || view.isInternetSource(f.to.id)) continue;
    if (!changes(f)) continue;
    if (f.authn !== 'unknown' && !UNVERIFIED.has(f.authn)) continue;
    found.push(f);
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'unverified-third-party-callback',
    title: 'Calls from a third party are accepted without proof of origin',
    summary:
      'A webhook or partner callback is accepted with no authentication or only a static secret, and nothing verifies a signature, so anyone who learns the endpoint or the secret can forge or replay calls that change your data.',
    stride: ['tampering', 'spoofing'],
    cwe: ['CWE-345', 'CWE-306'],
    capec: ['CAPEC-194', 'CAPEC-151'],
    attack: ['T1199', 'T1565.002'],
    compliance: {
      'nist-800-53': ['CA-3', 'IA-3', 'SI-10'],
      'iso-27001-2022': ['A.5.14', 'A.5.19', 'A.8.5'],
      soc2: ['CC9.2', 'CC6.1'],
      'owasp-asvs-5': ['V4.1.5'],
      hipaa: ['164.312(d)', '164.312(c)(2)'],
    },
    assumes: ['authn', 'controls'],
    detection:
      'A flow from a third party (an external service, or any component inside a third-party boundary) that is not an internet source, into a component of ours, with write, invoke or publish actions (or none stated), is reported when its authentication is none or a static secret (api-key, basic, password) and no component that receives it verifies signing: the receiver, or, when the receiver is a CDN, gateway, load balancer or WAF, the components behind it up to the application. Confirmed when authn is stated and every such component states controls or enforces; assumed, with questions, when authn is not stated or a receiving component states neither list. Calls from internet sources are left to the authentication rules.',
    severityRationale:
      'Impact is high when the receiver holds crown-jewel data or the call carries financial or card data (forged payments, refunds, claims), medium otherwise. Likelihood is likely with no authentication (anyone who finds the endpoint can call it), possible with a static secret (it must leak first, but it travels with every call and is rarely rotated).',
    falsePositives:
      'The receiver may verify the provider’s signature header (Stripe-Signature, X-Hub-Signature-256, X-Twilio-Signature) even though the model does not show it. Record it as authn: hmac on the flow, or as signing in the controls of the component that checks it.',
    references: [
      {
        title: 'OWASP Web Service Security Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Web_Service_Security_Cheat_Sheet.html',
      },
      {
        title: 'Stripe Docs: Verify webhook signatures',
        url: 'https://docs.stripe.com/webhooks#verify-events',
      },
      {
        title: 'CWE-345: Insufficient Verification of Data Authenticity',
        url: 'https://cwe.mitre.org/data/definitions/345.html',
      },
    ],
    messages: {
      unauthenticated:
        '{target} accepts calls from the third party {source} ({flow}) without any authentication, so anyone who finds the endpoint can forge them.',
      staticSecret:
        '{target} accepts calls from the third party {source} ({flow}) with only {authn}, a static secret that anyone who learns it can use to forge or replay them.',
      authnUnstated:
        '{target} accepts calls from the third party {source} ({flow}), and the model does not state how it verifies that they really come from {source}.',
    },
    mitigation:
      'Verify the origin of every call from {source} at {verifier}: check a signature over the payload (HMAC with a per-partner secret, or the provider’s signed webhook scheme) together with a timestamp to stop replays, or use mutual TLS; reject unsigned calls, and record it as authn: hmac on the flow {flow} or as signing in the controls of the component that checks it.',
  },
  *detect(view) {
    const calls = unverifiedCalls(view);
    for (let i = 0; i < calls.length; i++) {
      const f = calls[i] as FlowFacts;
      const authnKnown = f.authn !== 'unknown';
      const verifiers = verifiersOf(view, f.to);
      const states = verifiers.map((c) => appliesControl(c, 'signing'));
      if (states.includes(true)) continue;

      const unknowns: Unknown[] = [];
      if (!authnKnown) unknowns.push({ subject: f.id, attribute: 'authn' });
      verifiers.forEach((c, i) => {
        if (states[i] === 'unknown') unknowns.push({ subject: c.id, attribute: 'controls' });
      });
      const confirmed = unknowns.length === 0;

      const crown = [...view.stored(f.to.id), ...f.data].filter(isCrownJewel);
      const money = f.data.some(isMoney);
      const likelihood: Likelihood = f.authn === 'none' ? 'likely' : 'possible';
      const messageId = !authnKnown
        ? 'authnUnstated'
        : f.authn === 'none'
          ? 'unauthenticated'
          : 'staticSecret';

      yield {
        messageId,
        primary: [f.id],
        subjects: [f.from.id, ...verifiers.map((c) => c.id), ...f.data.map((d) => d.id)],
        likelihood,
        impact: crown.length > 0 || money ? 'high' : 'medium',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          target: nameOf(f.to),
          source: nameOf(f.from),
          flow: f.id,
          authn:
            f.authn === 'basic'
              ? 'basic authentication'
              : f.authn === 'api-key'
                ? 'an API key'
                : 'a password',
          verifier: isPassThrough(f.to) ? `the service behind ${nameOf(f.to)}` : nameOf(f.to),
        },
        evidence: [
          `flow ${f.id}: from third party ${f.from.id}, authn ${authnKnown ? f.authn : 'not stated'}, actions ${listText(f.flow.actions)}`,
          ...(states.includes(false)
            ? [
                `no signing in controls or enforces of ${verifiers
                  .filter((_, i) => states[i] === false)
                  .map((c) => c.id)
                  .join(', ')}`,
              ]
            : []),
          ...(states.includes('unknown')
            ? [
                `controls and enforces not stated for ${verifiers
                  .filter((_, i) => states[i] === 'unknown')
                  .map((c) => c.id)
                  .join(', ')}`,
              ]
            : []),
          ...(crown.length > 0 ? [`at stake: ${dataList(uniqueById(crown))}`] : []),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
