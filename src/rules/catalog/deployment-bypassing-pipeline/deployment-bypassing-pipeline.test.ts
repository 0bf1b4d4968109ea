import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.kubectl-from-laptop.yaml',
      findings: [
        {
          messageId: 'directDeploy',
          primary: ['laptop-kubectl'],
          confidence: 'confirmed',
          subjects: ['engineer', 'prod-cluster-api'],
        },
      ],
    },
    {
      fixture: 'flagged.image-pushed-from-workstation.yaml',
      findings: [
        {
          messageId: 'registryPush',
          primary: ['manual-push'],
          confidence: 'confirmed',
          subjects: ['build-workstation', 'prod-registry', 'prod-cluster-api'],
        },
      ],
    },
    {
      fixture: 'flagged.target-environment-unstated.yaml',
      findings: [{ messageId: 'directDeploy', primary: ['script-deploys'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.pipeline-only.yaml', 'clean.manual-deploy-to-staging.yaml'],
});
