/** The JSON nesting check that guards the parser (`jsonTooDeep`), against a character-by-character scan. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonTooDeep, MAX_NESTING } from './source-file.js';

/** The plain scan: every character, skipping string contents one escape at a time. */
function reference(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

describe('the JSON nesting check', () => {
  it('finds the first bracket nested too deep, outside strings', () => {
    const deep = `${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`;
    expect(jsonTooDeep(deep)).toBe(MAX_NESTING);
    expect(jsonTooDeep(`["${'['.repeat(100)}", "\\\\", "\\"[[[["]`)).toBeUndefined();
    // The object is one level: the 64th bracket after its first key (8 characters in) is one too many.
    expect(jsonTooDeep(`{"a\\\\": ${deep}}`)).toBe(8 + MAX_NESTING - 1);
  });

  it('agrees with a character-by-character scan', () => {
    const piece = fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\\\', '\\"', 'a', ',', ':', ' ');
    const text = fc.oneof(
      fc.array(piece, { maxLength: 200 }).map((p) => p.join('')),
      fc.integer({ min: 0, max: 80 }).map((n) => `${'[{"\\\\":'.repeat(n)}1`),
      fc.jsonValue({ maxDepth: 80 }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(jsonTooDeep(t)).toBe(reference(t));
      }),
      { numRuns: 3000 },
    );
  });
});
