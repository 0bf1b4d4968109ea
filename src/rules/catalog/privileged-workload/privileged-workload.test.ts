import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.privileged-agent-beside-pii.yaml',
      findings: [
        {
          messageId: 'privileged',
          primary: ['node-agent'],
          confidence: 'confirmed',
          subjects: ['prod-cluster', 'customers-service'],
        },
      ],
    },
    {
      fixture: 'flagged.privileged-ingress-from-internet.yaml',
      findings: [{ messageId: 'privileged', primary: ['ingress-controller'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.privilege-unstated-in-cluster.yaml',
      findings: [
        {
          messageId: 'privilegeUnstated',
          primary: ['storefront'],
          confidence: 'assumed',
          subjects: ['app-cluster'],
        },
      ],
    },
  ],
  clean: ['clean.unprivileged-ingress.yaml', 'clean.privileged-but-isolated.yaml'],
});
