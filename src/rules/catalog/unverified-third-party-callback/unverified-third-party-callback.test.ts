import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.webhook-without-auth.yaml',
      findings: [
        {
          messageId: 'unauthenticated',
          primary: ['delivery-updates'],
          confidence: 'confirmed',
          subjects: ['carrier-api', 'shipment-webhook'],
        },
      ],
    },
    {
      fixture: 'flagged.api-key-callback-through-gateway.yaml',
      findings: [
        {
          messageId: 'staticSecret',
          primary: ['remittance-callback'],
          confidence: 'confirmed',
          subjects: ['clearinghouse', 'api-gateway', 'billing', 'claims'],
        },
      ],
    },
    {
      fixture: 'flagged.callback-authn-unstated.yaml',
      findings: [{ messageId: 'authnUnstated', primary: ['crm-outbound'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.signature-verified.yaml', 'clean.hmac-webhook.yaml'],
});
