import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.preview-reaches-internal-db.yaml',
      findings: [
        {
          messageId: 'internal',
          primary: ['link-preview'],
          confidence: 'confirmed',
          subjects: ['orders-db', 'app-net'],
        },
      ],
    },
    {
      fixture: 'flagged.fetcher-with-cloud-role.yaml',
      findings: [
        {
          messageId: 'cloudMetadata',
          primary: ['feed-importer'],
          confidence: 'confirmed',
          subjects: ['importer-role'],
        },
      ],
    },
    {
      fixture: 'flagged.egress-controls-unstated.yaml',
      findings: [
        {
          messageId: 'internalAndMetadata',
          primary: ['webhook-tester'],
          confidence: 'assumed',
          subjects: ['tenant-admin-api', 'app-sa'],
        },
      ],
    },
    {
      fixture: 'flagged.identity-unstated.yaml',
      findings: [{ messageId: 'cloudMetadata', primary: ['thumbnailer'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.egress-sandboxed.yaml', 'clean.not-internet-reachable.yaml'],
});
