import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.no-approval-gate.yaml',
      findings: [
        {
          messageId: 'unapproved',
          primary: ['build-pipeline'],
          confidence: 'confirmed',
          subjects: ['deploy-payments', 'payments-service'],
        },
      ],
    },
    {
      fixture: 'flagged.approval-unstated.yaml',
      findings: [
        {
          messageId: 'approvalUnstated',
          primary: ['release-pipeline'],
          confidence: 'assumed',
          subjects: ['prod-cluster-api'],
        },
      ],
    },
  ],
  clean: ['clean.required-reviewers.yaml', 'clean.non-production-targets.yaml'],
});
