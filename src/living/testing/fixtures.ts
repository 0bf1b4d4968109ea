/** Small rules and a loader for the tests of `living/` (not part of the build's public surface). */
import type { Analysis } from '../../engine/analysis.js';
import { analyze } from '../../engine/run-rules.js';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { type LoadedModel, loadModelSources } from '../../model/load.js';
import { parseSource } from '../../model/source-file.js';
import { defineRule, type Rule } from '../../rules/define-rule.js';

function meta(id: string) {
  return {
    id,
    title: `Rule ${id}`,
    summary: 's',
    stride: ['tampering' as const],
    cwe: ['CWE-306'],
    capec: [],
    attack: [],
    compliance: {},
    assumes: ['authn'],
    detection: 'd',
    severityRationale: 'r',
    falsePositives: 'f',
    references: [],
    messages: { m: '{x} is flagged' },
    mitigation: 'fix {x}',
  };
}

/** Flags every flow without authentication; its primary is the flow. */
export const UNAUTHENTICATED_FLOW: Rule = defineRule({
  meta: meta('test-unauthenticated-flow'),
  *detect(v) {
    for (const f of v.flows) {
      if (f.authn !== 'none') continue;
      yield {
        messageId: 'm',
        primary: [f.id],
        data: { x: f.id },
        likelihood: 'likely',
        impact: 'high',
        confidence: 'confirmed',
        evidence: [`flow ${f.id}: authn none`],
      };
    }
  },
});

/** Flags every pair of components joined by a plain-http flow; its primary is both ends. */
export const PLAINTEXT_PAIR: Rule = defineRule({
  meta: meta('test-plaintext-pair'),
  *detect(v) {
    for (const f of v.flows) {
      if (f.flow.protocol !== 'http') continue;
      yield {
        messageId: 'm',
        primary: [f.to.id, f.from.id],
        data: { x: f.id },
        likelihood: 'possible',
        impact: 'medium',
        confidence: 'confirmed',
        evidence: [`flow ${f.id}: http`],
      };
    }
  },
});

export const TEST_RULES: readonly Rule[] = [UNAUTHENTICATED_FLOW, PLAINTEXT_PAIR];

/** Loads model files given as `{ name: yaml }`. */
export function loadYaml(files: Record<string, string>): LoadedModel {
  const sources = Object.entries(files).map(([name, yaml]) => {
    const parsed = parseSource(name, yaml);
    if (!parsed.ok) throw new Error(formatDiagnostics(parsed.diagnostics).join('\n'));
    return parsed.source;
  });
  const loaded = loadModelSources(sources);
  if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics).join('\n'));
  return loaded;
}

export function analysisOf(yaml: string, rules: readonly Rule[] = TEST_RULES): Analysis {
  return analyze(loadYaml({ 'model.yaml': yaml }).view, rules, { asOf: '2026-06-01' });
}
