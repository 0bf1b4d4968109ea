import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.grafana-basic-auth.yaml',
      findings: [
        {
          messageId: 'exposed',
          primary: ['grafana'],
          confidence: 'confirmed',
          subjects: ['engineer-to-grafana', 'app-logs'],
        },
      ],
    },
    {
      fixture: 'flagged.kibana-behind-lb-unstated.yaml',
      findings: [
        {
          messageId: 'exposedUnstated',
          primary: ['kibana'],
          confidence: 'assumed',
          subjects: ['staff-to-lb', 'public-lb', 'lb-to-kibana'],
        },
      ],
    },
  ],
  clean: ['clean.ip-allowlisted.yaml', 'clean.saas-console-sso.yaml'],
});
