import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import implicitTrust from '../implicit-trust-in-network/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.unauthenticated-publisher.yaml',
      findings: [
        {
          messageId: 'unauthenticated',
          primary: ['checkout-publishes-orders'],
          confidence: 'confirmed',
          subjects: ['checkout', 'payment-orders', 'settlement-worker'],
        },
      ],
    },
    {
      fixture: 'flagged.consumer-authn-unstated.yaml',
      findings: [{ messageId: 'unstated', primary: ['mailer-reads-queue'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.sasl-authenticated.yaml'],
});

describe('unauthenticated-message-channel supersedes implicit-trust-in-network', () => {
  it('reports the producer connection once, as a message-channel finding', () => {
    const view = loadFixture(new URL('flagged.unauthenticated-publisher.yaml', import.meta.url).pathname);
    expect(analyze(view, [implicitTrust]).findings.map((f) => f.primary.join(','))).toEqual([
      'checkout-publishes-orders',
    ]);
    const rules = analyze(view, [rule, implicitTrust]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(rules).toEqual(['unauthenticated-message-channel checkout-publishes-orders']);
  });
});
