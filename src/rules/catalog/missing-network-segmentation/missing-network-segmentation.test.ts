import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.web-next-to-vault.yaml',
      findings: [
        {
          messageId: 'flat',
          primary: ['shared-subnet'],
          confidence: 'confirmed',
          subjects: ['web-server', 'vault'],
        },
      ],
    },
    {
      fixture: 'flagged.namespace-policy-unstated.yaml',
      findings: [
        {
          messageId: 'unstated',
          primary: ['ns-default'],
          confidence: 'assumed',
          subjects: ['public-api', 'customer-db'],
        },
      ],
    },
  ],
  clean: ['clean.network-policy.yaml', 'clean.separate-subnets.yaml'],
});
