import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.job-runs-as-admin-user.yaml',
      findings: [
        {
          messageId: 'personalIdentity',
          primary: ['nightly-export'],
          confidence: 'confirmed',
          subjects: ['dba-jane', 'orders-db'],
        },
      ],
    },
  ],
  clean: ['clean.dedicated-service-role.yaml'],
});
