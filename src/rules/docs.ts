/** Rule documentation rendered from metadata: docs/rules/<id>.md and `threatkrew rules --format md`. */
import { FRAMEWORK_KEYS, FRAMEWORK_LABELS } from '../compliance/catalog.js';
import type { Rule, RuleMeta } from './define-rule.js';

const GENERATED = '<!-- Generated from the rule metadata by `npm run generate`; do not edit. -->';

export function ruleDoc(meta: RuleMeta, fixtures: readonly string[] = []): string {
  const lines: string[] = [GENERATED, '', `# ${meta.id}`, '', `**${meta.title}**`, '', meta.summary, ''];
  lines.push(`- STRIDE: ${meta.stride.join(', ')}`);
  lines.push(`- CWE: ${meta.cwe.join(', ') || '—'}`);
  lines.push(`- CAPEC: ${meta.capec.join(', ') || '—'}`);
  lines.push(`- ATT&CK: ${meta.attack.join(', ') || '—'}`);
  if (meta.assumes.length > 0)
    lines.push(`- May be assumed when unknown: ${meta.assumes.map((a) => `\`${a}\``).join(', ')}`);
  if (meta.supersedes && meta.supersedes.length > 0)
    lines.push(`- Supersedes: ${meta.supersedes.join(', ')}`);
  lines.push('', '## How it decides', '', meta.detection, '', '## Severity', '', meta.severityRationale, '');
  lines.push('## False positives', '', meta.falsePositives, '', '## Messages', '');
  for (const [id, t] of Object.entries(meta.messages)) lines.push(`- \`${id}\`: ${t}`);
  lines.push('', '## Mitigation', '', meta.mitigation, '', '## Compliance', '');
  lines.push('| framework | controls |', '|---|---|');
  for (const k of FRAMEWORK_KEYS) {
    const ids = meta.compliance[k];
    if (ids && ids.length > 0) lines.push(`| ${FRAMEWORK_LABELS[k]} | ${ids.join(', ')} |`);
  }
  if (fixtures.length > 0) {
    lines.push('', '## Fixtures', '');
    for (const f of fixtures) lines.push(`- \`src/rules/catalog/${meta.id}/${f}\``);
  }
  lines.push('', '## References', '');
  for (const r of meta.references) lines.push(`- [${r.title}](${r.url})`);
  return `${lines.join('\n')}\n`;
}

export function catalogueIndex(rules: readonly Rule[]): string {
  const lines = [GENERATED, '', '# Rule catalogue', '', `${rules.length} rules.`, ''];
  lines.push('| rule | title | STRIDE | CWE |', '|---|---|---|---|');
  for (const r of rules) {
    lines.push(
      `| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.title} | ${r.meta.stride.join(', ')} | ${r.meta.cwe.join(', ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
