import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.spa-tokens-in-local-storage.yaml',
      findings: [
        {
          messageId: 'browserStorage',
          primary: ['banking-spa'],
          confidence: 'confirmed',
          subjects: ['access-token', 'account-profile'],
        },
      ],
    },
    {
      fixture: 'flagged.mobile-unencrypted.yaml',
      findings: [{ messageId: 'mobileUnencrypted', primary: ['patient-app'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.mobile-unstated.yaml',
      findings: [{ messageId: 'mobileUnstated', primary: ['courier-app'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.mobile-keystore.yaml'],
});
