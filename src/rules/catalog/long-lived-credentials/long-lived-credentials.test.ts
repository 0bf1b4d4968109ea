import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.static-ci-key.yaml',
      findings: [
        {
          messageId: 'longLived',
          primary: ['deploy-key'],
          confidence: 'confirmed',
          subjects: ['build-pipeline', 'image-registry'],
        },
      ],
    },
    {
      fixture: 'flagged.machine-user-lifetime-unstated.yaml',
      findings: [{ messageId: 'lifetimeUnstated', primary: ['crm-integration'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.federated-ci.yaml', 'clean.read-only-public-data.yaml'],
});
