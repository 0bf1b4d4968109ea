/**
 * The compiled fast path of schema validation against zod: whenever it answers, zod accepts the same
 * value and gives the same output (values, types and key order); it answers for the models we ship.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { starterModel } from '../cli/commands/starter-model.js';
import { fastParse, hasFastPath } from './fast-schema.js';
import { modelFileSchema, risksFileSchema } from './schema.js';
import { parseSource } from './source-file.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const root = fileURLToPath(new URL('../../', import.meta.url));
const seeds: [string, unknown][] = [
  ...readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f): [string, unknown] => {
      const path = join(root, 'examples', f);
      const r = parseSource(path, readFileSync(path, 'utf8'));
      if (!r.ok) throw new Error(`cannot read ${path}`);
      return [f, r.source.data];
    }),
  [
    'starter',
    (parseSource('starter.yaml', starterModel('Starter')) as { source: { data: unknown } }).source.data,
  ],
];

/** The fast path's answer, checked against zod's; whether it answered. */
function agrees(value: unknown): boolean {
  const fast = fastParse(modelFileSchema, value);
  if (!fast) return false;
  const zod = modelFileSchema.safeParse(value);
  expect(zod.success, 'zod rejects what the fast path accepted').toBe(true);
  expect(JSON.stringify(fast.data)).toBe(JSON.stringify(zod.data));
  expect(fast.data).toStrictEqual(zod.data);
  return true;
}

describe('the fast path of schema validation', () => {
  it('is compiled for the model and risks schemas (it must not lapse into zod unnoticed)', () => {
    expect(hasFastPath(modelFileSchema)).toBe(true);
    expect(hasFastPath(risksFileSchema)).toBe(true);
  });

  it.each(seeds)('accepts %s with zod’s output', (_name, data) => {
    expect(agrees(data)).toBe(true);
  });

  it('leaves invalid files to zod', () => {
    for (const bad of [
      null,
      [],
      { threatkrew: 2 },
      { threatkrew: 1, name: 'x', extra: true },
      { threatkrew: 1, components: [{ id: 'a b', kind: 'service' }] },
      { threatkrew: 1, components: [{ id: 'a', kind: 'service', replicas: 1.5 }] },
      { threatkrew: 1, components: [{ id: 'a', kind: 'service', replicas: 0 }] },
      { threatkrew: 1, components: [{ id: 'a', kind: 'nope' }] },
      { threatkrew: 1, data: [{ id: 'd', classification: 'pii', residency: [] }] },
      { threatkrew: 1, flows: [{ from: 'a' }] },
    ]) {
      expect(fastParse(modelFileSchema, bad)).toBeUndefined();
      expect(modelFileSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('agrees with zod on mutated models', () => {
    const anyJson: fc.Arbitrary<Json> = fc.oneof(
      fc.constantFrom(
        'a',
        'service',
        'pii',
        'x y',
        '*',
        'unknown',
        '',
        1,
        0,
        -0,
        1.5,
        1e300,
        Number.MAX_SAFE_INTEGER + 2,
        true,
        false,
        null,
        [],
        {},
        ['read'],
        ['a', 'a'],
      ),
      fc.string({ maxLength: 4 }),
      fc.integer(),
    );
    const mutation = fc.record({
      at: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      op: fc.constantFrom('set', 'delete', 'add-key', 'reorder'),
      key: fc.constantFrom('id', 'kind', 'in', 'name', 'encrypted', 'replicas', 'extra', 'stores', 'from'),
      value: anyJson,
    });
    let answered = 0;
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { maxLength: 3 }), (seed, muts) => {
        const data = structuredClone(seeds[seed]?.[1]) as Json;
        for (const m of muts) mutate(data, m.at, m.op, m.key, m.value);
        if (agrees(data)) answered++;
      }),
      { numRuns: 1500 },
    );
    // The property means something only if the fast path answers for a good share of the models.
    expect(answered).toBeGreaterThan(300);
  });
});

/** Walks down `at` (indexes into the keys or items at each level) and changes what it reaches. */
function mutate(data: Json, at: readonly number[], op: string, key: string, value: Json): void {
  let node = data;
  for (const i of at) {
    const next: Json | undefined = Array.isArray(node)
      ? node[i % Math.max(node.length, 1)]
      : node && typeof node === 'object'
        ? node[Object.keys(node)[i % Math.max(Object.keys(node).length, 1)] as string]
        : undefined;
    if (next === undefined || next === null || typeof next !== 'object') break;
    node = next;
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) return;
  const obj = node as { [key: string]: Json };
  if (op === 'set' && key in obj) obj[key] = value;
  else if (op === 'delete') delete obj[key];
  else if (op === 'add-key') obj[key] = value;
  else if (op === 'reorder') {
    const entries = Object.entries(obj).reverse();
    for (const [k] of entries) delete obj[k];
    for (const [k, v] of entries) obj[k] = v;
  }
}
