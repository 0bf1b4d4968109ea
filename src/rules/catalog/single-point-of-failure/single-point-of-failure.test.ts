import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.single-database.yaml',
      findings: [
        { messageId: 'single', primary: ['orders-db'], confidence: 'confirmed', subjects: ['customer-pii'] },
      ],
    },
    {
      fixture: 'flagged.replicas-unstated.yaml',
      findings: [{ messageId: 'singleUnstated', primary: ['records-db'], confidence: 'assumed' }],
    },
    {
      fixture: 'flagged.only-gateway.yaml',
      findings: [
        {
          messageId: 'chokepoint',
          primary: ['api-gw'],
          confidence: 'confirmed',
          subjects: ['accounts-db'],
        },
      ],
    },
    {
      fixture: 'flagged.load-balancer-replicas-unstated.yaml',
      findings: [
        {
          messageId: 'chokepointUnstated',
          primary: ['edge-lb'],
          confidence: 'assumed',
          subjects: ['claims-db'],
        },
      ],
    },
  ],
  clean: ['clean.replicated.yaml', 'clean.two-gateways.yaml'],
});
