import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import internetToCrownJewelsPath from '../internet-to-crown-jewels-path/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.public-bucket-with-pii.yaml',
      findings: [
        {
          messageId: 'exposed',
          primary: ['exports-bucket'],
          confidence: 'confirmed',
          subjects: ['customer-exports'],
        },
      ],
    },
    {
      fixture: 'flagged.internet-calls-db-directly.yaml',
      findings: [
        {
          messageId: 'exposed',
          primary: ['orders-db'],
          confidence: 'confirmed',
          subjects: ['client-to-db', 'desktop-client', 'customer-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.contents-unstated.yaml',
      findings: [{ messageId: 'contentsUnstated', primary: ['session-cache'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.private-db-behind-service.yaml', 'clean.public-static-site.yaml'],
});

describe('public-datastore supersedes internet-to-crown-jewels-path', () => {
  it('reports the directly exposed database once, as a public datastore', () => {
    const view = loadFixture(new URL('flagged.internet-calls-db-directly.yaml', import.meta.url).pathname);
    const alone = analyze(view, [internetToCrownJewelsPath]).findings.map((f) => f.ruleId);
    expect(alone).toEqual(['internet-to-crown-jewels-path']);
    const both = analyze(view, [rule, internetToCrownJewelsPath]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(both).toEqual(['public-datastore orders-db']);
  });
});
