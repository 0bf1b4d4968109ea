import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.gateway-only-authenticates.yaml',
      findings: [
        { messageId: 'unvalidated', primary: ['orders'], confidence: 'confirmed', subjects: ['api-gw'] },
      ],
    },
    {
      fixture: 'flagged.gateway-controls-unstated.yaml',
      findings: [
        { messageId: 'unstated', primary: ['quotes'], confidence: 'assumed', subjects: ['edge-lb'] },
      ],
    },
  ],
  clean: ['clean.gateway-validates.yaml'],
});
