import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.idp-without-sign-in-log.yaml',
      findings: [{ messageId: 'unaudited', primary: ['keycloak'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.public-api-checks-passwords.yaml',
      findings: [{ messageId: 'unaudited', primary: ['legacy-api'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.idp-controls-unstated.yaml',
      findings: [{ messageId: 'unstated', primary: ['directory'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.sign-ins-logged.yaml', 'clean.internal-service-authenticates.yaml'],
});
