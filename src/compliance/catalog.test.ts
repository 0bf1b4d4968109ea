import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FRAMEWORK_KEYS,
  FRAMEWORK_LABELS,
  ID_KINDS,
  ID_PATTERNS,
  type IdKind,
  loadCatalog,
  parseCsv,
} from './catalog.js';

const CATALOG_DIR = fileURLToPath(new URL('../../catalogs/', import.meta.url));

const SUPPLEMENTS: ReadonlyArray<readonly [IdKind, string]> = [
  ['nist-800-53', 'nist-sp-800-53-rev5-supplement.csv'],
  ['iso-27001-2022', 'iso-27001-2022-annex-a.csv'],
  ['soc2', 'soc2-tsc-2017.csv'],
  ['pci-dss-4', 'pci-dss-4.0.csv'],
  ['hipaa', 'hipaa-security-rule.csv'],
  ['cwe', 'cwe.csv'],
];

function rowsOf(file: string): string[][] {
  return parseCsv(readFileSync(path.join(CATALOG_DIR, file), 'utf8'), file);
}

describe('loadCatalog', () => {
  const catalog = loadCatalog();

  it('memoises the default load', () => {
    expect(loadCatalog()).toBe(catalog);
  });

  it('loads the same data from an explicit directory', () => {
    const explicit = loadCatalog(CATALOG_DIR);
    expect(explicit).not.toBe(catalog);
    for (const kind of ID_KINDS) expect(explicit.ids(kind)).toEqual(catalog.ids(kind));
  });

  it('has the expected number of ids per catalogue', () => {
    const supplementRows = rowsOf('nist-sp-800-53-rev5-supplement.csv').length - 1;
    expect(supplementRows).toBeGreaterThan(0);
    expect(catalog.ids('nist-800-53')).toHaveLength(424 + supplementRows);
    expect(catalog.ids('iso-27001-2022')).toHaveLength(93);
    expect(catalog.ids('soc2')).toHaveLength(61);
    expect(catalog.ids('owasp-asvs-5')).toHaveLength(345);
    expect(catalog.ids('capec')).toHaveLength(559);
    expect(catalog.ids('attack')).toHaveLength(691);
    expect(catalog.ids('pci-dss-4').length).toBeGreaterThan(200);
    expect(catalog.ids('hipaa').length).toBeGreaterThan(60);
    expect(catalog.ids('cwe').length).toBeGreaterThan(90);
  });

  it('lists the ISO controls per theme', () => {
    const ids = catalog.ids('iso-27001-2022');
    const perTheme = (theme: number) => ids.filter((id) => id.startsWith(`A.${theme}.`)).length;
    expect([perTheme(5), perTheme(6), perTheme(7), perTheme(8)]).toEqual([37, 8, 14, 34]);
  });

  it('answers has() and title() for ids of every kind', () => {
    const known: ReadonlyArray<readonly [IdKind, string]> = [
      ['nist-800-53', 'AC-6'],
      ['nist-800-53', 'SA-11(2)'],
      ['iso-27001-2022', 'A.8.24'],
      ['soc2', 'CC6.1'],
      ['pci-dss-4', '4.2.1'],
      ['pci-dss-4', '10.2.1.7'],
      ['owasp-asvs-5', 'V1.2.1'],
      ['hipaa', '164.312(e)(1)'],
      ['hipaa', '164.308(a)(1)(ii)(D)'],
      ['cwe', 'CWE-306'],
      ['capec', 'CAPEC-115'],
      ['attack', 'T1078'],
      ['attack', 'T1001.001'],
    ];
    for (const [kind, id] of known) {
      expect(catalog.has(kind, id), `${kind} ${id}`).toBe(true);
      expect(catalog.title(kind, id), `${kind} ${id}`).toMatch(/\S/);
    }
    expect(catalog.title('nist-800-53', 'AC-2')).toBe('Account Management');
    expect(catalog.title('nist-800-53', 'SA-11(2)')).toBe('Threat Modeling and Vulnerability Analyses');
    expect(catalog.title('owasp-asvs-5', 'V1.2.1')).toBe('Injection Prevention');
    expect(catalog.title('attack', 'T1001.001')).toBe('Junk Data');
  });

  it('rejects ids that are not listed, in the wrong kind or written differently', () => {
    expect(catalog.has('cwe', 'CWE-999999')).toBe(false);
    expect(catalog.has('cwe', '306')).toBe(false);
    expect(catalog.has('cwe', 'cwe-306')).toBe(false);
    expect(catalog.has('soc2', 'A.8.24')).toBe(false);
    expect(catalog.has('iso-27001-2022', 'A.8.35')).toBe(false);
    expect(catalog.has('nist-800-53', 'AC-6 (1)')).toBe(false);
    expect(catalog.title('capec', 'CAPEC-0')).toBeUndefined();
  });

  it('keeps quoted titles with commas intact', () => {
    expect(catalog.title('nist-800-53', 'AU-6')).toBe('Audit Record Review, Analysis, and Reporting');
    expect(catalog.title('capec', 'CAPEC-200')).toBe(
      'Removal of filters: Input filters, output filters, data masking',
    );
    expect(catalog.title('owasp-asvs-5', 'V1.4.1')).toBe('Memory, String, and Unmanaged Code');
    expect(catalog.title('nist-800-53', 'SC-5(2)')).toBe('Capacity, Bandwidth, and Redundancy');
  });

  it('writes every id of every kind in its well-formed shape', () => {
    for (const kind of ID_KINDS) {
      const bad = catalog.ids(kind).filter((id) => !ID_PATTERNS[kind].test(id));
      expect(bad, kind).toEqual([]);
    }
  });

  it('gives every id a non-empty title (ASVS: its section name)', () => {
    for (const kind of ID_KINDS) {
      const untitled = catalog.ids(kind).filter((id) => !catalog.title(kind, id)?.trim());
      expect(untitled, kind).toEqual([]);
    }
  });

  it('reports duplicate ids and ragged rows with file and line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'threatkrew-catalog-'));
    try {
      cpSync(CATALOG_DIR, dir, { recursive: true });
      writeFileSync(path.join(dir, 'cwe.csv'), 'id,title\nCWE-1,a\nCWE-1,b\n');
      expect(() => loadCatalog(dir)).toThrow(
        /cwe\.csv:3: duplicate id CWE-1 \(first listed at .*cwe\.csv:2\)/,
      );
      writeFileSync(path.join(dir, 'cwe.csv'), 'id,title\nCWE-1,a, b\n');
      expect(() => loadCatalog(dir)).toThrow(/cwe\.csv:2: expected 2 fields, found 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails loudly, naming the file, when a catalogue is missing', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'threatkrew-catalog-'));
    try {
      expect(() => loadCatalog(empty)).toThrow(/nist-sp-800-53-rev5\.csv: cannot read catalogue file/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('supplement files', () => {
  for (const [kind, file] of SUPPLEMENTS) {
    it(`${file}: header, well-formed and unique ids, short titles`, () => {
      const [header, ...rows] = rowsOf(file);
      expect(header?.slice(0, 2)).toEqual(['id', kind === 'nist-800-53' ? 'family' : 'title']);
      const ids = rows.map((row) => row[0] ?? '');
      expect(ids.filter((id) => !ID_PATTERNS[kind].test(id))).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
      const titleAt = header?.indexOf('title') ?? -1;
      for (const row of rows) {
        expect(row).toHaveLength(header?.length ?? 0);
        const title = row[titleAt] ?? '';
        expect(title.length, `${row[0]} title`).toBeGreaterThan(0);
        expect(title.length, `${row[0]} title`).toBeLessThanOrEqual(80);
      }
    });
  }

  it('adds only NIST ids outside the shared baselines, with empty baselines', () => {
    const base = new Set(rowsOf('nist-sp-800-53-rev5.csv').map((row) => row[0]));
    const [header, ...rows] = rowsOf('nist-sp-800-53-rev5-supplement.csv');
    expect(header).toEqual(['id', 'family', 'title', 'baselines']);
    for (const row of rows) {
      expect(base.has(row[0]), `${row[0]} is already in the baseline file`).toBe(false);
      expect(row[3]).toBe('');
    }
  });
});

describe('framework keys', () => {
  it('are the six compliance keys in order, each with a label', () => {
    expect(FRAMEWORK_KEYS).toEqual([
      'nist-800-53',
      'iso-27001-2022',
      'soc2',
      'pci-dss-4',
      'owasp-asvs-5',
      'hipaa',
    ]);
    for (const key of FRAMEWORK_KEYS) expect(FRAMEWORK_LABELS[key]).toMatch(/\S/);
    expect(FRAMEWORK_LABELS['nist-800-53']).toBe('NIST SP 800-53 rev5');
    expect(ID_KINDS).toEqual([...FRAMEWORK_KEYS, 'cwe', 'capec', 'attack']);
  });
});

describe('parseCsv', () => {
  it('splits fields and records on CRLF and LF', () => {
    expect(parseCsv('id,title\r\nA,one\nB,two')).toEqual([
      ['id', 'title'],
      ['A', 'one'],
      ['B', 'two'],
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    expect(parseCsv('a,"b, c","say ""hi""","two\r\nlines"\r\n')).toEqual([
      ['a', 'b, c', 'say "hi"', 'two\r\nlines'],
    ]);
  });

  it('keeps empty fields, including a trailing one and an empty quoted one', () => {
    expect(parseCsv('a,,c,\n"",x\n')).toEqual([
      ['a', '', 'c', ''],
      ['', 'x'],
    ]);
  });

  it('skips blank lines and a byte-order mark', () => {
    expect(parseCsv('\ufeffid,title\n\nA,one\n\n')).toEqual([
      ['id', 'title'],
      ['A', 'one'],
    ]);
  });

  it('reports an unterminated quoted field with its position', () => {
    expect(() => parseCsv('id,title\nA,"open', 'x.csv')).toThrow(/^x\.csv:2:8: unterminated quoted field/);
  });

  it('reports stray quotes', () => {
    expect(() => parseCsv('A,b"c', 'x.csv')).toThrow(/^x\.csv:1:4: quote inside an unquoted field/);
    expect(() => parseCsv('A,"b"c', 'x.csv')).toThrow(/^x\.csv:1:6: text after a closing quote/);
  });
});
