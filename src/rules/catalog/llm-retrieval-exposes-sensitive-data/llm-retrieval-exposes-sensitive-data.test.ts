import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.chatbot-reads-customer-db.yaml',
      findings: [
        {
          messageId: 'exposes',
          primary: ['assistant'],
          confidence: 'confirmed',
          subjects: ['customers-db', 'assistant-looks-up-customers', 'customer-records'],
        },
      ],
    },
    {
      fixture: 'flagged.embeddings-controls-unstated.yaml',
      findings: [
        {
          messageId: 'unstated',
          primary: ['notes-bot'],
          confidence: 'assumed',
          subjects: ['note-embeddings'],
        },
      ],
    },
  ],
  clean: ['clean.store-authorizes-per-user.yaml', 'clean.staff-only-assistant.yaml'],
});
