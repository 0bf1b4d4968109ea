import { describe, expect, it } from 'vitest';
import { IMPACTS, LIKELIHOODS } from './define-rule.js';
import { impactRank, likelihoodRank, lowerImpact, maxLikelihood, raise } from './factors.js';

describe('factors', () => {
  it('ranks follow the declared order', () => {
    expect(IMPACTS.map(impactRank)).toEqual([0, 1, 2, 3]);
    expect(LIKELIHOODS.map(likelihoodRank)).toEqual([0, 1, 2, 3]);
  });

  it('maxLikelihood picks the highest, unlikely for none', () => {
    expect(maxLikelihood('possible', 'very-likely', 'likely')).toBe('very-likely');
    expect(maxLikelihood()).toBe('unlikely');
  });

  it('lowerImpact and raise move one step and stop at the ends', () => {
    expect(IMPACTS.map(lowerImpact)).toEqual(['low', 'low', 'medium', 'high']);
    expect(LIKELIHOODS.map(raise)).toEqual(['possible', 'likely', 'very-likely', 'very-likely']);
  });
});
