import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLoaded } from '../src/cli/commands/pipeline.js';
import { formatDiagnostics } from '../src/model/diagnostics.js';
import { loadModelFiles } from '../src/model/load.js';
import { renderText } from '../src/reporters/text/text.js';

const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function analysisOf(file: string) {
  const loaded = loadModelFiles([join(examplesDir, file)]);
  if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics).join('\n'));
  // The same pipeline as the CLI: the engine, then the model's risk decisions.
  const { analysis, diagnostics } = analyzeLoaded(loaded, { asOf: '2026-06-01' });
  expect(formatDiagnostics(diagnostics)).toEqual([]);
  return analysis;
}

describe('the examples', () => {
  it('are at least the four promised ones', () => {
    expect(examples).toEqual(
      expect.arrayContaining([
        'ecommerce-aws.yaml',
        'healthcare-phi.yaml',
        'saas-cicd.yaml',
        'hardened-payments.yaml',
      ]),
    );
  });

  for (const file of examples) {
    it(`${file}: findings read as pinned (snapshot of the text report)`, async () => {
      const text = renderText(analysisOf(file)).replaceAll(examplesDir, 'examples/');
      await expect(text).toMatchFileSnapshot(`./__snapshots__/${file.replace(/\.yaml$/, '')}.analysis.txt`);
    });
  }

  it('ecommerce-aws.yaml yields the four design flaws of the brief, confirmed', () => {
    const { findings } = analysisOf('ecommerce-aws.yaml');
    const has = (ruleId: string, primary: string) =>
      findings.find(
        (f) => f.ruleId === ruleId && f.primary.includes(primary) && f.confidence === 'confirmed',
      );
    expect(has('over-privileged-identity', 'reporting-role')?.message).toMatch(/admin.*only read/);
    expect(has('implicit-trust-in-network', 'cart-checks-stock')?.subjects.boundaries).toContain('ns-shop');
    expect(has('unencrypted-replication', 'orders-db-dr-replication')?.message).toMatch(/across regions/);
    expect(has('gateway-validation-assumption', 'orders')?.subjects.components).toContain('api-gw');
  });

  it('hardened-payments.yaml, which has every control, yields no high or critical finding', () => {
    const { findings } = analysisOf('hardened-payments.yaml');
    expect(
      findings.filter((f) => f.severity === 'high' || f.severity === 'critical').map((f) => f.message),
    ).toEqual([]);
  });
});
