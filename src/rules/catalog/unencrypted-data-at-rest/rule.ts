import { isClient, isThirdParty } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { nameOf } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, dataList, sensitive } from '../../factors.js';
import { atRestDraft } from '../../shared/at-rest.js';

export default defineRule({
  meta: {
    id: 'unencrypted-data-at-rest',
    title: 'Sensitive data is stored unencrypted',
    summary:
      'A component stores confidential or more sensitive data without encryption at rest, so anyone who gets its disks, snapshots, replicas or backups can read the data without going through any access control.',
    stride: ['information-disclosure'],
    cwe: ['CWE-311', 'CWE-312'],
    capec: [],
    attack: ['T1530', 'T1005'],
    compliance: {
      'nist-800-53': ['SC-28', 'SC-28(1)'],
      'iso-27001-2022': ['A.8.24'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['3.5.1'],
      'owasp-asvs-5': ['V14.2.4'],
      hipaa: ['164.312(a)(2)(iv)'],
    },
    assumes: ['encrypted-at-rest'],
    detection:
      'A component whose stores list names data classified confidential or higher is reported when encrypted-at-rest is false (confirmed), or when it is absent or unknown (assumed, with a question). Caches are judged by sensitive-data-in-unencrypted-cache, and users, web clients and mobile apps by sensitive-data-on-client-device, so they are skipped here.',
    severityRationale:
      'Impact is the classification of the sensitive data held (very high for pci, phi, credentials and secrets; high for pii and financial data; medium for confidential). Likelihood is possible, because the data leaks through copies (snapshots, decommissioned disks, backups, replicas) rather than through the front door; likely when the component is itself exposed to the internet. A third party’s storage is not judged here: the agreement that sensitive-data-to-third-party asks about covers it.',
    falsePositives:
      'Storage may be encrypted by the platform without the model saying so (most managed databases and object stores encrypt by default today). State encrypted-at-rest: true on the component. If the data is not really sensitive, lower its classification.',
    references: [
      {
        title: 'OWASP Cryptographic Storage Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html',
      },
      {
        title: 'NIST SP 800-111: Guide to Storage Encryption Technologies for End User Devices',
        url: 'https://csrc.nist.gov/pubs/sp/800/111/final',
      },
      {
        title: 'CWE-311: Missing Encryption of Sensitive Data',
        url: 'https://cwe.mitre.org/data/definitions/311.html',
      },
    ],
    messages: {
      unencrypted: '{component} stores {data} without encryption at rest.',
      unstated: '{component} stores {data}, and the model does not say whether it is encrypted at rest.',
    },
    mitigation:
      'Enable encryption at rest for {component} with a customer-managed key (for example KMS, Key Vault or Cloud KMS), make sure it covers its snapshots, replicas and backups, and restrict who may use or administer that key; then state encrypted-at-rest: true.',
  },
  *detect(view) {
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      // Cheapest rejections first: most components store nothing (no list is filtered for them).
      if (c['encrypted-at-rest'] === true || c.stores === undefined || c.stores.length === 0) continue;
      // Caches have their own rule; a third party's storage is its own, covered by the agreement
      // that sensitive-data-to-third-party asks about.
      if (c.kind === 'cache' || isClient(c)) continue;
      const held = sensitive(view.stored(c.id));
      if (held.length === 0 || isThirdParty(view, c)) continue;
      const exposed = view.isExposed(c.id);
      const common = {
        primary: [c.id],
        subjects: held.map((d) => d.id),
        likelihood: exposed ? ('likely' as const) : ('possible' as const),
        impact: dataImpact(held),
        data: { component: nameOf(c), data: dataList(held) },
      };
      const context = [
        `${c.id} stores ${dataList(held)}`,
        ...(exposed ? [`${c.id} is exposed to the internet`] : []),
      ];
      yield atRestDraft(c, common, context);
    }
  },
});
