import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.own-password-store.yaml',
      findings: [
        {
          messageId: 'localSignIn',
          primary: ['hr-portal'],
          confidence: 'confirmed',
          subjects: ['employee', 'employee->hr-lb', 'hr-lb'],
        },
      ],
    },
  ],
  clean: ['clean.federated-sign-in.yaml', 'clean.session-without-own-sign-in.yaml'],
});
