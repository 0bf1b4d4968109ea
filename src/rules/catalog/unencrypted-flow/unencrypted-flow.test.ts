import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.plain-http-with-pii.yaml',
      findings: [
        {
          messageId: 'plaintext',
          primary: ['web->orders'],
          confidence: 'confirmed',
          subjects: ['customer-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.database-tls-not-stated.yaml',
      findings: [{ messageId: 'unknown', primary: ['orders-to-db'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.tls-everywhere.yaml'],
});
