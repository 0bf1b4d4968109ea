import { appliesControl, isOwned } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { nameOf } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { appliesFact, controlsFact, exposureFact } from '../../shared/evidence.js';
import { checksCredentials, monitoringComponents, monitorLabels } from '../../shared/logging.js';

export default defineRule({
  meta: {
    id: 'unaudited-authentication-events',
    title: 'Sign-in attempts are not logged where credentials are checked',
    summary:
      'An identity provider, or an internet-facing component that checks credentials itself, keeps no audit log of sign-in attempts, so credential stuffing, password spraying and account takeover go unnoticed and cannot be investigated.',
    stride: ['repudiation', 'spoofing'],
    cwe: ['CWE-778'],
    capec: [],
    attack: ['T1110'],
    compliance: {
      'nist-800-53': ['AU-2', 'AU-12', 'AC-7'],
      'iso-27001-2022': ['A.8.15', 'A.8.5'],
      soc2: ['CC7.2'],
      'pci-dss-4': ['10.2.1.4', '10.2.1.5'],
      'owasp-asvs-5': ['V16.3.1'],
      hipaa: ['164.308(a)(5)(ii)(C)', '164.312(b)'],
    },
    assumes: ['controls'],
    detection:
      'A component of kind identity-provider, or an exposed component (public, or called straight from the internet) that has authentication in its controls or enforces, is reported when audit-logging is in neither list. External services are someone else’s to fix and are skipped. Confirmed when the component states its controls; assumed, with a question, when it does not.',
    severityRationale:
      'Impact is high for an identity provider, whose sign-ins open every system behind it, and medium for a single component that checks credentials. Likelihood is possible: the missing log does not let attackers in, it hides their attempts and makes an account takeover impossible to reconstruct.',
    falsePositives:
      'A hosted identity provider may log sign-ins by default, or the events may be exported by a mechanism the model does not show. State it by adding audit-logging to the component’s controls; model the export as a telemetry flow to the monitoring component.',
    references: [
      {
        title: 'OWASP Authentication Cheat Sheet: logging and monitoring',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html',
      },
      {
        title: 'OWASP Logging Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
      },
    ],
    messages: {
      unaudited:
        '{component} {role}, but keeps no log of sign-in attempts, so credential stuffing, password spraying and account takeover go unnoticed.',
      unstated: '{component} {role}, and the model does not state that it logs sign-in attempts.',
    },
    mitigation:
      'Log every authentication event at {component}, successful or failed (account, source address, method, outcome, never the secret), together with lockouts, MFA changes and password resets; send the events to {target}, alert on bursts of failures per account and per source, and add audit-logging to its controls.',
  },
  *detect(view) {
    const monitors = monitoringComponents(view);
    const target = monitors.length > 0 ? monitorLabels(monitors) : 'a central log store';
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      // Cheapest rejection first: sign-ins happen only at an identity provider or an exposed component
      // (the first half of checksCredentials, one Set lookup).
      if (c.kind !== 'identity-provider' && !view.isExposed(c.id)) continue;
      if (!isOwned(view, c) || appliesControl(c, 'audit-logging') === true) continue;
      if (!checksCredentials(view, c)) continue;
      const idp = c.kind === 'identity-provider';
      const checks = view.isExposed(c.id) && appliesControl(c, 'authentication') === true;
      const stated = c.controls !== undefined;
      yield {
        messageId: stated ? 'unaudited' : 'unstated',
        primary: [c.id],
        likelihood: 'possible',
        impact: idp ? 'high' : 'medium',
        confidence: stated ? 'confirmed' : 'assumed',
        data: {
          component: nameOf(c),
          role: idp ? 'is an identity provider' : 'checks the credentials of callers from the internet',
          target,
        },
        evidence: [
          idp ? `${c.id} is an identity-provider` : exposureFact(c),
          ...(checks ? [appliesFact(c, 'authentication')] : []),
          controlsFact(c, 'audit-logging'),
        ],
        ...(stated ? {} : { unknowns: [{ subject: c.id, attribute: 'controls' }] }),
      };
    }
  },
});
