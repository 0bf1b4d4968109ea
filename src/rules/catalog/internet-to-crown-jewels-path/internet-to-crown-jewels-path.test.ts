import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.api-key-chain-to-pii.yaml',
      findings: [
        {
          messageId: 'noStrongAuthn',
          primary: ['customer-db'],
          confidence: 'confirmed',
          subjects: ['partner-api'],
        },
      ],
    },
    {
      fixture: 'flagged.flat-network.yaml',
      findings: [
        { messageId: 'noSegmentation', primary: ['card-vault'], confidence: 'confirmed', subjects: ['web'] },
      ],
    },
    {
      fixture: 'flagged.authn-unstated-on-path.yaml',
      findings: [
        {
          messageId: 'noStrongAuthnUnstated',
          primary: ['records'],
          confidence: 'assumed',
          subjects: ['portal'],
        },
      ],
    },
  ],
  clean: ['clean.strong-auth-and-segments.yaml'],
});
