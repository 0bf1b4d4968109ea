import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.copies-in-one-region.yaml',
      findings: [
        {
          messageId: 'singleRegion',
          primary: ['customers-db'],
          confidence: 'confirmed',
          subjects: ['eu-west-1', 'customers-db-standby', 'backup-bucket'],
        },
      ],
    },
  ],
  clean: ['clean.cross-region-backup.yaml', 'clean.standby-ships-backups-away.yaml'],
});
