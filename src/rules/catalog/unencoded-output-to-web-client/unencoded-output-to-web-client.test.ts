import { testRule } from '../../testing/rule-tester.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.comments-rendered-raw.yaml',
      findings: [
        {
          messageId: 'unencoded',
          primary: ['comments-service'],
          confidence: 'confirmed',
          subjects: ['browser-app', 'lb-to-comments'],
        },
      ],
    },
    {
      fixture: 'flagged.stored-content-read-back.yaml',
      findings: [
        {
          messageId: 'unencoded',
          primary: ['profile-pages'],
          confidence: 'confirmed',
          subjects: ['profiles-db', 'api-saves-profile'],
        },
      ],
    },
    {
      fixture: 'flagged.encoding-unstated.yaml',
      findings: [{ messageId: 'encodingUnstated', primary: ['forum-service'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.output-encoded.yaml', 'clean.public-assets-bucket.yaml'],
});
