import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.no-agreement-with-crm.yaml',
      findings: [
        {
          messageId: 'noAgreement',
          primary: ['push-contacts'],
          confidence: 'confirmed',
          subjects: ['crm-sync', 'marketing-crm', 'crm-cloud', 'customer-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.partner-reads-unstated.yaml',
      findings: [
        {
          messageId: 'agreementUnstated',
          primary: ['partner-pulls-orders'],
          confidence: 'assumed',
          subjects: ['fulfilment-partner', 'order-details'],
        },
      ],
    },
    {
      fixture: 'flagged.agreement-but-plaintext.yaml',
      findings: [
        {
          messageId: 'plaintext',
          primary: ['send-lab-orders'],
          confidence: 'confirmed',
          subjects: ['reference-lab', 'lab-orders'],
        },
      ],
    },
  ],
  clean: ['clean.agreement-and-tls.yaml', 'clean.nothing-sensitive-leaves.yaml'],
});
