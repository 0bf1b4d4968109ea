// The id catalogues that rules and findings cite: compliance frameworks, CWE, CAPEC and ATT&CK.
// Data lives in the package's `catalogs/` folder (see catalogs/README.md for sources and terms);
// this module only reads it. No I/O happens at import time.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type FrameworkKey = 'nist-800-53' | 'iso-27001-2022' | 'soc2' | 'pci-dss-4' | 'owasp-asvs-5' | 'hipaa';

export type IdKind = FrameworkKey | 'cwe' | 'capec' | 'attack';

export const FRAMEWORK_KEYS: readonly FrameworkKey[] = Object.freeze([
  'nist-800-53',
  'iso-27001-2022',
  'soc2',
  'pci-dss-4',
  'owasp-asvs-5',
  'hipaa',
] as const);

export const ID_KINDS: readonly IdKind[] = Object.freeze([
  ...FRAMEWORK_KEYS,
  'cwe',
  'capec',
  'attack',
] as const);

export const FRAMEWORK_LABELS: Readonly<Record<FrameworkKey, string>> = Object.freeze({
  'nist-800-53': 'NIST SP 800-53 rev5',
  'iso-27001-2022': 'ISO/IEC 27001:2022 Annex A',
  soc2: 'SOC 2 (TSC 2017)',
  'pci-dss-4': 'PCI DSS v4.0',
  'owasp-asvs-5': 'OWASP ASVS 5.0',
  hipaa: 'HIPAA Security Rule (45 CFR 164 Subpart C)',
});

/** The shape of a well-formed id of each kind, exactly as auditors and MITRE write them. */
export const ID_PATTERNS: Readonly<Record<IdKind, RegExp>> = Object.freeze({
  'nist-800-53': /^[A-Z]{2}-[1-9]\d?(?:\([1-9]\d?\))?$/,
  'iso-27001-2022': /^A\.[5-8]\.[1-9]\d?$/,
  soc2: /^(?:CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9]$/,
  'pci-dss-4': /^(?:[1-9]|1[0-2])(?:\.[1-9]\d?){2,4}$|^A[1-3](?:\.[1-9]\d?){2}$/,
  'owasp-asvs-5': /^V[1-9]\d?\.[1-9]\d?\.[1-9]\d?$/,
  hipaa: /^164\.(?:308|310|312|314|316)\([a-z]\)(?:\([1-9]\))?(?:\((?:i|ii|iii|iv)\))?(?:\([A-E]\))?$/,
  cwe: /^CWE-[1-9]\d*$/,
  capec: /^CAPEC-[1-9]\d*$/,
  attack: /^T\d{4}(?:\.\d{3})?$/,
});

export interface Catalog {
  /** True when `id` is listed for `kind` (exact, case-sensitive match). */
  has(kind: IdKind, id: string): boolean;
  /** The short title of `id`, or undefined when it is not listed. */
  title(kind: IdKind, id: string): string | undefined;
  /** Every id of `kind`, in file order (base file first, then supplements). */
  ids(kind: IdKind): readonly string[];
}

interface TableSpec {
  readonly file: string;
  /** The column shown as the title (ASVS carries no requirement text, so its section name is used). */
  readonly titleColumn: string;
}

const TABLES: Readonly<Record<IdKind, readonly TableSpec[]>> = {
  'nist-800-53': [
    { file: 'nist-sp-800-53-rev5.csv', titleColumn: 'title' },
    { file: 'nist-sp-800-53-rev5-supplement.csv', titleColumn: 'title' },
  ],
  'iso-27001-2022': [{ file: 'iso-27001-2022-annex-a.csv', titleColumn: 'title' }],
  soc2: [{ file: 'soc2-tsc-2017.csv', titleColumn: 'title' }],
  'pci-dss-4': [{ file: 'pci-dss-4.0.csv', titleColumn: 'title' }],
  'owasp-asvs-5': [{ file: 'owasp-asvs-5.0.csv', titleColumn: 'section' }],
  hipaa: [{ file: 'hipaa-security-rule.csv', titleColumn: 'title' }],
  cwe: [{ file: 'cwe.csv', titleColumn: 'title' }],
  capec: [{ file: 'capec-3.9.csv', titleColumn: 'name' }],
  attack: [{ file: 'attack-enterprise-v18.csv', titleColumn: 'name' }],
};

/** The `catalogs/` folder of this package: two levels up from both src/compliance and dist/compliance. */
const DEFAULT_DIR = fileURLToPath(new URL('../../catalogs/', import.meta.url));

let defaultCatalog: Catalog | undefined;

/**
 * Loads every catalogue from `dir` (default: the package's `catalogs/` folder, read once and memoised).
 * Throws, naming file and line, on unreadable files, malformed CSV, missing columns or duplicate ids.
 */
export function loadCatalog(dir?: string): Catalog {
  if (dir === undefined) {
    defaultCatalog ??= buildCatalog(DEFAULT_DIR);
    return defaultCatalog;
  }
  return buildCatalog(dir);
}

function buildCatalog(dir: string): Catalog {
  const titles = new Map<IdKind, ReadonlyMap<string, string>>();
  const order = new Map<IdKind, readonly string[]>();
  for (const kind of ID_KINDS) {
    const byId = new Map<string, string>();
    const seenAt = new Map<string, string>();
    for (const spec of TABLES[kind]) {
      for (const row of readTable(dir, spec)) {
        const first = seenAt.get(row.id);
        if (first !== undefined) {
          throw new Error(`${row.where}: duplicate id ${row.id} (first listed at ${first}); keep one row`);
        }
        seenAt.set(row.id, row.where);
        byId.set(row.id, row.title);
      }
    }
    titles.set(kind, byId);
    order.set(kind, Object.freeze([...byId.keys()]));
  }
  return {
    has: (kind, id) => titles.get(kind)?.has(id) ?? false,
    title: (kind, id) => titles.get(kind)?.get(id),
    ids: (kind) => order.get(kind) ?? [],
  };
}

interface CatalogRow {
  readonly id: string;
  readonly title: string;
  /** `file:line`, for error messages. */
  readonly where: string;
}

function readTable(dir: string, spec: TableSpec): CatalogRow[] {
  const file = path.join(dir, spec.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new Error(`${file}: cannot read catalogue file; restore it from git (catalogs/${spec.file})`, {
      cause,
    });
  }
  const [header, ...records] = parseCsvRecords(text, file);
  if (header === undefined) {
    throw new Error(`${file}:1: empty catalogue file; it needs a header row starting with id`);
  }
  const idCol = header.fields.indexOf('id');
  const titleCol = header.fields.indexOf(spec.titleColumn);
  if (idCol !== 0 || titleCol < 0) {
    throw new Error(
      `${file}:1: header is ${header.fields.join(',')}; it must start with id and include ${spec.titleColumn}`,
    );
  }
  return records.map((record) => {
    const where = `${file}:${record.line}`;
    if (record.fields.length !== header.fields.length) {
      throw new Error(
        `${where}: expected ${header.fields.length} fields, found ${record.fields.length}; quote values that contain commas`,
      );
    }
    const id = record.fields[idCol] ?? '';
    if (id === '') throw new Error(`${where}: empty id; every row needs an id in the first column`);
    return { id, title: record.fields[titleCol] ?? '', where };
  });
}

interface CsvRecord {
  /** 1-based line on which the record starts. */
  readonly line: number;
  readonly fields: string[];
}

/**
 * Parses RFC 4180 CSV: comma-separated fields, CRLF or LF record breaks, double-quoted fields that may
 * hold commas, line breaks and doubled quotes (`""`). Blank lines are skipped; a leading BOM is ignored.
 * Throws `source:line:col: ...` on an unterminated quoted field or a stray quote.
 */
export function parseCsv(text: string, source = '<csv>'): string[][] {
  return parseCsvRecords(text, source).map((record) => record.fields);
}

function parseCsvRecords(text: string, source: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let recordLine = 1;
  let recordHasContent = false;
  let atFieldStart = true;
  let line = 1;
  let lineStart = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  lineStart = i;
  const fail = (what: string): Error => new Error(`${source}:${line}:${i - lineStart + 1}: ${what}`);
  const endRecord = (): void => {
    if (recordHasContent) {
      fields.push(field);
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = '';
    recordHasContent = false;
    atFieldStart = true;
  };

  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      if (!atFieldStart) {
        throw fail('quote inside an unquoted field; quote the whole field and write an inner quote as ""');
      }
      recordHasContent = true;
      atFieldStart = false;
      i++;
      for (;;) {
        if (i >= text.length) throw fail('unterminated quoted field; add the closing quote');
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') {
          line++;
          lineStart = i + 1;
        }
        field += c;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && !(next === '\r' && text[i + 1] === '\n')) {
        throw fail('text after a closing quote; put a comma or line break after the quoted field');
      }
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      recordHasContent = true;
      atFieldStart = true;
      i++;
      continue;
    }
    if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      i += ch === '\n' ? 1 : 2;
      endRecord();
      line++;
      lineStart = i;
      recordLine = line;
      continue;
    }
    field += ch;
    recordHasContent = true;
    atFieldStart = false;
    i++;
  }
  endRecord();
  return records;
}
