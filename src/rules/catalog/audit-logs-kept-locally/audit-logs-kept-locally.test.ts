import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.db-audit-log-stays-local.yaml',
      findings: [
        {
          messageId: 'localOnly',
          primary: ['orders-db'],
          confidence: 'confirmed',
          subjects: ['customer-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.no-log-collector.yaml',
      findings: [{ messageId: 'noCollector', primary: ['public-api'], confidence: 'confirmed' }],
    },
  ],
  clean: ['clean.audit-log-shipped.yaml', 'clean.siem-pulls-logs.yaml'],
});
