/**
 * The contract every reporter keeps (STYLE 9): it renders every example and odd models, never throws,
 * and gives byte-identical output for the same analysis.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../engine/analysis.js';
import { analyze } from '../engine/run-rules.js';
import { formatDiagnostics } from '../model/diagnostics.js';
import { loadModelFiles, loadModelSources } from '../model/load.js';
import { parseSource } from '../model/source-file.js';
import { CATALOGUE } from '../rules/catalog/index.js';
import { REPORT_WRITERS, REPORTERS } from './index.js';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const ctx = { toolVersion: '0.0.0-test', cwd: process.cwd() };

function fromFile(path: string): Analysis {
  const loaded = loadModelFiles([path]);
  if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics).join('\n'));
  return analyze(loaded.view, CATALOGUE, { asOf: '2026-06-01' });
}

function fromYaml(name: string, yaml: string): Analysis {
  const parsed = parseSource(`${name}.yaml`, yaml);
  if (!parsed.ok) throw new Error('bad yaml');
  const loaded = loadModelSources([parsed.source]);
  if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics).join('\n'));
  return analyze(loaded.view, CATALOGUE, { asOf: '2026-06-01' });
}

const ODD: Record<string, string> = {
  empty: 'threatkrew: 1\nname: Empty\n',
  'no-boundaries':
    'threatkrew: 1\nname: Loose\ncomponents:\n  - { id: a, kind: service }\n  - { id: b, kind: datastore }\nflows:\n  - { from: a, to: b }\n  - { from: b, to: a }\n',
  'hostile-text': `threatkrew: 1
name: "<script>alert(1)</script> | =cmd() \\"quoted\\" ünïcødé 🚀"
description: "line one\\nline two | with # and * and \`ticks\`"
boundaries:
  - { id: "net/1", kind: network, name: "</svg><b>bold</b>" }
components:
  - { id: "a@b:c", kind: user, name: "@SUM(1,2)", in: "net/1" }
  - { id: web.1, kind: service, name: "-2+3 \\"web\\"", in: "net/1", exposure: public }
  - { id: db_1, kind: datastore, name: "=HYPERLINK()", stores: [pii], in: "net/1" }
data:
  - { id: pii, classification: pii, name: "PII, with comma" }
flows:
  - { from: "a@b:c", to: web.1, protocol: http, authn: none, name: "a -> b ]] }}" }
  - { from: web.1, to: db_1, protocol: postgres, data: [pii] }
`,
};

const cases: [string, () => Analysis][] = [
  ...readdirSync(examplesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f): [string, () => Analysis] => [f, () => fromFile(join(examplesDir, f))]),
  ...Object.entries(ODD).map(([name, yaml]): [string, () => Analysis] => [
    `odd:${name}`,
    () => fromYaml(name, yaml),
  ]),
];

describe('every reporter keeps the reporter contract', () => {
  for (const [format, render] of Object.entries(REPORTERS)) {
    describe(`--format ${format}`, () => {
      for (const [name, make] of cases) {
        it(`renders ${name} without throwing, byte-identical on a rerun`, async () => {
          const first = await render(make(), ctx);
          const second = await render(make(), ctx);
          expect(typeof first).toBe('string');
          expect(first.length).toBeGreaterThan(0);
          expect(first.endsWith('\n')).toBe(true);
          expect(second).toBe(first);
          if (format === 'json' || format === 'sarif') expect(() => JSON.parse(first)).not.toThrow();
          if (format === 'html') {
            expect(first).not.toMatch(/<script>alert/);
            expect(first).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
          }
        });
      }
    });
  }
});

describe('a reporter that writes in pieces writes what it renders', () => {
  for (const [format, load] of Object.entries(REPORT_WRITERS)) {
    const render = REPORTERS[format];
    it(`--format ${format} has a renderer too`, () => {
      expect(render).toBeDefined();
    });
    for (const [name, make] of cases) {
      it(`--format ${format}: ${name} in pieces is byte-identical to the whole`, async () => {
        const analysis = make();
        const write = await load();
        const chunks: string[] = [];
        write(analysis, ctx, (chunk) => chunks.push(chunk));
        expect(chunks.join('')).toBe(await render?.(analysis, ctx));
      });
    }
    it(`--format ${format}: long lists, written in several batches, are byte-identical too`, async () => {
      const [, make] = cases[0] as [string, () => Analysis];
      const one = make();
      const many =
        (n: number) =>
        <T>(list: readonly T[]) =>
          Array.from({ length: n }, () => list).flat();
      const analysis: Analysis = {
        ...one,
        findings: many(300)(one.findings),
        attackPaths: many(300)(one.attackPaths),
        questions: many(300)(one.questions),
      };
      const write = await load();
      const chunks: string[] = [];
      write(analysis, ctx, (chunk) => chunks.push(chunk));
      expect(chunks.length).toBeGreaterThan(2);
      expect(chunks.join('')).toBe(await render?.(analysis, ctx));
    });
  }
});
