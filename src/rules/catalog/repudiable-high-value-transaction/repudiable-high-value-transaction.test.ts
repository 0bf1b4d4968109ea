import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.unsigned-payout-to-bank.yaml',
      findings: [
        {
          messageId: 'unsigned',
          primary: ['payouts-to-bank'],
          confidence: 'confirmed',
          subjects: ['payouts', 'bank-api', 'payout-instructions', 'bank-net'],
        },
      ],
    },
    {
      fixture: 'flagged.partner-controls-unstated.yaml',
      findings: [{ messageId: 'unstated', primary: ['refunds-to-processor'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.signed-payout.yaml', 'clean.hmac-signed-and-backups.yaml'],
});
