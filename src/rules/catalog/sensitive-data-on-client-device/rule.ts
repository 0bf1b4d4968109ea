import { nameOf } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, dataList, lowerImpact, sensitive } from '../../factors.js';
import { atRestFact } from '../../shared/at-rest.js';

export default defineRule({
  meta: {
    id: 'sensitive-data-on-client-device',
    title: 'Sensitive data is stored on the user’s device or in the browser',
    summary:
      'A web client keeps sensitive data in browser storage, where any script running on the origin can read it, or a mobile app keeps it on the device without encryption, where backups, malware and anyone holding the device can read it.',
    stride: ['information-disclosure'],
    cwe: ['CWE-922', 'CWE-312'],
    capec: ['CAPEC-37'],
    attack: ['T1005'],
    compliance: {
      'nist-800-53': ['SC-28', 'AC-19(5)'],
      'iso-27001-2022': ['A.8.1'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['3.5.1'],
      'owasp-asvs-5': ['V14.3.1', 'V14.3.3'],
      hipaa: ['164.312(a)(2)(iv)'],
    },
    assumes: ['encrypted-at-rest'],
    detection:
      'A web-client whose stores list names data classified confidential or higher is reported (confirmed) whatever its encryption, since browser storage (localStorage, sessionStorage, IndexedDB) is readable by any script on the origin. A mobile-app that stores such data is reported when encrypted-at-rest is false (confirmed), or absent or unknown (assumed, with a question); encrypted-at-rest: true (platform keystore or encrypted storage) clears it.',
    severityRationale:
      'Impact is the classification of the data held, lowered one step because one device holds one user’s data (a token or card there is still high). Likelihood is possible: it needs a cross-site scripting flaw, a malicious extension or SDK, a device backup, or a lost or compromised phone.',
    falsePositives:
      'The client may keep only an opaque handle (an HttpOnly cookie, a keystore reference) rather than the data itself. Remove the data from the client’s stores, or model what it keeps as its own data item with a lower classification; for a mobile app that uses the Keychain or Keystore, state encrypted-at-rest: true.',
    references: [
      {
        title: 'OWASP HTML5 Security Cheat Sheet: Local Storage',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/HTML5_Security_Cheat_Sheet.html',
      },
      {
        title: 'OWASP MASVS: MASVS-STORAGE',
        url: 'https://mas.owasp.org/MASVS/',
      },
      {
        title: 'CWE-922: Insecure Storage of Sensitive Information',
        url: 'https://cwe.mitre.org/data/definitions/922.html',
      },
    ],
    messages: {
      browserStorage:
        'The web client {client} keeps {data} in browser storage, where any script running on its origin can read it.',
      mobileUnencrypted: 'The mobile app {client} keeps {data} on the device without encryption.',
      mobileUnstated:
        'The mobile app {client} keeps {data} on the device, and the model does not say whether it is encrypted there.',
    },
    mitigation: 'Reduce what {client} keeps on the device: {fix}',
  },
  *detect(view) {
    for (const c of view.components) {
      if (c.kind !== 'web-client' && c.kind !== 'mobile-app') continue;
      // On the client's own fields first: it stores nothing, or it is a mobile app encrypted at rest.
      const atRest = c['encrypted-at-rest'];
      if (c.stores === undefined || (c.kind === 'mobile-app' && atRest === true)) continue;
      const held = sensitive(view.stored(c.id));
      if (held.length === 0) continue;
      const list = dataList(held);
      const fix =
        c.kind === 'web-client'
          ? `do not put ${list} in localStorage, sessionStorage or IndexedDB; keep session tokens in HttpOnly, Secure, SameSite cookies, fetch sensitive data when it is shown, and set a strict Content Security Policy.`
          : `store ${list} only through the platform keystore (iOS Keychain with data protection, Android Keystore-backed encrypted storage), exclude it from device backups, and clear it on logout.`;
      const common = {
        primary: [c.id],
        subjects: held.map((d) => d.id),
        likelihood: 'possible' as const,
        impact: lowerImpact(dataImpact(held)),
        data: { client: nameOf(c), data: list, fix },
      };
      const holds = `${c.id} (${c.kind}) stores ${list}`;
      if (c.kind === 'web-client') {
        yield { ...common, messageId: 'browserStorage', confidence: 'confirmed', evidence: [holds] };
      } else if (atRest === false) {
        yield {
          ...common,
          messageId: 'mobileUnencrypted',
          confidence: 'confirmed',
          evidence: [holds, atRestFact(c)],
        };
      } else {
        yield {
          ...common,
          messageId: 'mobileUnstated',
          confidence: 'assumed',
          evidence: [holds, atRestFact(c)],
          unknowns: [{ subject: c.id, attribute: 'encrypted-at-rest' }],
        };
      }
    }
  },
});
