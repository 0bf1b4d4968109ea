import type { Component } from '../../../model/schema.js';
import { nameOf } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, dataList, sensitive } from '../../factors.js';
import { atRestDraft } from '../../shared/at-rest.js';

export default defineRule({
  meta: {
    id: 'sensitive-data-in-unencrypted-cache',
    title: 'Cache holds sensitive data unencrypted',
    summary:
      'A cache keeps copies of sensitive data without encryption at rest, outside the controls of the primary store, where snapshots, dumps and persistence files expose it.',
    stride: ['information-disclosure'],
    cwe: ['CWE-312', 'CWE-524'],
    capec: ['CAPEC-204'],
    attack: [],
    compliance: {
      'nist-800-53': ['SC-28', 'SC-28(1)', 'SC-4'],
      'iso-27001-2022': ['A.8.24'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['3.5.1'],
      'owasp-asvs-5': ['V14.2.2'],
      hipaa: ['164.312(a)(2)(iv)'],
    },
    assumes: ['encrypted-at-rest'],
    detection:
      'A component of kind cache whose stores list names data classified confidential or higher is reported when encrypted-at-rest is false (confirmed), or absent or unknown (assumed, with a question).',
    severityRationale:
      'Impact is the classification of the sensitive data cached (very high for pci, phi, credentials and secrets such as session tokens; high for pii and financial data; medium for confidential). Likelihood is possible: caches are often run without persistence protection and their snapshots, RDB/AOF files and memory dumps are copied around; likely when a flow into the cache has no authentication, so anyone who reaches it can also dump it.',
    falsePositives:
      'The cache may encrypt at rest (managed Redis or Memcached with at-rest encryption enabled) or keep no persistence at all. State encrypted-at-rest: true. If it only caches public or internal data, list that data with its real classification.',
    references: [
      {
        title: 'OWASP Cryptographic Storage Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html',
      },
      {
        title: 'CWE-524: Use of Cache Containing Sensitive Information',
        url: 'https://cwe.mitre.org/data/definitions/524.html',
      },
    ],
    messages: {
      unencrypted: 'The cache {cache} holds {data} without encryption at rest{openAccess}.',
      unstated:
        'The cache {cache} holds {data}, and the model does not say whether it is encrypted at rest{openAccess}.',
    },
    mitigation:
      'Enable encryption at rest for {cache} (including its snapshots and persistence files), require authentication and TLS on every connection to it, and keep only short-lived, minimal copies of {data} there with a TTL; then state encrypted-at-rest: true.',
  },
  *detect(view) {
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      if (c.kind !== 'cache') continue;
      if (c['encrypted-at-rest'] === true) continue;
      const held = sensitive(view.stored(c.id));
      if (held.length === 0) continue;
      const open = view.flowsTo(c.id).filter((f) => f.authn === 'none');
      const common = {
        primary: [c.id],
        subjects: [...held.map((d) => d.id), ...open.flatMap((f) => [f.id, f.from.id])],
        likelihood: open.length > 0 ? ('likely' as const) : ('possible' as const),
        impact: dataImpact(held),
        data: {
          cache: nameOf(c),
          data: dataList(held),
          openAccess:
            open.length > 0
              ? `, and ${open.map((f) => nameOf(f.from)).join(', ')} connect${open.length === 1 ? 's' : ''} to it without authentication`
              : '',
        },
      };
      const context = [`${c.id} stores ${dataList(held)}`, ...open.map((f) => `flow ${f.id}: authn none`)];
      yield atRestDraft(c, common, context);
    }
  },
});
