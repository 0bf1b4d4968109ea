/**
 * The fast YAML reader against the `yaml` library: whenever it gives a value, the library reads the same
 * text without an error and to the same value (key order included); the model files we ship and the
 * common forms are read by it, not handed back to the library.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { starterModel } from '../cli/commands/starter-model.js';
import { readSimpleYaml } from './yaml-fast.js';

/** The library with the options `parseSource` gives it; undefined when it reports an error. */
function library(text: string): { value: unknown } | undefined {
  const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) return undefined;
  return { value: doc.toJS({ maxAliasCount: 1000 }) };
}

/** Same value, same key order, same types (-0 and 0 apart). */
function expectSame(text: string): boolean {
  const fast = readSimpleYaml(text);
  if (fast === undefined) return false;
  const lib = library(text);
  expect(lib, `the library rejects what the fast reader read:\n${text}`).toBeDefined();
  expect(JSON.stringify(fast.value)).toBe(JSON.stringify(lib?.value));
  expect(fast.value).toStrictEqual(lib?.value);
  return true;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const files = [
  ...readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(root, 'examples', f)),
  ...readdirSync(join(root, 'src/model/testdata'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(root, 'src/model/testdata', f)),
];

describe('the fast YAML reader', () => {
  it.each(files)('reads %s as the library does', (file) => {
    expect(expectSame(readFileSync(file, 'utf8'))).toBe(true);
  });

  it('reads the starter model as the library does', () => {
    expect(expectSame(starterModel('Starter'))).toBe(true);
  });

  const READ: [string, string][] = [
    ['block mapping', 'a: 1\nb: two\nc:\n'],
    ['nested blocks', 'a:\n  b:\n    - x\n    - y: 1\n      z: [1, 2]\n'],
    ['sequence at the key column', 'list:\n- a\n- b\nnext: 3\n'],
    ['compact mappings', 'items:\n  -   id: a\n      kind: b\n  - id: c\n'],
    ['empty items', 'a:\n  -\n  - x\n  -\n    k: v\n'],
    ['flow over lines', 'f: { a: x, b: [1, 2],\n     c: "q" }\ng: [a,\n  b]\n'],
    ['comments', '# head\na: 1 # one\n\n  # indented\nb: [x, # in flow\n  y]\n'],
    [
      'scalars',
      'a: ~\nb: null\nc: True\nd: FALSE\ne: -12\nf: 0\ng: "007"\nh: 007x\ni: 837-claims\nj: .foo\n',
    ],
    ['plain scalars with indicators inside', 'a: shop/*\nb: http://x:80/y\nc: a, b] c\nd: x#y\ne: -foo\n'],
    ['quoted', `a: "x \\" \\\\ \\n \\u00e9 \\/"\nb: 'it''s'\n"c d": 1\n'e': 2\n`],
    ['literal and folded', 'a: |\n  one\n   two\n\n  three\nb: >-\n  one\n  two\n\n  three\n\nc: 1\n'],
    ['block scalar in a sequence', 'l:\n  - >\n    x\n    y\n  - z\n'],
    ['unicode', 'naïve: "🚀"\nb: ünïcødé text\n'],
  ];
  it.each(READ)('reads %s', (_name, text) => {
    expect(expectSame(text)).toBe(true);
  });

  const GIVEN_BACK: [string, string][] = [
    ['floats', 'a: 1.5\n'],
    ['octal', 'a: 0o17\n'],
    ['big integers', 'a: 123456789012345678\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['duplicate flow keys', 'a: { x: 1, x: 2 }\n'],
    ['multi-line plain scalars', 'a: one\n  two\n'],
    ['multi-line quoted scalars', 'a: "one\n  two"\n'],
    ['tabs', 'a:\t1\n'],
    ['carriage returns', 'a: 1\r\n'],
    ['documents', '---\na: 1\n'],
    ['explicit keys', '? a\n: 1\n'],
    ['keep chomping', 'a: |+\n  x\n\n'],
    ['more-indented folded lines', 'a: >\n  x\n    y\n'],
    ['non-string keys', '1: a\n'],
    ['merge keys', '<<: {a: 1}\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['a scalar document', 'just text\n'],
    ['an error', 'a: [1, 2\n'],
    ['trailing comma', 'a: [1, 2,]\n'],
    ['a nested mapping on one line', 'a: b: c\n'],
  ];
  it.each(GIVEN_BACK)('gives %s back to the library', (_name, text) => {
    expect(readSimpleYaml(text)).toBeUndefined();
  });

  it('agrees with the library on generated and mutated documents', () => {
    const scalar = fc.oneof(
      fc.constantFrom(
        'a',
        'b c',
        'x-1',
        'null',
        'true',
        '1',
        '-2',
        '0.5',
        '',
        ' ',
        '#',
        ': ',
        "'",
        '"',
        '\\',
        'é',
      ),
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -1000, max: 1000 }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('id', 'kind', 'a b', 'x', 'in', 'from'), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const doc = fc.record({
      value: fc.dictionary(fc.constantFrom('name', 'components', 'flows', 'k', 'list'), value, {
        minKeys: 1,
      }),
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom(
        'PLAIN',
        'QUOTE_DOUBLE',
        'QUOTE_SINGLE',
        'BLOCK_LITERAL',
        'BLOCK_FOLDED',
      ),
      mutations: fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom(
            '',
            ' ',
            '\n',
            ':',
            '- ',
            '#',
            '"',
            "'",
            '[',
            ']',
            '{',
            '}',
            ',',
            '|',
            '>',
            'a',
            '1',
            '.',
            '~',
          ),
          fc.nat({ max: 2 }),
        ),
        { maxLength: 3 },
      ),
    });
    let read = 0;
    let mutated = 0;
    fc.assert(
      fc.property(doc, ({ value, collectionStyle, defaultStringType, mutations }) => {
        let text = stringify(value, { collectionStyle, defaultStringType, lineWidth: 0 });
        for (const [at, insert, remove] of mutations) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + remove);
        }
        if (expectSame(text)) {
          read++;
          if (mutations.length > 0) mutated++;
        }
      }),
      { numRuns: 3000 },
    );
    // The property means something only if the reader takes a good share of the documents itself.
    expect(read).toBeGreaterThan(300);
    expect(mutated).toBeGreaterThan(100);
  });
});
