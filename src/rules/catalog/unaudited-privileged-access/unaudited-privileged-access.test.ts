import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.admin-flow-unaudited.yaml',
      findings: [
        {
          messageId: 'unaudited',
          primary: ['billing-service'],
          confidence: 'confirmed',
          subjects: ['support-adjusts-invoices', 'support-engineer'],
        },
      ],
    },
    {
      fixture: 'flagged.deploy-target-controls-unstated.yaml',
      findings: [
        {
          messageId: 'unstated',
          primary: ['cluster-api'],
          confidence: 'assumed',
          subjects: ['pipeline-deploys'],
        },
      ],
    },
    {
      fixture: 'flagged.pipeline-changes-unaudited.yaml',
      findings: [
        {
          messageId: 'unaudited',
          primary: ['jenkins'],
          confidence: 'confirmed',
          subjects: ['developer-edits-jobs'],
        },
      ],
    },
  ],
  clean: [
    'clean.audited-control-plane.yaml',
    'clean.through-logging-bastion.yaml',
    'clean.telemetry-and-image-pulls.yaml',
  ],
});
