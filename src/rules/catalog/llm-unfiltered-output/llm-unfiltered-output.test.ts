import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.storefront-renders-output.yaml',
      findings: [
        {
          messageId: 'unfiltered',
          primary: ['product-writer'],
          confidence: 'confirmed',
          subjects: ['storefront'],
        },
      ],
    },
    {
      fixture: 'flagged.agent-writes-to-db.yaml',
      findings: [
        { messageId: 'unstated', primary: ['ops-agent'], confidence: 'assumed', subjects: ['reporting-db'] },
      ],
    },
  ],
  clean: ['clean.storefront-encodes.yaml', 'clean.model-filters-output.yaml'],
});
