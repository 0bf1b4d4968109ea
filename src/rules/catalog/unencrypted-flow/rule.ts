import { defineRule } from '../../define-rule.js';
import {
  dataImpact,
  dataList,
  flowExposureLikelihood,
  flowLabel,
  maxImpact,
  sensitive,
} from '../../factors.js';

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
    for (const f of view.flows) {
      if (f.encrypted === true) continue;
      const carriesCredentials = CREDENTIAL_BEARING.has(f.authn);
      const dataAtStake = sensitive(f.data);
      const leavesNetwork = f.flow.via === 'internet' || f.fromInternet || f.crosses.length > 0;
      // Most flows of unknown encryption carry nothing at stake: skip them before building any text.
      if (f.encrypted !== false && !(dataAtStake.length > 0 || carriesCredentials || leavesNetwork)) continue;
      const impact = maxImpact(dataImpact(f.data), carriesCredentials ? 'high' : 'low');
      const data = [
        ...(dataAtStake.length > 0 ? [dataList(dataAtStake)] : f.data.length > 0 ? [dataList(f.data)] : []),
        ...(carriesCredentials ? [`${f.authn} credentials`] : []),
      ];
      const what = data.length > 0 ? data.join(' and ') : 'its traffic';
      const common = {
        primary: [f.id],
        subjects: [f.from.id, f.to.id, ...f.data.map((d) => d.id)],
        likelihood: flowExposureLikelihood(f),
        impact,
      };
      if (f.encrypted === false) {
        const why =
          f.flow.encrypted === false
            ? 'stated encrypted: false'
            : `protocol ${f.flow.protocol ?? ''} is plaintext`;
        yield {
          ...common,
          messageId: 'plaintext',
          data: {
            flow: flowLabel(view, f),
            data: what,
            why,
            from: view.label(f.from.id),
            to: view.label(f.to.id),
          },
          confidence: 'confirmed',
          evidence: [
            `flow ${f.id}: ${why}`,
            ...(f.data.length > 0 ? [`carries ${dataList(f.data)}`] : []),
            ...(carriesCredentials ? [`authenticates with ${f.authn}`] : []),
          ],
        };
      } else if (dataAtStake.length > 0 || carriesCredentials || leavesNetwork) {
        yield {
          ...common,
          messageId: 'unknown',
          data: {
            flow: flowLabel(view, f),
            data: what,
            from: view.label(f.from.id),
            to: view.label(f.to.id),
          },
          confidence: 'assumed',
          evidence: [
            `flow ${f.id}: encrypted not stated, protocol ${f.flow.protocol ?? 'not stated'} does not imply it`,
            ...(f.data.length > 0 ? [`carries ${dataList(f.data)}`] : []),
          ],
          unknowns: [{ subject: f.id, attribute: 'encrypted' }],
        };
      }
    }
  },
});
