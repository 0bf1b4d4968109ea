import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.same-account-backup.yaml',
      findings: [
        {
          messageId: 'sameAccount',
          primary: ['nightly-backup'],
          confidence: 'confirmed',
          subjects: ['orders-db', 'backup-bucket', 'aws-prod'],
        },
      ],
    },
    {
      fixture: 'flagged.writer-can-delete-backups.yaml',
      findings: [
        {
          messageId: 'deletable',
          primary: ['db-snapshots'],
          confidence: 'confirmed',
          subjects: ['orders-role', 'orders', 'backup-vault'],
        },
      ],
    },
  ],
  clean: ['clean.separate-backup-account.yaml', 'clean.accounts-not-modelled.yaml'],
});
