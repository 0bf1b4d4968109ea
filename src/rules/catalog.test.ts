import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ID_KINDS, type IdKind, loadCatalog } from '../compliance/catalog.js';
import { CATALOGUE } from './catalog/index.js';
import { STRIDE } from './define-rule.js';

const catalogDir = fileURLToPath(new URL('./catalog/', import.meta.url));

const PROMISED = [
  'over-privileged-identity',
  'implicit-trust-in-network',
  'unencrypted-replication',
  'gateway-validation-assumption',
  'unencrypted-flow',
  'missing-authentication',
  'public-datastore',
  'unencrypted-data-at-rest',
  'secrets-in-config',
  'missing-audit-logging',
  'missing-rate-limiting',
  'internet-to-crown-jewels-path',
];

describe('the rule catalogue', () => {
  const ids = CATALOGUE.map((r) => r.meta.id);

  it('has unique ids, sorted, one folder each with a rule, a test and fixtures', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const folders = readdirSync(catalogDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual(ids);
    for (const id of ids) {
      expect(existsSync(join(catalogDir, id, `${id}.test.ts`)), `${id}.test.ts`).toBe(true);
      const fixtures = readdirSync(join(catalogDir, id)).filter((f) => f.endsWith('.yaml'));
      expect(
        fixtures.some((f) => f.startsWith('flagged.')),
        `${id} flagged fixture`,
      ).toBe(true);
      expect(
        fixtures.some((f) => f.startsWith('clean.')),
        `${id} clean fixture`,
      ).toBe(true);
    }
  });

  it('includes the twelve promised rules', () => {
    for (const id of PROMISED) expect(ids).toContain(id);
  });

  it('has at least 60 rules and at least 5 per STRIDE category', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(60);
    for (const s of STRIDE) {
      const n = CATALOGUE.filter((r) => r.meta.stride.includes(s)).length;
      expect(n, s).toBeGreaterThanOrEqual(5);
    }
  });

  it('cites only ids that exist in the committed catalogues', () => {
    const catalog = loadCatalog();
    const missing: string[] = [];
    const cite = (rule: string, kind: IdKind, list: readonly string[] | undefined) => {
      for (const id of list ?? []) if (!catalog.has(kind, id)) missing.push(`${rule}: ${kind} ${id}`);
    };
    for (const { meta } of CATALOGUE) {
      cite(meta.id, 'cwe', meta.cwe);
      cite(meta.id, 'capec', meta.capec);
      cite(meta.id, 'attack', meta.attack);
      for (const k of ID_KINDS) cite(meta.id, k, (meta.compliance as Record<string, readonly string[]>)[k]);
    }
    expect(missing).toEqual([]);
  });

  it('supersedes only rules that exist, and references have URLs', () => {
    for (const { meta } of CATALOGUE) {
      for (const s of meta.supersedes ?? []) expect(ids, `${meta.id} supersedes ${s}`).toContain(s);
      for (const r of meta.references) expect(r.url).toMatch(/^https:\/\//);
    }
  });
});
