import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { starterModel } from '../cli/commands/starter-model.js';
import { modelSchemaText, SCHEMA_FILE } from './json-schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, SCHEMA_FILE), 'utf8')) as Record<string, unknown>;
const readYaml = (file: string): unknown =>
  parse(readFileSync(file, 'utf8'), { version: '1.2', schema: 'core' });

// ajv is CommonJS; its class is also its own `default`, which works under every ESM interop.
const ajv = new Ajv2020.default({ strict: true, allErrors: true });
const validate = ajv.compile(schema);
const errorsOf = (data: unknown): string[] =>
  validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);

describe('the committed JSON Schema', () => {
  it('is current with the runtime schema', () => {
    expect(readFileSync(join(ROOT, SCHEMA_FILE), 'utf8')).toBe(modelSchemaText());
  });

  it('accepts every example in examples/', () => {
    const dir = join(ROOT, 'examples');
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length, 'examples/*.yaml is empty').toBeGreaterThan(0);
    for (const f of files) expect(errorsOf(readYaml(join(dir, f))), f).toEqual([]);
  });

  it('accepts the init starter model', () => {
    expect(errorsOf(parse(starterModel('./schema/threatkrew.schema.json')))).toEqual([]);
  });

  it('accepts derived flow ids where a flow may be referenced', () => {
    const model = {
      threatkrew: 1,
      name: 'x',
      questions: [{ id: 'q', subject: 'a->b', attribute: 'encrypted', text: '?' }],
      risks: [{ rule: 'unencrypted-flow', primary: ['a->b'], status: 'false-positive', reason: 'ok' }],
    };
    expect(errorsOf(model)).toEqual([]);
  });

  it('rejects what the loader rejects: unknown keys, bad enum values, unquoted ids, missing version', () => {
    expect(errorsOf({ threatkrew: 1, name: 'x', component: [] })).not.toEqual([]);
    expect(errorsOf({ threatkrew: 1, components: [{ id: 'a', kind: 'databse' }] })).not.toEqual([]);
    expect(errorsOf({ threatkrew: 1, components: [{ id: 123, kind: 'service' }] })).not.toEqual([]);
    expect(errorsOf({ threatkrew: 1, components: [{ id: 'a', kind: 'cache', replicas: 0 }] })).not.toEqual(
      [],
    );
    expect(errorsOf({ threatkrew: 1, flows: [{ from: 'a', to: 'b', encrypted: 'yes' }] })).not.toEqual([]);
    expect(errorsOf({ name: 'x' })).not.toEqual([]);
    expect(errorsOf({ threatkrew: 2 })).not.toEqual([]);
  });
});
