import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.long-lived-db-password.yaml',
      findings: [
        {
          messageId: 'longLived',
          primary: ['settlement-reads-cards'],
          confidence: 'confirmed',
          subjects: ['settlement-job', 'card-db', 'settlement-db-user'],
        },
      ],
    },
    {
      fixture: 'flagged.identity-unstated.yaml',
      findings: [
        {
          messageId: 'mayBeStatic',
          primary: ['reports-queries-search'],
          confidence: 'assumed',
          subjects: ['customer-search'],
        },
      ],
    },
  ],
  clean: ['clean.leased-credentials.yaml', 'clean.non-sensitive-cache.yaml'],
});
