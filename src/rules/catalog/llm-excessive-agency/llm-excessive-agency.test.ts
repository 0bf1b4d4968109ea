import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.agent-deletes-orders.yaml',
      findings: [
        {
          messageId: 'unapproved',
          primary: ['support-agent'],
          confidence: 'confirmed',
          subjects: ['orders-db', 'agent-cancels-orders'],
        },
      ],
    },
    {
      fixture: 'flagged.agent-tools-unstated.yaml',
      findings: [
        {
          messageId: 'unstated',
          primary: ['sales-agent'],
          confidence: 'assumed',
          subjects: ['tools-api', 'tools-update-crm'],
        },
      ],
    },
    {
      fixture: 'flagged.identity-can-administer.yaml',
      findings: [
        {
          messageId: 'unapproved',
          primary: ['coding-agent'],
          confidence: 'confirmed',
          subjects: ['agent-role'],
        },
      ],
    },
  ],
  clean: ['clean.approval-before-tools.yaml', 'clean.read-only-tools.yaml'],
});
