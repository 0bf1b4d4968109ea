import { describe, expect, it } from 'vitest';
import { listText, truncatedList } from './text.js';

describe('text', () => {
  it('listText: a stated list in brackets (even an empty one), else not stated', () => {
    expect(listText(['waf', 'mfa'])).toBe('[waf, mfa]');
    expect(listText([])).toBe('[]');
    expect(listText(undefined)).toBe('not stated');
  });

  it('truncatedList names at most max items, then how many more', () => {
    expect(truncatedList(['a', 'b'], 2)).toBe('a, b');
    expect(truncatedList(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
    expect(truncatedList([], 3)).toBe('');
  });
});
