import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.shared-vpc-no-auth.yaml',
      findings: [
        {
          messageId: 'unauthenticated',
          primary: ['cart-checks-stock'],
          confidence: 'confirmed',
          subjects: ['prod-vpc'],
        },
      ],
    },
    {
      fixture: 'flagged.namespace-authn-unstated.yaml',
      findings: [
        {
          messageId: 'unstated',
          primary: ['checkout-posts-ledger'],
          confidence: 'assumed',
          subjects: ['payments-ns'],
        },
      ],
    },
  ],
  clean: ['clean.mtls-inside-vpc.yaml'],
});
