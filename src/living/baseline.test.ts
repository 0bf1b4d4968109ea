import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { analyze } from '../engine/run-rules.js';
import { analysisJson } from '../reporters/json/json.js';
import { CATALOGUE } from '../rules/catalog/index.js';
import { baselineIds, markBaseline } from './baseline.js';
import { analysisOf, loadYaml } from './testing/fixtures.js';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

type Data = Record<string, unknown>;

/** The fingerprints of the findings of a model given as data. */
function ids(data: Data): string[] {
  const loaded = loadYaml({ 'model.yaml': stringify(data) });
  return analyze(loaded.view, CATALOGUE, { asOf: '2026-06-01' })
    .findings.map((f) => f.id)
    .sort();
}

/** The lists whose items have display names. */
const ELEMENTS = ['boundaries', 'components', 'identities', 'data', 'flows', 'assumptions'];

function mapItems(data: Data, fn: (item: Data) => Data): Data {
  const out: Data = { ...data };
  for (const list of ELEMENTS) if (Array.isArray(data[list])) out[list] = (data[list] as Data[]).map(fn);
  return out;
}

/** Every mapping's keys, and every list, in reverse order. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return [...v].reverse().map(reversed);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Data)
        .reverse()
        .map(([k, x]) => [k, reversed(x)]),
    );
  }
  return v;
}

describe('fingerprints survive what does not change the architecture', () => {
  for (const file of examples) {
    const data = parse(readFileSync(join(examplesDir, file), 'utf8')) as Data;
    const before = ids(data);

    it(`${file}: renaming every display name and the model`, () => {
      const renamed = mapItems({ ...data, name: 'Another name' }, (item) => ({
        ...item,
        name: `Renamed ${String(item.id ?? 'flow')}`,
        description: 'A different description.',
      }));
      expect(ids(renamed)).toEqual(before);
    });

    it(`${file}: reordering every list and every key of the file`, () => {
      expect(ids(reversed(data) as Data)).toEqual(before);
    });

    it(`${file}: adding elements the findings do not rest on`, () => {
      const grown: Data = {
        ...data,
        boundaries: [...((data.boundaries as Data[]) ?? []), { id: 'added-lab', kind: 'network' }],
        components: [
          ...((data.components as Data[]) ?? []),
          { id: 'added-tool', kind: 'service', in: 'added-lab', controls: [] },
        ],
        data: [...((data.data as Data[]) ?? []), { id: 'added-notes', classification: 'public' }],
        assumptions: [
          ...((data.assumptions as Data[]) ?? []),
          { id: 'added-assumption', text: 'Nothing new.' },
        ],
      };
      const after = ids(grown);
      expect(after).toEqual(expect.arrayContaining(before));
    });
  }
});

describe('baselines', () => {
  const MODEL = `threatkrew: 1
name: Base
components:
  - { id: api, kind: service }
  - { id: worker, kind: service }
flows:
  - { from: api, to: worker, protocol: https, authn: none }
`;

  it('read the finding ids of a JSON analysis and mark each finding new or unchanged', () => {
    const base = analysisOf(MODEL);
    const json = JSON.parse(JSON.stringify(analysisJson(base, '0.0.0')));
    const read = baselineIds(json);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const grown = analysisOf(
      MODEL.replace('authn: none }', 'authn: none }\n  - { from: worker, to: api, authn: none }'),
    );
    const marked = markBaseline(grown, read.ids);
    expect(marked.findings.map((f) => [f.primary.join(','), f.baselineState])).toEqual([
      ['api->worker', 'unchanged'],
      ['worker->api', 'new'],
    ]);
    expect(grown.findings.every((f) => f.baselineState === undefined)).toBe(true);
  });

  it('refuse anything that is not a ThreatKrew analysis, saying where', () => {
    expect(baselineIds([])).toMatchObject({
      ok: false,
      path: [],
      message: expect.stringMatching(/no `schema`/),
    });
    expect(baselineIds({ schema: 'threatkrew/diff@1', findings: [] })).toMatchObject({
      ok: false,
      path: ['schema'],
      message: expect.stringContaining('expected "threatkrew/analysis@1"'),
    });
    expect(baselineIds({ schema: 'threatkrew/analysis@1' })).toMatchObject({ ok: false, path: ['findings'] });
    expect(baselineIds({ schema: 'threatkrew/analysis@1', findings: [{ id: 'nope' }] })).toMatchObject({
      ok: false,
      path: ['findings', 0],
    });
    expect(baselineIds({ schema: 'threatkrew/analysis@1', findings: [] })).toMatchObject({ ok: true });
  });
});
