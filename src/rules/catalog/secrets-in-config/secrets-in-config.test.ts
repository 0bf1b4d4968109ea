import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.key-in-source-code.yaml',
      findings: [
        {
          messageId: 'outsideSecretStore',
          primary: ['billing-sync'],
          confidence: 'confirmed',
          subjects: ['crm', 'billing-db'],
        },
      ],
    },
    {
      fixture: 'flagged.api-key-location-unstated.yaml',
      findings: [
        {
          messageId: 'locationUnstated',
          primary: ['notifier'],
          confidence: 'assumed',
          subjects: ['sms-provider'],
        },
      ],
    },
  ],
  clean: ['clean.secret-store.yaml', 'clean.no-stored-secrets.yaml'],
});
