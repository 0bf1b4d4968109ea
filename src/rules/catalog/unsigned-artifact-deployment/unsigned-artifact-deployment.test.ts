import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.cluster-without-admission-policy.yaml',
      findings: [
        {
          messageId: 'unverified',
          primary: ['deploy-release'],
          confidence: 'confirmed',
          subjects: ['build-pipeline', 'prod-cluster-api', 'image-registry'],
        },
      ],
    },
    {
      fixture: 'flagged.signed-but-not-verified.yaml',
      findings: [
        {
          messageId: 'signedNotVerified',
          primary: ['publish-function'],
          confidence: 'confirmed',
          subjects: ['build-pipeline', 'pricing-function'],
        },
      ],
    },
    {
      fixture: 'flagged.verification-unstated.yaml',
      findings: [{ messageId: 'verificationUnstated', primary: ['deploy-checkout'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.admission-verifies-signatures.yaml', 'clean.staging-target.yaml'],
});
