import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.service-can-delete-logs.yaml',
      findings: [
        {
          messageId: 'canErase',
          primary: ['api-role'],
          confidence: 'confirmed',
          subjects: ['public-api', 'audit-store'],
        },
      ],
    },
  ],
  clean: ['clean.append-only-log-access.yaml', 'clean.log-platform-manages-itself.yaml'],
});
