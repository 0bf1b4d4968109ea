import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.portal-without-mfa.yaml',
      findings: [
        {
          messageId: 'singleFactor',
          primary: ['patient-reads-results'],
          confidence: 'confirmed',
          subjects: ['patient', 'patient-portal', 'patient-idp', 'lab-results'],
        },
      ],
    },
    {
      fixture: 'flagged.idp-controls-unstated.yaml',
      findings: [{ messageId: 'mfaUnstated', primary: ['customer-reads-statements'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.idp-enforces-mfa.yaml', 'clean.client-certificate.yaml'],
});
