import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Analysis, Finding } from '../../engine/analysis.js';
import { analyze } from '../../engine/run-rules.js';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { loadModelFiles } from '../../model/load.js';
import { CATALOGUE } from '../../rules/catalog/index.js';
import { CSV_COLUMNS, csvField, findingCells, guardFormula, renderCsv } from './csv.js';

const HEADER = 'id,severity,confidence,rule,title,primary,subjects,stride,cwe,mitigation,status\r\n';

/**
 * A strict RFC 4180 parser: CRLF after every record (the last one too), fields either plain (no comma,
 * quote, CR or LF) or quoted with quotes doubled inside. Anything else throws.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new Error('unterminated quoted field');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += text[i++];
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
          const c = text[i] as string;
          if (c === '"' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} in a plain field at ${i}`);
          field += c;
          i++;
        }
      }
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r' && text[i + 1] === '\n') {
        i += 2;
        break;
      }
      throw new Error(`expected a comma or CRLF at ${i}`);
    }
    records.push(record);
  }
  return records;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function analysisOf(file: string): Analysis {
  const loaded = loadModelFiles([file]);
  if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics).join('\n'));
  return analyze(loaded.view, CATALOGUE, { asOf: '2026-01-01' });
}

const HOSTILE = `threatkrew: 1
name: "=cmd|' /C calc'!A0"
boundaries:
  - { id: internet, kind: internet }
  - { id: vpc, kind: network, name: "@SUM(1+1)" }
components:
  - { id: user, kind: user, in: internet }
  - { id: api, kind: service, name: "=HYPERLINK(\\"http://evil\\"), \\"quoted\\"", in: vpc }
  - { id: worker, kind: service, name: "line one\\nline two", in: vpc }
flows:
  - { from: user, to: api, protocol: https, authn: oidc }
  - { from: api, to: worker, protocol: http, authn: none }
`;

function crafted(base: Finding): Finding[] {
  return [
    {
      ...base,
      id: '0000000000000001',
      title: '=1+2',
      mitigation: '@SUM(A1:A9)',
      primary: ['+x', '-y'],
      subjects: { components: ['-comp'], flows: [], data: [], identities: [], boundaries: [] },
    },
    { ...base, id: '0000000000000002', title: '-2', mitigation: '\tTAB', cwe: ['\rCR'] },
    { ...base, id: '0000000000000003', title: '=a,b', mitigation: 'say "hi", then\r\nstop\nnow' },
    { ...base, id: '0000000000000004', title: 'a=b', mitigation: ' =not at the start' },
  ];
}

describe('CSV reporter', () => {
  it('writes the header of DESIGN §8 exactly, with CRLF', () => {
    expect(CSV_COLUMNS).toEqual([
      'id',
      'severity',
      'confidence',
      'rule',
      'title',
      'primary',
      'subjects',
      'stride',
      'cwe',
      'mitigation',
      'status',
    ]);
    for (const ex of examples)
      expect(renderCsv(analysisOf(join(examplesDir, ex))).startsWith(HEADER)).toBe(true);
  });

  it('writes one row per finding, in order, that parses back to its cells (strict RFC 4180)', () => {
    let rows = 0;
    for (const ex of examples) {
      const a = analysisOf(join(examplesDir, ex));
      const text = renderCsv(a);
      const records = parseCsv(text);
      expect(records[0]).toEqual([...CSV_COLUMNS]);
      expect(records).toHaveLength(a.findings.length + 1);
      a.findings.forEach((f, i) => {
        const cells = findingCells(f);
        expect(records[i + 1]).toEqual(CSV_COLUMNS.map((c) => guardFormula(cells[c])));
        expect(records[i + 1]?.[0]).toBe(f.id);
        expect(records[i + 1]?.[6]?.split('; ')).toEqual([
          ...f.subjects.components,
          ...f.subjects.flows,
          ...f.subjects.data,
          ...f.subjects.identities,
          ...f.subjects.boundaries,
        ]);
      });
      expect(renderCsv(analysisOf(join(examplesDir, ex)))).toBe(text);
      rows += a.findings.length;
    }
    expect(rows).toBeGreaterThan(0);
  });

  it('quotes names with commas, quotes and newlines from a real model, and parses back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-csv-'));
    const file = join(dir, 'hostile.yaml');
    writeFileSync(file, HOSTILE);
    const a = analysisOf(file);
    expect(a.findings.length).toBeGreaterThan(0);
    const text = renderCsv(a);
    const records = parseCsv(text);
    expect(records).toHaveLength(a.findings.length + 1);
    const mitigations = records.slice(1).map((r) => r[9] ?? '');
    expect(mitigations.some((m) => m.includes('=HYPERLINK("http://evil"), "quoted"'))).toBe(true);
    expect(text).toContain('""quoted""');
    a.findings.forEach((f, i) => {
      expect(records[i + 1]?.[9]).toBe(guardFormula(f.mitigation));
    });
  });

  it("puts a ' before cells that start with = + - @ (and tab, CR), before quoting", () => {
    const base = analysisOf(join(examplesDir, 'ecommerce-aws.yaml'));
    const a: Analysis = { ...base, findings: crafted(base.findings[0] as Finding) };
    const text = renderCsv(a);
    const [, r1, r2, r3, r4] = parseCsv(text);
    expect(r1?.[4]).toBe("'=1+2");
    expect(r1?.[9]).toBe("'@SUM(A1:A9)");
    expect(r1?.[5]).toBe("'+x; -y");
    expect(r1?.[6]).toBe("'-comp");
    expect(r2?.[4]).toBe("'-2");
    expect(r2?.[9]).toBe("'\tTAB");
    expect(r2?.[8]).toBe("'\rCR");
    expect(r3?.[4]).toBe("'=a,b");
    expect(r3?.[9]).toBe('say "hi", then\r\nstop\nnow');
    expect(r4?.[4]).toBe('a=b');
    expect(r4?.[9]).toBe(' =not at the start');
    // Guard first, then quote: the quote mark is inside the quoted field.
    expect(text).toContain(`,"'=a,b",`);
    expect(text).toContain(`,"say ""hi"", then\r\nstop\nnow",`);
    expect(text).toContain(`,"'\rCR",`);
  });

  it('quotes exactly the fields that need it', () => {
    expect(csvField('plain text; with semicolons')).toBe('plain text; with semicolons');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('')).toBe('');
    expect(csvField('=x')).toBe("'=x");
  });

  it('writes only the header when there are no findings', () => {
    const base = analysisOf(join(examplesDir, 'ecommerce-aws.yaml'));
    expect(renderCsv({ ...base, findings: [] })).toBe(HEADER);
  });
});
