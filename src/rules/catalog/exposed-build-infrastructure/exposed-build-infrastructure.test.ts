import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import missingAuthentication from '../missing-authentication/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.registry-push-with-api-key.yaml',
      findings: [
        {
          messageId: 'weakWrite',
          primary: ['image-registry'],
          confidence: 'confirmed',
          subjects: ['contractor-pushes', 'contractor'],
        },
      ],
    },
    {
      fixture: 'flagged.developers-without-mfa.yaml',
      findings: [
        { messageId: 'noMfa', primary: ['app-repo'], confidence: 'confirmed', subjects: ['developer'] },
      ],
    },
    {
      fixture: 'flagged.public-repo-with-keys.yaml',
      findings: [
        {
          messageId: 'secretsReadable',
          primary: ['app-repo'],
          confidence: 'confirmed',
          subjects: ['anonymous-clone', 'billing-job'],
        },
      ],
    },
    {
      fixture: 'flagged.pipeline-authn-unstated.yaml',
      findings: [{ messageId: 'weakWrite', primary: ['jenkins'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.mfa-and-strong-auth.yaml', 'clean.allow-listed-registry.yaml'],
});

describe('exposed-build-infrastructure supersedes missing-authentication', () => {
  it('reports the anonymously readable repository once, as exposed build infrastructure', () => {
    const view = loadFixture(new URL('flagged.public-repo-with-keys.yaml', import.meta.url).pathname);
    const rules = analyze(view, [rule, missingAuthentication]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(rules).toEqual(['exposed-build-infrastructure app-repo']);
  });
});
