import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import sharedServiceIdentity from '../shared-service-identity/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.one-role-prod-and-staging.yaml',
      findings: [
        {
          messageId: 'mixedRunners',
          primary: ['orders-role'],
          confidence: 'confirmed',
          subjects: ['orders', 'orders-staging'],
        },
      ],
    },
    {
      fixture: 'flagged.staging-granted-prod-db.yaml',
      findings: [
        {
          messageId: 'nonProductionGrant',
          primary: ['staging-role'],
          confidence: 'confirmed',
          subjects: ['staging-api', 'payments-db'],
        },
      ],
    },
  ],
  clean: ['clean.one-identity-per-environment.yaml'],
});

describe('identity-shared-across-environments supersedes shared-service-identity', () => {
  it('reports a role shared by production and staging once, as shared across environments', () => {
    const view = loadFixture(new URL('flagged.one-role-prod-and-staging.yaml', import.meta.url).pathname);
    expect(analyze(view, [sharedServiceIdentity]).findings.map((f) => f.ruleId)).toEqual([
      'shared-service-identity',
    ]);
    const rules = analyze(view, [rule, sharedServiceIdentity]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(rules).toEqual(['identity-shared-across-environments orders-role']);
  });
});
