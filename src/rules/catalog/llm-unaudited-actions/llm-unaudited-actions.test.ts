import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.agent-issues-refunds.yaml',
      findings: [
        {
          messageId: 'unaudited',
          primary: ['support-agent'],
          confidence: 'confirmed',
          subjects: ['orders-db', 'agent-writes-refunds'],
        },
      ],
    },
    {
      fixture: 'flagged.agent-controls-unstated.yaml',
      findings: [
        { messageId: 'unstated', primary: ['notify-agent'], confidence: 'assumed', subjects: ['outbox'] },
      ],
    },
  ],
  clean: ['clean.agent-logs-tool-calls.yaml', 'clean.read-only-assistant.yaml'],
});
