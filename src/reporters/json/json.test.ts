import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Analysis, Finding } from '../../engine/analysis.js';
import { analyze } from '../../engine/run-rules.js';
import { loadYaml } from '../../living/testing/fixtures.js';
import { CATALOGUE } from '../../rules/catalog/index.js';
import { renderJson, writeJson } from './json.js';

/** What `writeJson` writes, pieces joined, with a few pieces that are tiny on purpose. */
function written(a: Analysis): string {
  const pieces: string[] = [];
  writeJson(a, '9.9.9', (chunk) => pieces.push(chunk));
  return pieces.join('');
}

function exampleAnalysis(): Analysis {
  const loaded = loadYaml({
    'model.yaml': readFileSync(new URL('../../../examples/ecommerce-aws.yaml', import.meta.url), 'utf8'),
  });
  if (!loaded.ok) throw new Error('example model does not load');
  return analyze(loaded.view, CATALOGUE, { asOf: '2026-06-01' });
}

describe('writeJson', () => {
  it('writes exactly the text of renderJson (findings are written field by field)', () => {
    const a = exampleAnalysis();
    expect(a.findings.length).toBeGreaterThan(5);
    expect(written(a)).toBe(renderJson(a, '9.9.9'));
  });

  it('matches renderJson for unusual findings: escapes, baseline state, odd values, missing fields', () => {
    const a = exampleAnalysis();
    const [f0, f1, f2, f3] = a.findings as [Finding, Finding, Finding, Finding];
    a.findings[0] = {
      ...f0,
      message: 'quote " backslash \\ newline \n tab \t control \u0001 arrow → emoji 😀 lone \ud800',
      evidence: ['line\none', 'two'],
      baselineState: 'new',
    };
    a.findings[1] = { ...f1, primary: ['a', undefined as unknown as string, 'c'], questions: ['x#y'] };
    a.findings[2] = { ...f2, subjects: { ...f2.subjects, flows: [1 as unknown as string] } };
    a.findings[3] = { ...f3, title: undefined as unknown as string, compliance: {} };
    expect(written(a)).toBe(renderJson(a, '9.9.9'));
  });
});
