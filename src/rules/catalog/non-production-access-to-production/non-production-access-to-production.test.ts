import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.staging-writes-prod-db.yaml',
      findings: [
        {
          messageId: 'crossesEnvironments',
          primary: ['staging-writes-orders'],
          confidence: 'confirmed',
          subjects: ['staging-api', 'orders-db'],
        },
      ],
    },
    {
      fixture: 'flagged.target-environment-unstated.yaml',
      findings: [
        {
          messageId: 'targetUnstated',
          primary: ['debugger-reads-vault'],
          confidence: 'assumed',
          subjects: ['card-vault', 'card-data'],
        },
      ],
    },
  ],
  clean: ['clean.staging-uses-staging-db.yaml', 'clean.shared-registry-and-telemetry.yaml'],
});
