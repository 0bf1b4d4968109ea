import { appliesControl, isClient, isMoney } from '../../../model/queries.js';
import type { Boundary, Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { dataList, flowLabel } from '../../factors.js';
import { boundariesText, controlsFact } from '../../shared/evidence.js';
import { listText } from '../../shared/text.js';

/** Boundaries beyond which the other party is another organisation or account. */
const FAR_KINDS: ReadonlySet<string> = new Set(['third-party', 'cloud-account', 'internet']);
/** Flows that move copies of data, not business instructions. */
const NOT_TRANSACTIONS: ReadonlySet<string> = new Set(['replication', 'backup', 'telemetry', 'deploy']);
/** Authentication that signs every request (HMAC request signatures, cloud IAM request signing). */
const SIGNED_AUTHN: ReadonlySet<string> = new Set(['hmac', 'iam']);

const signs = (c: Component) => appliesControl(c, 'signing') === true;

function carriesMoney(f: FlowFacts): boolean {
  const data = f.data;
  for (let i = 0; i < data.length; i++) if (isMoney(data[i] as DataAsset)) return true;
  return false;
}

function crossesFar(f: FlowFacts): boolean {
  const crosses = f.crosses;
  for (let i = 0; i < crosses.length; i++) if (FAR_KINDS.has((crosses[i] as Boundary).kind)) return true;
  return false;
}

export default defineRule({
  meta: {
    id: 'repudiable-high-value-transaction',
    title: 'Money-moving requests between systems are not signed',
    summary:
      'A system sends payment or financial instructions to another organisation or account without signing them, so when a transaction is disputed neither side can prove who issued it or that it was not altered.',
    stride: ['repudiation', 'tampering'],
    cwe: ['CWE-345'],
    capec: ['CAPEC-385'],
    attack: [],
    compliance: {
      'nist-800-53': ['AU-10', 'SC-8'],
      'iso-27001-2022': ['A.8.24', 'A.5.14'],
      soc2: ['CC6.7'],
      'owasp-asvs-5': ['V4.1.5'],
    },
    assumes: ['controls'],
    detection:
      'A flow is reported when its caller is not a client (user, web or mobile app), it writes, invokes or publishes (or does not state its actions), its purpose is not replication, backup, telemetry or deploy, it carries financial or pci data, and it crosses a boundary of kind third-party, cloud-account or internet; unless either end has signing in its controls or enforces, or the flow authenticates with hmac or iam, which sign every request. Transport authentication (mTLS, OAuth2 tokens) proves the channel, not who issued a given instruction. Confirmed when both ends state their controls; assumed, with questions, otherwise. One finding per flow.',
    severityRationale:
      'Impact is high: a disputed payment, refund or transfer that cannot be attributed is a direct financial loss and a compliance failure. Likelihood is possible: it takes a dispute, an insider or a compromised integration for the missing signature to matter.',
    falsePositives:
      'The payload may be signed inside the protocol (ISO 20022 or EMV message authentication, JWS-signed bodies) without the model saying so. Add signing to the controls of the end that signs or verifies, or state the flow’s authn as hmac when each request carries a signature.',
    references: [
      {
        title: 'OWASP Application Security Verification Standard 5.0 (V4.1.5)',
        url: 'https://owasp.org/www-project-application-security-verification-standard/',
      },
      {
        title: 'NIST SP 800-53 AU-10 Non-repudiation',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      unsigned:
        '{from} sends {data} to {to} across {boundaries} without signing the requests, so a disputed transaction cannot be proven to come from {from}.',
      unstated:
        '{from} sends {data} to {to} across {boundaries}, and the model does not show that either end signs the requests.',
    },
    mitigation:
      'Have {from} sign every transaction it sends over {flow} (an asymmetric signature over the payload, a unique id and a timestamp), have {to} verify the signature and keep it with the transaction record, and add signing to the controls of both.',
  },
  *detect(view) {
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // Cheapest rejections first, before any list is made: most flows carry no money, and most that
      // do stay inside one organisation and account.
      if (!carriesMoney(f) || !crossesFar(f)) continue;
      if (isClient(f.from)) continue;
      if (f.flow.purpose !== undefined && NOT_TRANSACTIONS.has(f.flow.purpose)) continue;
      const actions = f.flow.actions;
      if (actions !== undefined && !actions.some((a) => a === 'write' || a === 'invoke' || a === 'publish'))
        continue;
      const money = f.data.filter(isMoney);
      const far = f.crosses.filter((b) => FAR_KINDS.has(b.kind));
      if (SIGNED_AUTHN.has(f.authn)) continue;
      if (signs(f.from) || signs(f.to)) continue;
      const unknowns: Unknown[] = [f.from, f.to]
        .filter((c) => c.controls === undefined)
        .map((c) => ({ subject: c.id, attribute: 'controls' }));
      const confirmed = unknowns.length === 0;
      yield {
        messageId: confirmed ? 'unsigned' : 'unstated',
        primary: [f.id],
        subjects: [f.from.id, f.to.id, ...money.map((d) => d.id), ...far.map((b) => b.id)],
        likelihood: 'possible',
        impact: 'high',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          from: nameOf(f.from),
          to: nameOf(f.to),
          flow: flowLabel(f),
          data: dataList(money),
          boundaries: far.map((b) => `${nameOf(b)} (${b.kind})`).join(', '),
        },
        evidence: [
          `flow ${f.id}: actions ${listText(actions)}, authn ${f.authn}, carries ${dataList(money)}`,
          `crosses ${boundariesText(far)}`,
          ...[f.from, f.to].map((c) => controlsFact(c, 'signing')),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
