/** SARIF reporting descriptors (`tool.driver.rules`) from the rule metadata of the catalogue. */
import type { ReportingDescriptor } from 'sarif';
import { FRAMEWORK_KEYS, FRAMEWORK_LABELS } from '../../compliance/catalog.js';
import type { Finding } from '../../engine/analysis.js';
import type { Severity } from '../../engine/severity.js';
import type { RuleMeta } from '../../rules/define-rule.js';
import { cweTag, precision, SARIF_LEVEL, SECURITY_SEVERITY } from './levels.js';

/** `missing-authentication` → `MissingAuthentication` (SARIF's `name`: a readable identifier). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

/** `security`, then the STRIDE categories, then one `external/cwe/cwe-NNN` tag per CWE. */
export function ruleTags(stride: readonly string[], cwe: readonly string[]): string[] {
  const tags = ['security', ...stride];
  for (const c of cwe) {
    const t = cweTag(c);
    if (t !== undefined && !tags.includes(t)) tags.push(t);
  }
  return tags;
}

function complianceLines(meta: RuleMeta): string[] {
  const lines: string[] = [];
  for (const k of FRAMEWORK_KEYS) {
    const ids = meta.compliance[k];
    if (ids && ids.length > 0) lines.push(`${FRAMEWORK_LABELS[k]}: ${ids.join(', ')}`);
  }
  return lines;
}

function helpText(meta: RuleMeta): string {
  const parts = [
    `${meta.title}. ${meta.summary}`,
    `How it decides: ${meta.detection}`,
    `Severity: ${meta.severityRationale}`,
    `False positives: ${meta.falsePositives}`,
    `Mitigation: ${meta.mitigation}`,
  ];
  const compliance = complianceLines(meta);
  if (compliance.length > 0) parts.push(`Compliance:\n${compliance.map((l) => `- ${l}`).join('\n')}`);
  if (meta.references.length > 0) {
    parts.push(`References:\n${meta.references.map((r) => `- ${r.title}: ${r.url}`).join('\n')}`);
  }
  return parts.join('\n\n');
}

function helpMarkdown(meta: RuleMeta): string {
  // Rule prose is written as Markdown already (docs/rules is generated from it); placeholders of the
  // mitigation template are shown as code.
  const mitigation = meta.mitigation.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, '`{$1}`');
  const lines = [`**${meta.title}**`, '', meta.summary, '', '## How it decides', '', meta.detection, ''];
  lines.push(
    '## Severity',
    '',
    meta.severityRationale,
    '',
    '## False positives',
    '',
    meta.falsePositives,
    '',
  );
  lines.push('## Mitigation', '', mitigation, '');
  const ids = [...meta.cwe, ...meta.capec, ...meta.attack];
  if (ids.length > 0) lines.push(`Weakness and attack ids: ${ids.join(', ')}`, '');
  const compliance = complianceLines(meta);
  if (compliance.length > 0) lines.push('## Compliance', '', ...compliance.map((l) => `- ${l}`), '');
  if (meta.references.length > 0) {
    lines.push('## References', '', ...meta.references.map((r) => `- [${r.title}](${r.url})`), '');
  }
  return lines.join('\n').trimEnd();
}

/** The descriptor of a catalogue rule, described with `severity` (see levels.ts). */
export function ruleDescriptor(meta: RuleMeta, severity: Severity): ReportingDescriptor {
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.summary },
    help: { text: helpText(meta), markdown: helpMarkdown(meta) },
    defaultConfiguration: { level: SARIF_LEVEL[severity] },
    properties: {
      tags: ruleTags(meta.stride, meta.cwe),
      precision: precision(meta),
      'security-severity': SECURITY_SEVERITY[severity],
      cwe: [...meta.cwe],
      capec: [...meta.capec],
      attack: [...meta.attack],
    },
  };
}

/** A descriptor for a finding whose rule is not in the catalogue given (never expected; never fatal). */
export function findingRuleDescriptor(f: Finding, severity: Severity): ReportingDescriptor {
  return {
    id: f.ruleId,
    name: pascalCase(f.ruleId),
    shortDescription: { text: f.title },
    defaultConfiguration: { level: SARIF_LEVEL[severity] },
    properties: {
      tags: ruleTags(f.stride, f.cwe),
      precision: 'medium',
      'security-severity': SECURITY_SEVERITY[severity],
      cwe: [...f.cwe],
      capec: [...f.capec],
      attack: [...f.attack],
    },
  };
}
