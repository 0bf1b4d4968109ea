import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.password-login-no-mfa.yaml',
      findings: [
        {
          messageId: 'password',
          primary: ['customer-signs-in'],
          confidence: 'confirmed',
          subjects: ['customer', 'customer-portal'],
        },
      ],
    },
    {
      fixture: 'flagged.static-api-key.yaml',
      findings: [
        {
          messageId: 'staticSecret',
          primary: ['partner-calls-api'],
          confidence: 'confirmed',
          subjects: ['public-api-gw', 'orders-service'],
        },
      ],
    },
  ],
  clean: ['clean.password-with-mfa.yaml', 'clean.partner-callback-and-vendor-key.yaml'],
});
