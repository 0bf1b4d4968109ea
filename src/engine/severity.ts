/**
 * The one severity matrix (DESIGN §4, STYLE 3). Rules report likelihood and impact; severity is
 * decided here and nowhere else.
 *
 * | likelihood \ impact | low    | medium | high     | very-high |
 * |---------------------|--------|--------|----------|-----------|
 * | unlikely            | info   | low    | low      | medium    |
 * | possible            | low    | low    | medium   | high      |
 * | likely              | low    | medium | high     | critical  |
 * | very-likely         | medium | high   | critical | critical  |
 *
 * An assumed finding has its likelihood lowered one step before the lookup (unlikely stays unlikely).
 */
import { type Confidence, IMPACTS, type Impact, LIKELIHOODS, type Likelihood } from '../rules/define-rule.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_MATRIX: Readonly<Record<Likelihood, Readonly<Record<Impact, Severity>>>> = {
  unlikely: { low: 'info', medium: 'low', high: 'low', 'very-high': 'medium' },
  possible: { low: 'low', medium: 'low', high: 'medium', 'very-high': 'high' },
  likely: { low: 'low', medium: 'medium', high: 'high', 'very-high': 'critical' },
  'very-likely': { low: 'medium', medium: 'high', high: 'critical', 'very-high': 'critical' },
};

export function lowerLikelihood(l: Likelihood): Likelihood {
  const i = LIKELIHOODS.indexOf(l);
  return LIKELIHOODS[Math.max(0, i - 1)] as Likelihood;
}

/** The likelihood after confidence is taken into account. */
export function effectiveLikelihood(l: Likelihood, confidence: Confidence): Likelihood {
  return confidence === 'assumed' ? lowerLikelihood(l) : l;
}

export function severityOf(likelihood: Likelihood, impact: Impact, confidence: Confidence): Severity {
  return SEVERITY_MATRIX[effectiveLikelihood(likelihood, confidence)][impact];
}

/** 0 for critical … 4 for info: sorts the most severe first. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) <= severityRank(threshold);
}

export const rankLikelihood = (l: Likelihood) => LIKELIHOODS.indexOf(l);
export const rankImpact = (i: Impact) => IMPACTS.indexOf(i);
