import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import internetToCrownJewelsPath from '../internet-to-crown-jewels-path/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.open-elasticsearch.yaml',
      findings: [
        {
          messageId: 'unauthenticated',
          primary: ['profile-search'],
          confidence: 'confirmed',
          subjects: ['anyone-queries-search', 'customer-profiles'],
        },
      ],
    },
    {
      fixture: 'flagged.basic-auth-behind-lb.yaml',
      findings: [
        {
          messageId: 'weakAuthn',
          primary: ['orders-search'],
          confidence: 'confirmed',
          subjects: ['partner-to-lb', 'edge-lb', 'lb-to-search'],
        },
      ],
    },
    {
      fixture: 'flagged.public-controls-unstated.yaml',
      findings: [{ messageId: 'authnUnstated', primary: ['docs-search'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.strong-authn.yaml', 'clean.behind-authenticating-gateway.yaml'],
});

describe('exposed-search-engine supersedes internet-to-crown-jewels-path', () => {
  it('reports the open cluster once, as an exposed search engine', () => {
    const view = loadFixture(new URL('flagged.open-elasticsearch.yaml', import.meta.url).pathname);
    const alone = analyze(view, [internetToCrownJewelsPath]).findings.map((f) => f.ruleId);
    expect(alone).toEqual(['internet-to-crown-jewels-path']);
    const both = analyze(view, [rule, internetToCrownJewelsPath]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(both).toEqual(['exposed-search-engine profile-search']);
  });
});
