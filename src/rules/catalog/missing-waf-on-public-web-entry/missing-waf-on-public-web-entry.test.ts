import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.gateway-without-waf.yaml',
      findings: [
        {
          messageId: 'noWafBehindEdge',
          primary: ['api-gateway'],
          confidence: 'confirmed',
          subjects: ['orders-service', 'gateway-to-orders'],
        },
      ],
    },
    {
      fixture: 'flagged.service-exposed-directly.yaml',
      findings: [{ messageId: 'noWafDirect', primary: ['admin-ui'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.edge-controls-unstated.yaml',
      findings: [
        { messageId: 'wafUnstated', primary: ['public-lb'], confidence: 'assumed', subjects: ['quotes-api'] },
      ],
    },
  ],
  clean: ['clean.waf-in-front.yaml', 'clean.static-public-site.yaml'],
});
