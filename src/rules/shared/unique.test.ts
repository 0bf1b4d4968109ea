import { describe, expect, it } from 'vitest';
import { uniqueById, uniqueUnknowns } from './unique.js';

describe('unique', () => {
  it('uniqueById keeps one of each id, in the order ids first occur', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    expect(uniqueById([b, a, b, a])).toEqual([b, a]);
    expect(uniqueById([])).toEqual([]);
  });

  it('uniqueUnknowns keeps one question per subject and attribute', () => {
    const unknowns = [
      { subject: 'gw', attribute: 'enforces' },
      { subject: 'api', attribute: 'controls' },
      { subject: 'gw', attribute: 'enforces' },
      { subject: 'gw', attribute: 'controls' },
    ];
    expect(uniqueUnknowns(unknowns)).toEqual([
      { subject: 'gw', attribute: 'enforces' },
      { subject: 'api', attribute: 'controls' },
      { subject: 'gw', attribute: 'controls' },
    ]);
  });
});
