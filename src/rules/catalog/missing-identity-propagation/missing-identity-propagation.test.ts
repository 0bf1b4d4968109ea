import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.service-account-to-records.yaml',
      findings: [
        {
          messageId: 'serviceIdentity',
          primary: ['portal-reads-records'],
          confidence: 'confirmed',
          subjects: ['patient-portal', 'records-store', 'patient', 'health-records'],
        },
      ],
    },
  ],
  clean: ['clean.user-token-forwarded.yaml'],
});
