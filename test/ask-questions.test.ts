/**
 * The question set (test/ask/questions.yaml): questions over the examples as developers, security
 * engineers, managers and auditors ask them, each with the grounded facts its answer must contain. A
 * what-if answer is checked against a real re-analysis: the test edits the YAML itself, analyses it
 * with the `analyze` pipeline, and compares the new, resolved and changed findings.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../src/ask/index.js';
import { analyzeLoaded } from '../src/cli/commands/pipeline.js';
import { diffFindings } from '../src/living/diff.js';
import { loadModelFiles } from '../src/model/load.js';
import { AS_OF, contextOf, editYaml, loadCases } from './ask/support.js';
import { ROOT } from './support/cli.js';

const cases = loadCases();
const dir = mkdtempSync(join(tmpdir(), 'threatkrew-ask-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ids = (list: unknown[]) => list.map((f) => (f as { id: string }).id).sort();

describe('the question set', () => {
  it('has at least 60 questions over the examples, from every persona', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.persona))).toEqual(
      new Set(['developer', 'security engineer', 'manager', 'auditor']),
    );
    expect(new Set(cases.map((c) => c.model)).size).toBeGreaterThanOrEqual(4);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const ctx = contextOf(c.model);
    const a = answerQuestion(ctx, c.q);
    const context = `\n--- answer (${a.kind}) ---\n${a.answer}\n`;
    expect(a.kind, context).toBe(c.kind);
    for (const f of c.findings ?? []) expect(a.citations.findings, `finding ${f}${context}`).toContain(f);
    for (const r of c.rules ?? []) expect(a.citations.rules, `rule ${r}${context}`).toContain(r);
    for (const e of c.elements ?? []) expect(a.citations.elements, `element ${e}${context}`).toContain(e);
    const lower = a.answer.toLowerCase();
    for (const t of c.text ?? []) expect(lower, `text "${t}"${context}`).toContain(t.toLowerCase());
    for (const t of c.absent ?? []) expect(lower, `absent "${t}"${context}`).not.toContain(t.toLowerCase());
    if (c.whatIf) {
      expect(a.whatIf, context).toBeDefined();
      const original = readFileSync(join(ROOT, c.model), 'utf8');
      const file = join(dir, `${basename(c.model, '.yaml')}-${cases.indexOf(c)}.yaml`);
      writeFileSync(file, editYaml(original, c.whatIf.edit));
      const before = loadModelFiles([join(ROOT, c.model)]);
      const after = loadModelFiles([file]);
      if (!before.ok || !after.ok)
        throw new Error(`the test's edited model does not load: ${JSON.stringify(after.diagnostics)}`);
      const old = analyzeLoaded(before, { asOf: AS_OF }).analysis;
      const now = analyzeLoaded(after, { asOf: AS_OF }).analysis;
      const d = diffFindings(old, now);
      const w = a.whatIf as NonNullable<typeof a.whatIf>;
      expect(ids(w.resolved), `resolved${context}`).toEqual(ids(d.resolved));
      expect(ids(w.new), `new${context}`).toEqual(ids(d.new));
      expect(w.changed, `changed${context}`).toEqual(
        d.changed.map((x) => ({ id: x.id, field: x.field, old: x.old, new: x.new })),
      );
      expect(
        d.resolved.length + d.new.length + d.changed.length,
        'a what-if case should change something',
      ).toBeGreaterThan(0);
    }
  });
});
