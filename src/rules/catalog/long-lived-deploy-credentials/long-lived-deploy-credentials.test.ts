import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import longLivedCredentials from '../long-lived-credentials/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.key-in-ci-variables.yaml',
      findings: [
        {
          messageId: 'longLived',
          primary: ['deploy-sa'],
          confidence: 'confirmed',
          subjects: ['build-pipeline', 'deploy-orders', 'orders-service'],
        },
      ],
    },
    {
      fixture: 'flagged.lifetime-unstated.yaml',
      findings: [
        {
          messageId: 'lifetimeUnstated',
          primary: ['release-role'],
          confidence: 'assumed',
          subjects: ['release-pipeline', 'prod-cluster-api'],
        },
      ],
    },
  ],
  clean: ['clean.oidc-federation.yaml', 'clean.staging-only.yaml'],
});

describe('long-lived-deploy-credentials supersedes long-lived-credentials', () => {
  it('reports the standing deploy key once, as a deploy credential', () => {
    const view = loadFixture(new URL('flagged.key-in-ci-variables.yaml', import.meta.url).pathname);
    const rules = analyze(view, [rule, longLivedCredentials]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(rules).toEqual(['long-lived-deploy-credentials deploy-sa']);
  });
});
