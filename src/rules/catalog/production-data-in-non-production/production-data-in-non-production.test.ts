import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.staging-db-holds-customer-pii.yaml',
      findings: [
        {
          messageId: 'holds',
          primary: ['staging-db'],
          confidence: 'confirmed',
          subjects: ['customer-pii', 'nightly-restore', 'customer-db'],
        },
      ],
    },
    {
      fixture: 'flagged.analytics-sandbox-reads-prod.yaml',
      findings: [
        {
          messageId: 'receives',
          primary: ['notebook'],
          confidence: 'confirmed',
          subjects: ['notebook-reads-orders', 'orders-db'],
        },
      ],
    },
    {
      fixture: 'flagged.source-environment-unstated.yaml',
      findings: [
        {
          messageId: 'receivesUnstated',
          primary: ['qa-service'],
          confidence: 'assumed',
          subjects: ['records-db', 'patient-records'],
        },
      ],
    },
  ],
  clean: ['clean.masked-copy-in-staging.yaml'],
});
