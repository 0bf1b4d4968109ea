import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.staging-namespace-in-prod-cluster.yaml',
      findings: [
        {
          messageId: 'mixed',
          primary: ['prod-cluster'],
          confidence: 'confirmed',
          subjects: ['shop-api', 'shop-api-staging'],
        },
      ],
    },
    {
      fixture: 'flagged.shared-cloud-account.yaml',
      findings: [
        {
          messageId: 'mixed',
          primary: ['company-account'],
          confidence: 'confirmed',
          subjects: ['billing', 'billing-dev', 'invoices'],
        },
      ],
    },
  ],
  clean: ['clean.separate-accounts.yaml'],
});
