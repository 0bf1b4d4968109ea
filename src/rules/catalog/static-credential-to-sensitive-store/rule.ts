import { isClient, isSensitive, isThirdParty } from '../../../model/queries.js';
import type { DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Likelihood, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel } from '../../factors.js';
import { exposedSecretLocations } from '../../shared/credentials.js';
import { uniqueById } from '../../shared/unique.js';

/** How each static secret is named in the message. */
const SECRET_PHRASE: Readonly<Record<string, string>> = {
  password: 'a password',
  basic: 'HTTP basic credentials',
  'api-key': 'an API key',
};

export default defineRule({
  meta: {
    id: 'static-credential-to-sensitive-store',
    title: 'Backend reaches sensitive data with a static shared secret',
    summary:
      'A service reaches a component that holds sensitive data with a password, HTTP basic credentials or an API key that never changes, so anyone who reads that secret from configuration, code or an image can impersonate the service for as long as the system lives.',
    stride: ['spoofing', 'information-disclosure'],
    cwe: ['CWE-1390', 'CWE-522'],
    capec: ['CAPEC-560', 'CAPEC-37'],
    attack: ['T1078', 'T1552'],
    compliance: {
      'nist-800-53': ['IA-3', 'IA-5', 'IA-5(1)'],
      'iso-27001-2022': ['A.5.17', 'A.8.5'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['8.6.3', '8.3.2'],
      'owasp-asvs-5': ['V13.2.1', 'V13.3.4'],
      hipaa: ['164.312(d)'],
    },
    assumes: ['credentials', 'runs-as'],
    detection:
      'A flow from one of our own components (not a client, not a third party, not an internet source) with authentication password, basic or api-key, into a component that is not stated public and that stores sensitive data or receives sensitive data on the flow. Confirmed when the caller runs as an identity whose credentials are long-lived; assumed, with a question, when the caller states no runs-as or its identity does not state its credentials (the secret may be issued per lease by a vault). A caller whose identity has short-lived credentials is not reported. Flows from the internet or into a public component are weak-authentication-on-exposed-entry’s.',
    severityRationale:
      'Impact is the data the receiver stores and the flow carries. Likelihood is possible (an attacker first has to read the secret), likely when the caller keeps its secrets in environment variables, configuration files, source code, container images or CI variables, where many people and systems can read them.',
    falsePositives:
      'The secret may be dynamic (database credentials leased per connection by a vault) even though the flow says password. State credentials: short-lived on the identity the caller runs as, or state the real method on the flow (iam, mtls, kerberos).',
    references: [
      {
        title: 'OWASP Secrets Management Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
      },
      {
        title: 'CWE-522: Insufficiently Protected Credentials',
        url: 'https://cwe.mitre.org/data/definitions/522.html',
      },
    ],
    messages: {
      longLived:
        '{from} reaches {target} with {secret} that never expires ({flow}): it runs as {identity}, whose credentials are long-lived{where}.',
      mayBeStatic:
        '{from} reaches {target} with {secret} ({flow}), and the model does not show whether that secret ever expires{where}.',
    },
    mitigation:
      'Replace {theSecret} on {flow} with a credential that expires: IAM or workload-identity authentication, mTLS with short-lived certificates, or credentials leased per connection from a secret store. Until then give {from} its own account on {to} with only the access it uses, keep the secret in a secret store{instead}, and rotate it.',
  },
  *detect(view) {
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // Cheapest rejections first, before anything is built: most flows use no static secret.
      if (f.authnStrength !== 'weak' || f.to.exposure === 'public') continue;
      const draft = judge(view, f);
      if (draft) yield draft;
    }
  },
});

function hasSensitive(data: readonly DataAsset[]): boolean {
  for (let i = 0; i < data.length; i++) if (isSensitive(data[i] as DataAsset)) return true;
  return false;
}

function judge(view: View, f: FlowFacts): Draft | undefined {
  const from = f.from;
  if (view.isInternetSource(from.id) || isClient(from)) return undefined;
  const held = view.stored(f.to.id);
  if (!hasSensitive(held) && !hasSensitive(f.data)) return undefined;
  const identity = view.identityOf(from.id);
  if (identity?.credentials === 'short-lived' || isThirdParty(view, from)) return undefined;
  const sensitive = uniqueById([...held, ...f.data].filter(isSensitive));
  const unknowns: Unknown[] = [];
  if (from['runs-as'] === undefined) unknowns.push({ subject: from.id, attribute: 'runs-as' });
  else if (identity && identity.credentials === undefined)
    unknowns.push({ subject: identity.id, attribute: 'credentials' });
  const exposedAt = exposedSecretLocations(from);
  const likelihood: Likelihood = exposedAt.length > 0 ? 'likely' : 'possible';
  const confirmed = unknowns.length === 0;
  return {
    messageId: confirmed ? 'longLived' : 'mayBeStatic',
    primary: [f.id],
    subjects: [from.id, f.to.id, ...(identity ? [identity.id] : []), ...sensitive.map((d) => d.id)],
    likelihood,
    impact: dataImpact(f.data, dataImpact(held)),
    confidence: confirmed ? ('confirmed' as const) : ('assumed' as const),
    data: {
      from: nameOf(from),
      to: nameOf(f.to),
      target: held.some(isSensitive)
        ? `${nameOf(f.to)}, which holds ${dataList(held.filter(isSensitive))},`
        : `${nameOf(f.to)}, exchanging ${dataList(sensitive)},`,
      secret: SECRET_PHRASE[f.authn] ?? f.authn,
      theSecret: `the ${(SECRET_PHRASE[f.authn] ?? f.authn).replace(/^an? /, '')}`,
      flow: flowLabel(f),
      identity: identity ? nameOf(identity) : 'no identity',
      where: exposedAt.length > 0 ? `; its secrets live in ${exposedAt.join(', ')}` : '',
      instead: exposedAt.length > 0 ? ` instead of ${exposedAt.join(', ')}` : '',
    },
    evidence: [
      `flow ${f.id}: authn ${f.authn}`,
      `${f.to.id} holds or receives ${dataList(sensitive)}`,
      from['runs-as'] === undefined
        ? `${from.id} states no runs-as`
        : `${from.id} runs as ${from['runs-as']}: credentials ${identity?.credentials ?? 'not stated'}`,
      ...(exposedAt.length > 0 ? [`${from.id} secrets-in: [${(from['secrets-in'] ?? []).join(', ')}]`] : []),
    ],
    ...(confirmed ? {} : { unknowns }),
  };
}
