import type { DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataImpact, dataText, flowExposureLikelihood, isAtStake, maxImpact } from '../../factors.js';

const CREDENTIAL_BEARING = new Set([
  'basic',
  'password',
  'api-key',
  'session',
  'jwt',
  'oauth2',
  'oidc',
  'saml',
  'hmac',
]);

export default defineRule({
  meta: {
    id: 'unencrypted-flow',
    title: 'Data in transit without encryption',
    summary:
      'A flow sends data or credentials over a channel that is not encrypted, so anyone on the path can read or alter it.',
    stride: ['information-disclosure', 'tampering'],
    cwe: ['CWE-319'],
    capec: ['CAPEC-157', 'CAPEC-94'],
    attack: ['T1040', 'T1557'],
    compliance: {
      'nist-800-53': ['SC-8', 'SC-8(1)'],
      'iso-27001-2022': ['A.8.24', 'A.5.14'],
      soc2: ['CC6.7'],
      'pci-dss-4': ['4.2.1'],
      'owasp-asvs-5': ['V12.1.1', 'V12.3.1'],
      hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'],
    },
    assumes: ['encrypted'],
    detection:
      'Every flow whose encryption is false (stated, or implied by a plaintext protocol such as http, redis or ftp) is reported as confirmed. A flow whose encryption is unknown (no `encrypted` and a protocol that implies nothing, such as postgres or grpc) is reported as assumed, with a question, when it carries sensitive data, carries credentials, or leaves its network. On replication and backup flows, unencrypted-replication supersedes this finding.',
    severityRationale:
      'Impact follows the most sensitive data the flow carries (credentials in the authentication header count as credentials). Likelihood is very likely when the traffic crosses the internet, likely when it crosses an account, a region or a third party, and possible inside one network.',
    falsePositives:
      'The channel may be encrypted below the application (an IPsec or WireGuard tunnel, a service mesh with mTLS). Then say so in the model with `encrypted: true`, or `protocol: ipsec`, and the finding goes away.',
    references: [
      {
        title: 'OWASP Transport Layer Security Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
      },
      {
        title: 'CWE-319: Cleartext Transmission of Sensitive Information',
        url: 'https://cwe.mitre.org/data/definitions/319.html',
      },
    ],
    messages: {
      plaintext: 'The flow {flow} sends {data} without encryption ({why}).',
      unknown: 'The flow {flow} sends {data}, and the model does not say whether it is encrypted.',
    },
    mitigation:
      'Encrypt the flow {flow}: use TLS 1.2+ with certificate verification between {from} and {to} (or mTLS inside the platform), then record it in the model as an encrypted protocol or encrypted: true.',
  },
  *detect(view) {
    // Three flows in four are encrypted: they are skipped on one field, before anything is looked up.
    // The per-flow work is in `draftOf`, a plain function that V8 optimises better than this generator.
    const texts: AssetTexts = new Map();
    // An indexed loop: a for-of loop allocates a result per flow (40,000) until the code is optimised.
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      if (f.encrypted === true) continue;
      const draft = draftOf(f, texts);
      if (draft !== undefined) yield draft;
    }
  },
});

/** "card-data (pci)" per data asset, made once per detect (the same assets ride on many flows). */
type AssetTexts = Map<DataAsset, string>;

function assetText(d: DataAsset, texts: AssetTexts): string {
  let t = texts.get(d);
  if (t === undefined) {
    t = dataText(d);
    texts.set(d, t);
  }
  return t;
}

/** `dataList` of the assets (never empty here), from the cached texts. */
function listOf(data: readonly DataAsset[], texts: AssetTexts): string {
  let out = assetText(data[0] as DataAsset, texts);
  for (let i = 1; i < data.length; i++) out += `, ${assetText(data[i] as DataAsset, texts)}`;
  return out;
}

/** The finding on a flow not stated or implied encrypted, or undefined when nothing is at stake. */
function draftOf(f: FlowFacts, texts: AssetTexts): Draft | undefined {
  const carriesCredentials = CREDENTIAL_BEARING.has(f.authn);
  const flowData = f.data;
  const n = flowData.length;
  let stake = 0;
  for (let i = 0; i < n; i++) if (isAtStake(flowData[i] as DataAsset)) stake++;
  const plaintext = f.encrypted === false;
  // Most flows of unknown encryption carry nothing at stake: skip them before building any text.
  if (!plaintext && stake === 0 && !carriesCredentials) {
    if (!(f.flow.via === 'internet' || f.fromInternet || f.crosses.length > 0)) return undefined;
  }
  const impact = maxImpact(dataImpact(flowData), carriesCredentials ? 'high' : 'low');
  // The carried data's text serves both the message and the evidence; the sensitive part's text is
  // made separately only when some, but not all, of the data is sensitive.
  const carried = n > 0 ? listOf(flowData, texts) : '';
  let what: string;
  if (stake > 0 && stake < n) {
    const sensitiveData: DataAsset[] = [];
    for (let i = 0; i < n; i++)
      if (isAtStake(flowData[i] as DataAsset)) sensitiveData.push(flowData[i] as DataAsset);
    what = listOf(sensitiveData, texts);
  } else {
    what = carried;
  }
  if (carriesCredentials)
    what = what === '' ? `${f.authn} credentials` : `${what} and ${f.authn} credentials`;
  if (what === '') what = 'its traffic';
  const subjects = [f.from.id, f.to.id];
  for (let i = 0; i < n; i++) subjects.push((flowData[i] as DataAsset).id);
  const from = nameOf(f.from);
  const to = nameOf(f.to);
  if (plaintext) {
    const why =
      f.flow.encrypted === false
        ? 'stated encrypted: false'
        : `protocol ${f.flow.protocol ?? ''} is plaintext`;
    const evidence = [`flow ${f.id}: ${why}`];
    if (n > 0) evidence.push(`carries ${carried}`);
    if (carriesCredentials) evidence.push(`authenticates with ${f.authn}`);
    return {
      primary: [f.id],
      subjects,
      likelihood: flowExposureLikelihood(f),
      impact,
      messageId: 'plaintext',
      data: { flow: `${from} → ${to}`, data: what, why, from, to },
      confidence: 'confirmed',
      evidence,
    };
  }
  const evidence = [
    `flow ${f.id}: encrypted not stated, protocol ${f.flow.protocol ?? 'not stated'} does not imply it`,
  ];
  if (n > 0) evidence.push(`carries ${carried}`);
  return {
    primary: [f.id],
    subjects,
    likelihood: flowExposureLikelihood(f),
    impact,
    messageId: 'unknown',
    data: { flow: `${from} → ${to}`, data: what, from, to },
    confidence: 'assumed',
    evidence,
    unknowns: [{ subject: f.id, attribute: 'encrypted' }],
  };
}
