import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.eu-pii-to-us-analytics.yaml',
      findings: [
        {
          messageId: 'transfer',
          primary: ['export-to-analytics'],
          confidence: 'confirmed',
          subjects: ['shop-api', 'us-analytics', 'customer-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.residency-unstated.yaml',
      findings: [
        {
          messageId: 'residencyUnstated',
          primary: ['us-reads-eu-records'],
          confidence: 'assumed',
          subjects: ['eu-patient-records'],
        },
      ],
    },
    {
      fixture: 'flagged.vendor-jurisdiction-unstated.yaml',
      findings: [
        {
          messageId: 'jurisdictionUnstated',
          primary: ['send-mail'],
          confidence: 'assumed',
          subjects: ['mail-api', 'customer-emails'],
        },
      ],
    },
    {
      fixture: 'flagged.eu-data-stored-in-us.yaml',
      findings: [
        {
          messageId: 'storage',
          primary: ['orders-db-replica'],
          confidence: 'confirmed',
          subjects: ['customer-pii', 'replicate-orders'],
        },
      ],
    },
  ],
  clean: ['clean.residency-allows-both.yaml', 'clean.same-jurisdiction.yaml'],
});
