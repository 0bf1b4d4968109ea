import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import singleFactor from '../single-factor-access-to-crown-jewels/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.public-admin-console.yaml',
      findings: [
        {
          messageId: 'unrestricted',
          primary: ['operator-administers-billing'],
          confidence: 'confirmed',
          subjects: ['operator', 'billing-console'],
        },
      ],
    },
    {
      fixture: 'flagged.admin-behind-gateway-unstated.yaml',
      findings: [
        {
          messageId: 'unstated',
          primary: ['lb-to-admin-api'],
          confidence: 'assumed',
          subjects: ['support-engineer', 'admin-lb', 'tenant-admin-api'],
        },
      ],
    },
  ],
  clean: ['clean.admin-with-allowlist-and-mfa.yaml', 'clean.admin-over-vpn.yaml'],
});

describe('unrestricted-admin-access-from-internet supersedes single-factor-access-to-crown-jewels', () => {
  it('reports an operator flow once, as unrestricted admin access', () => {
    const view = loadFixture(new URL('flagged.public-admin-console.yaml', import.meta.url).pathname);
    expect(analyze(view, [singleFactor]).findings.map((f) => f.ruleId)).toEqual([
      'single-factor-access-to-crown-jewels',
    ]);
    const rules = analyze(view, [rule, singleFactor]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(rules).toEqual(['unrestricted-admin-access-from-internet operator-administers-billing']);
  });
});
