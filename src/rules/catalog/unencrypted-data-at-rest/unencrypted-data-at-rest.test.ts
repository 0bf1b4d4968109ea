import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.unencrypted-patient-db.yaml',
      findings: [
        {
          messageId: 'unencrypted',
          primary: ['records-db'],
          confidence: 'confirmed',
          subjects: ['patient-records'],
        },
      ],
    },
    {
      fixture: 'flagged.encryption-unstated.yaml',
      findings: [
        { messageId: 'unstated', primary: ['invoice-bucket'], confidence: 'assumed', subjects: ['invoices'] },
      ],
    },
  ],
  clean: ['clean.encrypted-db.yaml', 'clean.only-internal-data.yaml'],
});
