import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.gateway-without-limits.yaml',
      findings: [
        {
          messageId: 'noRateLimit',
          primary: ['api-gw'],
          confidence: 'confirmed',
          subjects: ['orders', 'shopper-calls-api', 'api-forwards-orders'],
        },
      ],
    },
    {
      fixture: 'flagged.password-login.yaml',
      findings: [
        {
          messageId: 'login',
          primary: ['accounts'],
          confidence: 'confirmed',
          subjects: ['customer-signs-in'],
        },
      ],
    },
    {
      fixture: 'flagged.edge-controls-unstated.yaml',
      findings: [
        { messageId: 'unstated', primary: ['edge-cdn'], confidence: 'assumed', subjects: ['quotes'] },
      ],
    },
  ],
  clean: ['clean.gateway-rate-limits.yaml', 'clean.static-site.yaml'],
});
