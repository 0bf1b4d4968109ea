/**
 * The importer contract (STYLE 9): every importer runs this one suite. Its output validates through the
 * model loader, is ordered and byte-identical on a rerun, locates every element in the input with
 * `source`, and odd input (empty, binary-ish, huge lines, only code, unicode, another language) never
 * makes it throw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../model/diagnostics.js';
import { loadModelSources } from '../model/load.js';
import { MODEL_LISTS, type ModelFile, type Source } from '../model/schema.js';
import { parseSource, SourceFile } from '../model/source-file.js';
import { IMPORTERS, type ImportInput } from './index.js';
import { renderModelJson, renderModelYaml } from './render.js';

/** Sample inputs per importer: real descriptions from the evaluation set. */
const SAMPLES: Record<string, ImportInput[]> = {
  english: (() => {
    const dir = fileURLToPath(new URL('../../test/english/', import.meta.url));
    return readdirSync(dir)
      .filter((f) => /\.(?:md|txt)$/.test(f))
      .sort()
      .map((f) => ({ file: `test/english/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
  })(),
};

const ODD: ImportInput[] = [
  { file: 'empty.md', text: '' },
  { file: 'blank.md', text: '   \n\n\t\n' },
  {
    file: 'binaryish.txt',
    text: `\u0000\u0001\u0002\u0003PK\u0003\u0004\uFFFD\uFFFD${'\u0007'.repeat(100)}`,
  },
  {
    file: 'huge-line.md',
    text: `The Orders service calls the Billing service. ${'and then it calls the Billing service again '.repeat(3000)}`,
  },
  { file: 'long-word.md', text: `${'x'.repeat(200_000)} calls orders-db.` },
  {
    file: 'code-only.md',
    text: '```yaml\ncomponents:\n  - id: api\n```\n\n```sh\nkubectl apply -f deploy.yaml\n```\n',
  },
  {
    file: 'unicode.md',
    text: 'Die Bestell-API 🚀 speichert Kundendaten in der Datenbank. 注文サービスはデータベースを呼び出します。 The Orders service ✓ writes to orders-db.',
  },
  {
    file: 'german.md',
    text: 'Der Bestelldienst ruft den Lagerdienst über HTTP ohne Authentifizierung auf. Beide laufen im selben VPC. Die Datenbank speichert personenbezogene Daten und ist nicht verschlüsselt.',
  },
  {
    file: 'markup.md',
    text: '| a | b |\n|---|---|\n| | |\n\n> quote\n\n* \n\n# \n\n[link](http://x) ![img](y.png) <!-- c -->\n\n---\n',
  },
  {
    file: 'pronouns-only.txt',
    text: 'It calls it. They call them. Both are there. The database is the database.',
  },
  {
    file: 'crlf.txt',
    text: 'The Orders service calls the Billing service over HTTPS.\r\nIt writes to orders-db.\r\n',
  },
];

function elements(model: ModelFile): { list: string; id: string; source: Source | undefined }[] {
  const out: { list: string; id: string; source: Source | undefined }[] = [];
  for (const list of MODEL_LISTS) {
    const items = (model[list] ?? []) as { id?: string; from?: string; to?: string; source?: Source }[];
    for (const e of items) out.push({ list, id: e.id ?? `${e.from}->${e.to}`, source: e.source });
  }
  return out;
}

function validate(model: ModelFile, file: string) {
  const yaml = renderModelYaml(model, { schemaRef: 'schema.json', inputs: [file], from: 'test', unused: [] });
  const parsed = parseSource(`${file}.yaml`, yaml);
  if (!parsed.ok) throw new Error(formatDiagnostics(parsed.diagnostics).join('\n'));
  return {
    yaml,
    loaded: loadModelSources([parsed.source]),
    direct: loadModelSources([new SourceFile(file, '', model)]),
  };
}

for (const importer of Object.values(IMPORTERS)) {
  describe(`importer contract: ${importer.name}`, () => {
    const samples = SAMPLES[importer.name] ?? [];

    it('has samples to check', () => {
      expect(samples.length).toBeGreaterThan(0);
    });

    for (const sample of samples) {
      it(`${sample.file}: valid output, every element located, identical on a rerun`, () => {
        const a = importer.run([sample]);
        expect(a.empty).toBe(false);
        const { yaml, loaded, direct } = validate(a.model, sample.file);
        if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics).join('\n'));
        expect(direct.ok).toBe(true);
        // Same text, same model, same bytes, same order.
        const b = importer.run([{ ...sample }]);
        expect(renderModelJson(b.model)).toBe(renderModelJson(a.model));
        expect(validate(b.model, sample.file).yaml).toBe(yaml);
        expect(b.unused).toEqual(a.unused);
        // Every element says where it was read.
        const lines = sample.text.split(/\r\n|\r|\n/);
        for (const e of elements(a.model)) {
          expect(e.source, `${e.list} ${e.id} has a source`).toBeDefined();
          const s = e.source as Source;
          expect(s.file).toBe(sample.file);
          expect(s.origin).toBe(importer.origin);
          expect(s.line).toBeGreaterThanOrEqual(1);
          expect(s.line).toBeLessThanOrEqual(lines.length);
          expect(s.col).toBeGreaterThanOrEqual(1);
          expect((lines[s.line - 1] ?? '').length + 1).toBeGreaterThanOrEqual(s.col);
          expect(s.text?.length ?? 0).toBeGreaterThan(0);
        }
        // Unused input is located too.
        for (const u of a.unused) {
          expect(u.file).toBe(sample.file);
          expect(u.line).toBeGreaterThanOrEqual(1);
          expect(u.text.length).toBeGreaterThan(0);
        }
      });
    }

    it('reads several inputs as one, with each element located in its own input', () => {
      const [first, second] = samples;
      if (!first || !second) return;
      const r = importer.run([first, second]);
      const { loaded } = validate(r.model, first.file);
      expect(loaded.ok).toBe(true);
      const files = new Set(elements(r.model).map((e) => e.source?.file));
      expect([...files].every((f) => f === first.file || f === second.file)).toBe(true);
    });

    for (const odd of ODD) {
      it(`does not throw on odd input: ${odd.file}`, () => {
        const started = performance.now();
        const r = importer.run([odd]);
        expect(performance.now() - started).toBeLessThan(10_000);
        const { loaded } = validate(r.model, odd.file);
        if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics).join('\n'));
        expect(Array.isArray(r.unused)).toBe(true);
        expect(Array.isArray(r.warnings)).toBe(true);
        expect(importer.run([odd]).model).toEqual(r.model);
      });
    }
  });
}
