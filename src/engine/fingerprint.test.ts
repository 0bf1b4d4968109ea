import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';

describe('fingerprint', () => {
  it('is the first 16 hex characters of SHA-256 over rule id, newline and sorted primary ids', () => {
    const expected = createHash('sha256').update('unencrypted-flow\na->b,c').digest('hex').slice(0, 16);
    expect(fingerprint('unencrypted-flow', ['c', 'a->b'])).toBe(expected);
    expect(fingerprint('unencrypted-flow', ['a->b', 'c'])).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{16}$/);
  });

  it('sorts by UTF-16 code units, not locale', () => {
    expect(fingerprint('r', ['b', 'B', 'a'])).toBe(fingerprint('r', ['B', 'a', 'b']));
    const direct = createHash('sha256').update('r\nB,a,b').digest('hex').slice(0, 16);
    expect(fingerprint('r', ['b', 'a', 'B'])).toBe(direct);
  });

  it('depends on the rule and the primary ids only', () => {
    expect(fingerprint('x', ['a'])).not.toBe(fingerprint('y', ['a']));
    expect(fingerprint('x', ['a'])).not.toBe(fingerprint('x', ['b']));
  });
});
