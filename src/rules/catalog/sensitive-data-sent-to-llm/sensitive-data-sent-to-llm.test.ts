import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.prompts-without-agreement.yaml',
      findings: [
        {
          messageId: 'noAgreement',
          primary: ['desk-sends-tickets'],
          confidence: 'confirmed',
          subjects: ['hosted-gpt', 'openai-cloud', 'ticket-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.agreement-unstated.yaml',
      findings: [
        {
          messageId: 'unstated',
          primary: ['app-sends-drafts'],
          confidence: 'assumed',
          subjects: ['model-vendor'],
        },
      ],
    },
    {
      fixture: 'flagged.covered-but-plaintext.yaml',
      findings: [{ messageId: 'plaintext', primary: ['claims-to-model'], confidence: 'confirmed' }],
    },
  ],
  clean: ['clean.agreement-and-tls.yaml', 'clean.self-hosted-model.yaml'],
});
