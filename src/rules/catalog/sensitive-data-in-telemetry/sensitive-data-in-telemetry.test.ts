import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.pii-in-app-logs.yaml',
      findings: [
        {
          messageId: 'sensitiveTelemetry',
          primary: ['orders-logs'],
          confidence: 'confirmed',
          subjects: ['orders', 'log-platform', 'customer-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.tokens-to-saas-apm.yaml',
      findings: [
        {
          messageId: 'thirdPartyTelemetry',
          primary: ['api-traces'],
          confidence: 'confirmed',
          subjects: ['apm', 'session-tokens'],
        },
      ],
    },
  ],
  clean: ['clean.redacted-logs.yaml'],
});
