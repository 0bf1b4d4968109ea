import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.api-without-authorization.yaml',
      findings: [
        {
          messageId: 'unauthorized',
          primary: ['orders-api'],
          confidence: 'confirmed',
          subjects: ['gateway-to-orders', 'api-gateway', 'orders'],
        },
      ],
    },
    {
      fixture: 'flagged.assumes-authorized-upstream.yaml',
      findings: [
        {
          messageId: 'brokenAssumption',
          primary: ['documents-service'],
          confidence: 'assumed',
          subjects: ['web-lb', 'member'],
        },
      ],
    },
  ],
  clean: ['clean.gateway-authorizes.yaml', 'clean.service-authorizes.yaml'],
});
