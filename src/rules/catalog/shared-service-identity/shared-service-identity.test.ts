import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.two-services-one-role.yaml',
      findings: [
        {
          messageId: 'shared',
          primary: ['app-role'],
          confidence: 'confirmed',
          subjects: ['orders', 'billing'],
        },
      ],
    },
  ],
  clean: ['clean.one-role-per-service.yaml'],
});
