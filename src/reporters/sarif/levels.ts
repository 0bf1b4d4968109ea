/**
 * How ThreatKrew severities map onto SARIF: the result `level`, the `security-severity` score that
 * GitHub code scanning reads from a rule's properties, and the typical severity of each rule.
 *
 * | severity | level   | security-severity | GitHub shows |
 * |----------|---------|-------------------|--------------|
 * | critical | error   | 9.5               | critical (> 9.0)   |
 * | high     | error   | 8.0               | high (7.0–8.9)     |
 * | medium   | warning | 5.5               | medium (4.0–6.9)   |
 * | low      | note    | 3.0               | low (0.1–3.9)      |
 * | info     | note    | 0.0               | no security severity |
 *
 * Each score sits inside GitHub's band for the severity, so the band, not the number, carries meaning.
 */
import type { Result } from 'sarif';
import type { Finding } from '../../engine/analysis.js';
import { type Severity, severityRank } from '../../engine/severity.js';
import type { RuleMeta } from '../../rules/define-rule.js';

export const SARIF_LEVEL: Readonly<Record<Severity, Result.level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/**
 * A rule's severity depends on each finding's likelihood and impact (engine/severity.ts), but GitHub reads
 * `security-severity` from the rule only, and SARIF wants one `defaultConfiguration.level` per rule. So a
 * rule is described with the highest severity among its findings in this report (GitHub then never shows
 * a finding as less severe than it is; each result still carries its own `level` and
 * `properties.severity`), and a rule without findings with its typical severity: the usual confirmed
 * finding, judged from its severity rationale. A rule missing from this table is treated as medium.
 */
export const TYPICAL_SEVERITY: Readonly<Record<string, Severity>> = {
  'crown-jewels-without-backup': 'medium',
  'deployment-bypassing-pipeline': 'high',
  'gateway-validation-assumption': 'high',
  'implicit-trust-in-network': 'high',
  'internet-to-crown-jewels-path': 'high',
  'long-lived-deploy-credentials': 'high',
  'missing-audit-logging': 'medium',
  'missing-authentication': 'high',
  'missing-monitoring': 'medium',
  'missing-rate-limiting': 'medium',
  'over-privileged-identity': 'high',
  'public-datastore': 'critical',
  'secrets-in-config': 'high',
  'sensitive-data-to-third-party': 'medium',
  'single-point-of-failure': 'medium',
  'unapproved-production-deployment': 'medium',
  'unaudited-authentication-events': 'medium',
  'unaudited-privileged-access': 'medium',
  'unencrypted-data-at-rest': 'medium',
  'unencrypted-flow': 'high',
  'unencrypted-replication': 'high',
  'weak-authentication-on-exposed-entry': 'high',
};

export const DEFAULT_TYPICAL_SEVERITY: Severity = 'medium';

export function typicalSeverity(ruleId: string): Severity {
  return Object.hasOwn(TYPICAL_SEVERITY, ruleId)
    ? (TYPICAL_SEVERITY[ruleId] as Severity)
    : DEFAULT_TYPICAL_SEVERITY;
}

/** The severity of each rule's most severe finding (rules without findings fall back to typicalSeverity). */
export function ruleSeverities(
  findings: readonly Pick<Finding, 'ruleId' | 'severity'>[],
): Map<string, Severity> {
  const worst = new Map<string, Severity>();
  for (const f of findings) {
    const cur = worst.get(f.ruleId);
    if (cur === undefined || severityRank(f.severity) < severityRank(cur)) worst.set(f.ruleId, f.severity);
  }
  return worst;
}

/**
 * GitHub's `precision` (very-high, high, medium, low): how often a result is a true positive. A rule that
 * only reports stated facts is `high` (the model may still be wrong); a rule that may also report
 * assumed findings on unknown facts is `medium`.
 */
export function precision(meta: Pick<RuleMeta, 'assumes'>): 'high' | 'medium' {
  return meta.assumes.length > 0 ? 'medium' : 'high';
}

/** `CWE-319` → `external/cwe/cwe-319`; CodeQL's form (three digits at least: `cwe-020`), which GitHub reads. */
export function cweTag(cwe: string): string | undefined {
  const m = /^CWE-(\d+)$/i.exec(cwe.trim());
  return m ? `external/cwe/cwe-${(m[1] as string).padStart(3, '0')}` : undefined;
}
