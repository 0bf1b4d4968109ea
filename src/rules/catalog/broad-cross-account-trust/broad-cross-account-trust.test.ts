import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.assumable-by-anyone.yaml',
      findings: [{ messageId: 'anyone', primary: ['ops-admin-role'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.vendor-can-assume.yaml',
      findings: [
        {
          messageId: 'thirdParty',
          primary: ['vendor-integration-role'],
          confidence: 'confirmed',
          subjects: ['vendor-cloud'],
        },
      ],
    },
    {
      fixture: 'flagged.assumable-from-dev-account.yaml',
      findings: [
        {
          messageId: 'otherAccount',
          primary: ['release-role'],
          confidence: 'confirmed',
          subjects: ['dev-account', 'release-job'],
        },
      ],
    },
    {
      fixture: 'flagged.writes-into-other-account.yaml',
      findings: [
        {
          messageId: 'crossAccountGrant',
          primary: ['etl-role'],
          confidence: 'confirmed',
          subjects: ['etl-job', 'customer-exports', 'prod-account'],
        },
      ],
    },
  ],
  clean: ['clean.read-only-cross-account.yaml', 'clean.same-account-trust.yaml'],
});
