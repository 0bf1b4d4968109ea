import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.public-api-no-auth.yaml',
      findings: [
        {
          messageId: 'unauthenticated',
          primary: ['orders-api'],
          confidence: 'confirmed',
          subjects: ['customer-calls-orders', 'customer'],
        },
      ],
    },
    {
      fixture: 'flagged.behind-cdn.yaml',
      findings: [
        {
          messageId: 'unauthenticated',
          primary: ['profile-service'],
          confidence: 'confirmed',
          subjects: ['visitor->edge-cdn', 'edge-cdn->profile-service'],
        },
      ],
    },
    {
      fixture: 'flagged.gateway-authn-unstated.yaml',
      findings: [
        {
          messageId: 'authnUnstated',
          primary: ['billing-service'],
          confidence: 'assumed',
          subjects: ['visitor-to-gateway'],
        },
      ],
    },
    {
      fixture: 'flagged.data-unstated.yaml',
      findings: [{ messageId: 'unauthenticated', primary: ['report-service'], confidence: 'assumed' }],
    },
    {
      fixture: 'flagged.cross-account-call.yaml',
      findings: [
        {
          messageId: 'crossZone',
          primary: ['ledger-service'],
          confidence: 'confirmed',
          subjects: ['analytics-reads-ledger'],
        },
      ],
    },
  ],
  clean: [
    'clean.gateway-authenticates.yaml',
    'clean.service-authenticates.yaml',
    'clean.public-site.yaml',
    'clean.hop-inside-shared-vpc.yaml',
  ],
});
