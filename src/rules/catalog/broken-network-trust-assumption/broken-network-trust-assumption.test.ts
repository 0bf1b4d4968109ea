import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.trusted-but-reachable.yaml',
      findings: [
        {
          messageId: 'internetReachable',
          primary: ['inventory'],
          confidence: 'confirmed',
          subjects: ['storefront-to-inventory', 'storefront'],
        },
      ],
    },
    {
      fixture: 'flagged.caller-from-another-account.yaml',
      findings: [
        {
          messageId: 'outsideCaller',
          primary: ['ledger'],
          confidence: 'confirmed',
          subjects: ['analytics-reads-ledger', 'analytics-job'],
        },
      ],
    },
  ],
  clean: ['clean.every-caller-strongly-authenticated.yaml', 'clean.truly-internal.yaml'],
});
