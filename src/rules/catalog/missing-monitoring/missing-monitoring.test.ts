import { describe, expect, it } from 'vitest';
import { analyze } from '../../../engine/run-rules.js';
import { loadFixture, testRule } from '../../testing/rule-tester.js';
import auditLogsKeptLocally from '../audit-logs-kept-locally/rule.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.public-api-unmonitored.yaml',
      findings: [{ messageId: 'unmonitored', primary: ['public-api'], confidence: 'confirmed' }],
    },
    {
      fixture: 'flagged.no-monitoring-in-model.yaml',
      findings: [
        {
          messageId: 'noMonitoring',
          primary: ['payments-db'],
          confidence: 'confirmed',
          subjects: ['card-data'],
        },
      ],
    },
    {
      fixture: 'flagged.store-controls-unstated.yaml',
      findings: [{ messageId: 'unstated', primary: ['customer-db'], confidence: 'assumed' }],
    },
  ],
  clean: ['clean.telemetry-to-monitoring.yaml', 'clean.behind-monitored-cdn.yaml'],
});

describe('missing-monitoring supersedes audit-logs-kept-locally', () => {
  it('reports an unmonitored component with a local audit log once, as unmonitored', () => {
    const view = loadFixture(new URL('flagged.public-api-unmonitored.yaml', import.meta.url).pathname);
    expect(analyze(view, [auditLogsKeptLocally]).findings.map((f) => f.ruleId)).toEqual([
      'audit-logs-kept-locally',
    ]);
    const rules = analyze(view, [rule, auditLogsKeptLocally]).findings.map(
      (f) => `${f.ruleId} ${f.primary.join(',')}`,
    );
    expect(rules).toEqual(['missing-monitoring public-api']);
  });
});
