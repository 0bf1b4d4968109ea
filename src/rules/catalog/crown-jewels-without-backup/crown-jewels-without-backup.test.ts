import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.replica-is-not-backup.yaml',
      findings: [
        {
          messageId: 'noBackup',
          primary: ['orders-db'],
          confidence: 'confirmed',
          subjects: ['order-records', 'orders-db-streaming'],
        },
      ],
    },
    {
      fixture: 'flagged.controls-unstated.yaml',
      findings: [{ messageId: 'unstated', primary: ['patients-db'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.nightly-backup.yaml', 'clean.backup-control.yaml', 'clean.secrets-and-cache.yaml'],
});
