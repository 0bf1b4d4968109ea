import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.partner-and-internal-publishers.yaml',
      findings: [
        {
          messageId: 'unsigned',
          primary: ['payment-events'],
          confidence: 'confirmed',
          subjects: ['partner-gateway', 'checkout', 'ledger'],
        },
      ],
    },
    {
      fixture: 'flagged.signed-but-not-verified.yaml',
      findings: [
        {
          messageId: 'signedNotVerified',
          primary: ['jobs-queue'],
          confidence: 'confirmed',
          subjects: ['host-worker'],
        },
      ],
    },
    {
      fixture: 'flagged.verification-unstated.yaml',
      findings: [
        {
          messageId: 'verificationUnstated',
          primary: ['refund-queue'],
          confidence: 'assumed',
          subjects: ['refunds'],
        },
      ],
    },
  ],
  clean: ['clean.consumer-verifies.yaml', 'clean.single-zone-channel.yaml'],
});
