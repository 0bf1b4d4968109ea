import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import unencryptedFlow from '../unencrypted-flow/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.cross-region-replica-plaintext.yaml',
      findings: [
        {
          messageId: 'plaintext',
          primary: ['orders-db-replication'],
          confidence: 'confirmed',
          subjects: ['orders-db', 'orders-db-replica', 'customer-pii'],
        },
      ],
    },
    {
      fixture: 'flagged.backup-encryption-unstated.yaml',
      findings: [{ messageId: 'unknown', primary: ['nightly-backup'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.tls-replication.yaml'],
});

describe('unencrypted-replication supersedes unencrypted-flow', () => {
  it('reports the replication flow once, as replication', () => {
    const view = loadFixture(
      new URL('flagged.cross-region-replica-plaintext.yaml', import.meta.url).pathname,
    );
    const rules = analyze(view, [rule, unencryptedFlow]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(rules).toEqual(['unencrypted-replication orders-db-replication']);
  });
});
