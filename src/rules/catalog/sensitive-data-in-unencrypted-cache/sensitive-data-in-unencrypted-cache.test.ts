import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.session-cache-unencrypted.yaml',
      findings: [
        {
          messageId: 'unencrypted',
          primary: ['session-cache'],
          confidence: 'confirmed',
          subjects: ['session-tokens', 'api-to-cache'],
        },
      ],
    },
    {
      fixture: 'flagged.cart-cache-unstated.yaml',
      findings: [
        {
          messageId: 'unstated',
          primary: ['cart-cache'],
          confidence: 'assumed',
          subjects: ['cart-contents'],
        },
      ],
    },
  ],
  clean: ['clean.encrypted-cache.yaml', 'clean.public-content-cache.yaml'],
});
