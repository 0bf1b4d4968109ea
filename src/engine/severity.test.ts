import { describe, expect, it } from 'vitest';
import { IMPACTS, LIKELIHOODS } from '../rules/define-rule.js';
import { atLeast, lowerLikelihood, SEVERITY_MATRIX, severityOf } from './severity.js';

describe('the severity matrix', () => {
  it('covers every likelihood and impact and grows monotonically', () => {
    const rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;
    for (const [li, l] of LIKELIHOODS.entries()) {
      for (const [ii, i] of IMPACTS.entries()) {
        const s = rank[SEVERITY_MATRIX[l][i]];
        if (li > 0)
          expect(s).toBeGreaterThanOrEqual(rank[SEVERITY_MATRIX[LIKELIHOODS[li - 1] as typeof l][i]]);
        if (ii > 0) expect(s).toBeGreaterThanOrEqual(rank[SEVERITY_MATRIX[l][IMPACTS[ii - 1] as typeof i]]);
      }
    }
  });

  it('has the documented corners', () => {
    expect(severityOf('very-likely', 'very-high', 'confirmed')).toBe('critical');
    expect(severityOf('unlikely', 'low', 'confirmed')).toBe('info');
    expect(severityOf('likely', 'high', 'confirmed')).toBe('high');
    expect(severityOf('possible', 'very-high', 'confirmed')).toBe('high');
  });

  it('lowers the likelihood of an assumed finding one step', () => {
    expect(lowerLikelihood('very-likely')).toBe('likely');
    expect(lowerLikelihood('unlikely')).toBe('unlikely');
    expect(severityOf('very-likely', 'very-high', 'assumed')).toBe('critical');
    expect(severityOf('likely', 'very-high', 'assumed')).toBe('high');
    expect(severityOf('very-likely', 'high', 'assumed')).toBe('high');
  });

  it('compares severities for the gate', () => {
    expect(atLeast('critical', 'high')).toBe(true);
    expect(atLeast('high', 'high')).toBe(true);
    expect(atLeast('medium', 'high')).toBe(false);
  });
});
