import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import missingAuthentication from '../missing-authentication/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.public-api-server.yaml',
      findings: [{ messageId: 'exposed', primary: ['prod-cluster-api'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.anonymous-from-internet.yaml',
      findings: [
        {
          messageId: 'weakAccess',
          primary: ['k8s-api-server'],
          confidence: 'confirmed',
          subjects: ['operator-kubectl', 'operator'],
        },
      ],
    },
    {
      fixture: 'flagged.allowlist-unstated.yaml',
      findings: [{ messageId: 'allowlistUnstated', primary: ['aks-api'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.authorized-networks.yaml', 'clean.vpn-only.yaml'],
});

describe('exposed-container-control-plane supersedes missing-authentication', () => {
  it('reports the anonymous API server once, as an exposed control plane', () => {
    const view = loadFixture(new URL('flagged.anonymous-from-internet.yaml', import.meta.url).pathname);
    const rules = analyze(view, [rule, missingAuthentication]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(rules).toEqual(['exposed-container-control-plane k8s-api-server']);
  });
});
