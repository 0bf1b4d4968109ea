import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.hosted-model-no-quota.yaml',
      findings: [
        {
          messageId: 'unbounded',
          primary: ['hosted-model'],
          confidence: 'confirmed',
          subjects: ['chat-api'],
        },
      ],
    },
    {
      fixture: 'flagged.quota-unstated.yaml',
      findings: [
        { messageId: 'unstated', primary: ['local-model'], confidence: 'assumed', subjects: ['web-app'] },
      ],
    },
  ],
  clean: ['clean.quota-where-called.yaml'],
});
