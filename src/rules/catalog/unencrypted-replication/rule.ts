import { isCopyFlow } from '../../../model/queries.js';
import type { DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Likelihood } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel, maxImpact } from '../../factors.js';

/** The data at both ends and on the flow, distinct by id in first-seen order (as `uniqueById`). */
function copiedData(view: View, f: FlowFacts): DataAsset[] {
  const unique: DataAsset[] = [];
  const seen = new Set<string>();
  const add = (list: readonly DataAsset[]) => {
    for (const d of list) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      unique.push(d);
    }
  };
  add(view.stored(f.from.id));
  add(view.stored(f.to.id));
  add(f.data);
  return unique;
}

/** The finding for a replication or backup flow that is not stated encrypted. */
function finding(view: View, f: FlowFacts): Draft {
  const purpose = f.flow.purpose;
  const unique = copiedData(view, f);
  const far: string[] = [];
  const evidence = [`flow ${f.id}: purpose ${purpose}`];
  if (f.crossRegion === true) {
    far.push('across regions');
    evidence.push('ends in different regions');
  }
  if (f.crossAccount === true) {
    far.push('across accounts');
    evidence.push('ends in different cloud accounts');
  }
  if (f.flow.via === 'internet') {
    far.push('over the internet');
    evidence.push('via: internet');
  }
  const likelihood: Likelihood = far.length > 0 ? 'very-likely' : 'likely';
  const subjects = [f.from.id, f.to.id];
  for (const d of unique) subjects.push(d.id);
  const common = {
    primary: [f.id],
    subjects,
    likelihood,
    impact: maxImpact('high', dataImpact(unique)),
    data: {
      purpose: purpose === 'replication' ? 'Replication' : 'Backup',
      purposeLower: purpose,
      from: nameOf(f.from),
      to: nameOf(f.to),
      flow: flowLabel(f),
      where: far.length > 0 ? ` ${far.join(' and ')}` : '',
      data: unique.length > 0 ? dataList(unique) : 'its data',
    },
  };
  if (f.encrypted === false) {
    evidence.push(
      f.flow.encrypted === false ? 'encrypted: false' : `protocol ${f.flow.protocol} is plaintext`,
    );
    return { ...common, messageId: 'plaintext', confidence: 'confirmed', evidence };
  }
  evidence.push(`encryption not stated (protocol ${f.flow.protocol ?? 'not stated'})`);
  return {
    ...common,
    messageId: 'unknown',
    confidence: 'assumed',
    evidence,
    unknowns: [{ subject: f.id, attribute: 'encrypted' }],
  };
}

export default defineRule({
  meta: {
    id: 'unencrypted-replication',
    title: 'Replication or backup traffic without encryption',
    summary:
      'Database replication or backup traffic travels unencrypted, often across regions or accounts, exposing a full copy of the data to anyone on the path.',
    stride: ['information-disclosure', 'tampering'],
    cwe: ['CWE-319', 'CWE-311'],
    capec: ['CAPEC-157', 'CAPEC-117'],
    attack: ['T1040', 'T1557'],
    compliance: {
      'nist-800-53': ['SC-8', 'SC-8(1)', 'CP-9'],
      'iso-27001-2022': ['A.8.24', 'A.8.13', 'A.5.14'],
      soc2: ['CC6.7', 'A1.2'],
      'pci-dss-4': ['4.2.1'],
      'owasp-asvs-5': ['V12.3.1'],
      hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)', '164.308(a)(7)(ii)(A)'],
    },
    assumes: ['encrypted'],
    supersedes: ['unencrypted-flow'],
    detection:
      'A flow with purpose replication or backup whose encryption is false (stated, or implied by a plaintext protocol) is reported as confirmed; when its encryption is unknown, as assumed with a question. It replaces unencrypted-flow on the same flow, because a replica carries the whole dataset, not one request.',
    severityRationale:
      'Impact is the data stored at either end (the copy is complete), at least high. Likelihood is likely, very likely when the flow is cross-region, cross-account or crosses the internet (via: internet), where the traffic leaves the provider network the team controls.',
    falsePositives:
      'Replication may run inside an encrypted tunnel (VPC peering with encryption, IPsec, a provider backbone that encrypts between regions). State it with `encrypted: true` or the tunnel protocol, and the finding goes away.',
    references: [
      {
        title: 'PostgreSQL: Secure TCP/IP connections with SSL',
        url: 'https://www.postgresql.org/docs/current/ssl-tcp.html',
      },
      {
        title: 'NIST SP 800-53 CP-9 System Backup',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      plaintext:
        '{purpose} from {from} to {to} runs without encryption{where}, exposing a full copy of {data}.',
      unknown:
        '{purpose} from {from} to {to}{where} does not state whether it is encrypted; it carries a full copy of {data}.',
    },
    mitigation:
      'Encrypt the {purposeLower} flow {flow}: enable TLS with certificate verification on the replication or backup channel (or run it through an encrypted tunnel) between {from} and {to}, and encrypt backups before they leave {from}.',
  },
  *detect(view) {
    for (const f of view.flows) {
      // The flow's facts first (one shape for all flows), then its written purpose.
      if (f.encrypted === true || !isCopyFlow(f)) continue;
      yield finding(view, f);
    }
  },
});
