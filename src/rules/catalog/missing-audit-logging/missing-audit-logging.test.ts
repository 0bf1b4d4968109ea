import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import unauditedAuthenticationEvents from '../unaudited-authentication-events/rule.js';
import unauditedPrivilegedAccess from '../unaudited-privileged-access/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.customer-db-without-audit-log.yaml',
      findings: [
        {
          messageId: 'unaudited',
          primary: ['orders-db'],
          confidence: 'confirmed',
          subjects: ['customer-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.idp-controls-unstated.yaml',
      findings: [{ messageId: 'unstated', primary: ['keycloak'], confidence: 'assumed' }],
    },
    {
      fixture: 'flagged.reporting-bypasses-audit-proxy.yaml',
      findings: [
        {
          messageId: 'bypassesProxy',
          primary: ['card-vault'],
          confidence: 'confirmed',
          subjects: ['audit-proxy', 'reporting-reads-vault'],
        },
      ],
    },
  ],
  clean: [
    'clean.store-audit-logged.yaml',
    'clean.every-access-through-audit-proxy.yaml',
    'clean.internal-data-only.yaml',
  ],
});

describe('missing-audit-logging supersedes the narrower audit rules', () => {
  const run = (fixture: string) => {
    const view = loadFixture(new URL(fixture, import.meta.url).pathname);
    return analyze(view, [rule, unauditedPrivilegedAccess, unauditedAuthenticationEvents]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
  };

  it('reports an unaudited store that is also administered once, as missing audit logging', () => {
    expect(run('flagged.customer-db-without-audit-log.yaml')).toEqual(['missing-audit-logging orders-db']);
  });

  it('reports an identity provider holding credentials once, as missing audit logging', () => {
    expect(run('flagged.idp-controls-unstated.yaml')).toEqual(['missing-audit-logging keycloak']);
  });

  it('would otherwise report the narrower findings', () => {
    const view = loadFixture(new URL('flagged.customer-db-without-audit-log.yaml', import.meta.url).pathname);
    expect(analyze(view, [unauditedPrivilegedAccess]).findings.map((f) => f.primary.join(','))).toEqual([
      'orders-db',
    ]);
    const idp = loadFixture(new URL('flagged.idp-controls-unstated.yaml', import.meta.url).pathname);
    expect(analyze(idp, [unauditedAuthenticationEvents]).findings.map((f) => f.primary.join(','))).toEqual([
      'keycloak',
    ]);
  });
});
