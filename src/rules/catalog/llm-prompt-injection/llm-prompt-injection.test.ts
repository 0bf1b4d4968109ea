import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.public-chatbot.yaml',
      findings: [
        {
          messageId: 'direct',
          primary: ['assistant'],
          confidence: 'confirmed',
          subjects: ['chat-api', 'visitor-chats', 'api-prompts-assistant'],
        },
      ],
    },
    {
      fixture: 'flagged.poisoned-tickets.yaml',
      findings: [
        {
          messageId: 'indirect',
          primary: ['triage-agent'],
          confidence: 'confirmed',
          subjects: ['ticket-db', 'agent-reads-tickets', 'portal-files-ticket'],
        },
      ],
    },
    {
      fixture: 'flagged.guard-unstated.yaml',
      findings: [
        { messageId: 'unstated', primary: ['summariser'], confidence: 'assumed', subjects: ['api-gw'] },
      ],
    },
  ],
  clean: ['clean.guarded-api.yaml', 'clean.internal-batch.yaml'],
});
