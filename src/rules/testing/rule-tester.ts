/**
 * The rule tester (STYLE 8): every rule test is one `testRule` call. It runs the rule over its flagged
 * and clean fixtures through the real loader and engine, and checks the test itself: the folder is
 * named for the rule, there is a flagged and a clean case, every fixture in the folder is used, every
 * message id is known and exercised, placeholders are filled, cited ids exist, output is deterministic.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ID_KINDS, type IdKind, loadCatalog } from '../../compliance/catalog.js';
import type { Finding } from '../../engine/analysis.js';
import { analyze } from '../../engine/run-rules.js';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { loadModelFiles } from '../../model/load.js';
import type { View } from '../../model/view.js';
import type { Confidence, Rule } from '../define-rule.js';
import { placeholders } from '../define-rule.js';

export interface ExpectedFinding {
  messageId: string;
  primary: readonly string[];
  confidence?: Confidence;
  /** Ids that must be among the finding's subjects. */
  subjects?: readonly string[];
}

export interface FlaggedCase {
  fixture: string;
  /** Exactly the findings this rule must report on the fixture. */
  findings: readonly ExpectedFinding[];
}

export interface RuleCases {
  flagged: readonly FlaggedCase[];
  /** Fixtures on which the rule must report nothing. */
  clean: readonly string[];
}

export function loadFixture(path: string): View {
  const loaded = loadModelFiles([path]);
  if (!loaded.ok)
    throw new Error(
      `fixture ${path} is not a valid model:\n${formatDiagnostics(loaded.diagnostics).join('\n')}`,
    );
  return loaded.view;
}

export function runRuleOn(rule: Rule, path: string): Finding[] {
  return analyze(loadFixture(path), [rule]).findings.filter((f) => f.ruleId === rule.meta.id);
}

const key = (messageId: string, primary: readonly string[]) =>
  `${messageId} [${[...primary].sort().join(', ')}]`;

export function testRule(rule: Rule, testFileUrl: string, cases: RuleCases): void {
  const dir = dirname(fileURLToPath(testFileUrl));
  const { meta } = rule;
  describe(`rule ${meta.id}`, () => {
    it('is named once: folder, meta.id', () => {
      expect(basename(dir)).toBe(meta.id);
    });

    it('has a flagged and a clean case, and uses every fixture in its folder', () => {
      expect(cases.flagged.length).toBeGreaterThan(0);
      expect(cases.clean.length).toBeGreaterThan(0);
      for (const c of cases.flagged) expect(c.fixture).toMatch(/^flagged\.[a-z0-9-]+\.yaml$/);
      for (const c of cases.clean) expect(c).toMatch(/^clean\.[a-z0-9-]+\.yaml$/);
      const onDisk = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort();
      const used = [...cases.flagged.map((c) => c.fixture), ...cases.clean].sort();
      expect(used).toEqual(onDisk);
    });

    it('has metadata whose messages are plain templates, all exercised by a flagged case', () => {
      const used = new Set(cases.flagged.flatMap((c) => c.findings.map((f) => f.messageId)));
      for (const [id, template] of Object.entries(meta.messages)) {
        expect(used.has(id), `message ${id} has no flagged case`).toBe(true);
        expect(template, `message ${id} has markup`).not.toMatch(/`|\*\*|__|<\/?[a-z]/i);
      }
      for (const u of used) expect(Object.keys(meta.messages)).toContain(u);
      expect(meta.stride.length).toBeGreaterThan(0);
      expect(meta.cwe.length).toBeGreaterThan(0);
      expect(placeholders(meta.mitigation).length, 'the mitigation must name the elements').toBeGreaterThan(
        0,
      );
    });

    it('cites only ids that exist in the catalogues', () => {
      const catalog = loadCatalog();
      const cite = (kind: IdKind, ids: readonly string[]) => {
        for (const id of ids) expect(catalog.has(kind, id), `${kind} ${id}`).toBe(true);
      };
      cite('cwe', meta.cwe);
      cite('capec', meta.capec);
      cite('attack', meta.attack);
      for (const k of ID_KINDS) {
        const ids = (meta.compliance as Record<string, readonly string[] | undefined>)[k];
        if (ids) cite(k, ids);
      }
    });

    for (const c of cases.flagged) {
      it(`flags ${c.fixture}`, () => {
        const findings = runRuleOn(rule, join(dir, c.fixture));
        expect(findings.map((f) => key(f.messageId, f.primary)).sort()).toEqual(
          c.findings.map((f) => key(f.messageId, f.primary)).sort(),
        );
        for (const want of c.findings) {
          const got = findings.find((f) => key(f.messageId, f.primary) === key(want.messageId, want.primary));
          if (!got) continue;
          if (want.confidence)
            expect(got.confidence, `confidence of ${key(want.messageId, want.primary)}`).toBe(
              want.confidence,
            );
          const all = Object.values(got.subjects).flat();
          for (const s of want.subjects ?? []) expect(all).toContain(s);
          expect(got.evidence.length).toBeGreaterThan(0);
          if (got.confidence === 'assumed') expect(got.questions.length).toBeGreaterThan(0);
          else expect(got.questions).toEqual([]);
        }
        const again = runRuleOn(rule, join(dir, c.fixture));
        expect(JSON.stringify(again)).toBe(JSON.stringify(findings));
      });
    }

    for (const fixture of cases.clean) {
      it(`is clean on ${fixture}`, () => {
        expect(runRuleOn(rule, join(dir, fixture)).map((f) => f.message)).toEqual([]);
      });
    }
  });
}
