import { describe, expect, it } from 'vitest';
import { classify, termObject } from './intent.js';

/** The first intent, leaving out a definition unless that is wanted ("what is ..." is tried as one first). */
const first = (q: string, want: string) => classify(q).intents.filter((i) => i === want || i !== 'term')[0];

describe('classify', () => {
  it.each([
    ['what if orders-db were encrypted?', 'what-if'],
    ['Suppose we narrowed the reporting role', 'what-if'],
    ['would adding mfa to cognito help?', 'what-if'],
    ['what would answering cognito#controls change?', 'question-impact'],
    ['open questions', 'questions'],
    ["what don't you know?", 'questions'],
    ['what is STRIDE?', 'term'],
    ['define repudiation', 'term'],
    ['what should we fix first?', 'fix-first'],
    ['where do we start', 'fix-first'],
    ['top 3 fixes please', 'fix-first'],
    ['why do we need mfa on cognito?', 'control'],
    ['what is the rationale for encrypting the replication?', 'control'],
    ['which findings map to NIST SC-8?', 'framework'],
    ['HIPAA', 'framework'],
    ['why is orders-db critical?', 'severity'],
    ['how could an attacker reach customer-pii?', 'attack-paths'],
    ["what's the blast radius if ci-runners is compromised", 'attack-paths'],
    ['summarize', 'overview'],
    ['how bad is it?', 'overview'],
    ['what threatens orders-db?', 'threats'],
    ['help', 'help'],
  ])('%s → %s', (q, intent) => {
    expect(first(q, intent)).toBe(intent);
  });

  it('does not read a why-question as a definition or a list of questions', () => {
    expect(classify('why is the open question about cognito important?').intents).not.toContain('questions');
    expect(classify('why is spoofing a risk here?').intents).not.toContain('term');
  });
});

describe('termObject', () => {
  it('finds what a definition question is about', () => {
    expect(termObject('what is a trust boundary')).toBe('trust boundary');
    expect(termObject('what does cwe-319 mean')).toBe('cwe-319');
    expect(termObject('define the term repudiation')).toBe('repudiation');
    expect(termObject('why is this bad')).toBeUndefined();
  });
});
