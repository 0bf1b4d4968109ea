import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.admin-on-read-only-db.yaml',
      findings: [
        {
          messageId: 'broadActions',
          primary: ['reporting-role'],
          confidence: 'confirmed',
          subjects: ['reporting', 'orders-db', 'reporting-reads-orders'],
        },
      ],
    },
    {
      fixture: 'flagged.wildcard-resource.yaml',
      findings: [{ messageId: 'wildcardResource', primary: ['worker-role'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.admin-actions-not-stated.yaml',
      findings: [{ messageId: 'broadActionsUnstated', primary: ['uploader-role'], confidence: 'assumed' }],
    },
    {
      fixture: 'flagged.unused-grant-and-extra-actions.yaml',
      findings: [
        {
          messageId: 'unusedActions',
          primary: ['billing-role'],
          confidence: 'confirmed',
          subjects: ['legacy-db'],
        },
      ],
    },
    {
      fixture: 'flagged.scope-wider-than-used.yaml',
      findings: [{ messageId: 'broadScope', primary: ['catalog-role'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.grant-on-unused-resource.yaml',
      findings: [
        {
          messageId: 'unusedGrant',
          primary: ['notifier-role'],
          confidence: 'confirmed',
          subjects: ['payments-db'],
        },
      ],
    },
  ],
  clean: ['clean.least-privilege.yaml', 'clean.admin-that-is-used.yaml'],
});
