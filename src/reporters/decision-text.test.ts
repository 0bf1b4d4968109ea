import { describe, expect, it } from 'vitest';
import { analyze } from '../engine/run-rules.js';
import { applyRiskDecisions, locateDecisions } from '../living/risk-decisions.js';
import { loadYaml, TEST_RULES } from '../living/testing/fixtures.js';
import { decisionSentence } from './decision-text.js';
import { renderHtml } from './html/html.js';
import { renderJson } from './json/json.js';
import { renderMarkdown } from './markdown/markdown.js';
import { renderText } from './text/text.js';

describe('risk decisions in the reports', () => {
  it('are one sentence: who, until when, how, why; an expired one says the finding is open again', () => {
    expect(
      decisionSentence({
        status: 'accepted',
        owner: 'jane',
        expires: '2026-06-30',
        reason: 'low value',
        expired: false,
      }),
    ).toBe('Accepted by jane until 2026-06-30. Reason: low value.');
    expect(
      decisionSentence(
        { status: 'accepted', owner: 'jane', expires: '2026-06-30', reason: 'low value.', expired: true },
        '2026-07-01',
      ),
    ).toBe(
      'Accepted by jane until 2026-06-30, which has expired (as of 2026-07-01): the finding is open again. Reason: low value.',
    );
    expect(
      decisionSentence({
        status: 'mitigated',
        how: 'a WAF rule',
        reason: 'outside the model',
        expired: false,
      }),
    ).toBe('Mitigated. How: a WAF rule. Reason: outside the model.');
    expect(
      decisionSentence({ status: 'false-positive', reason: 'a sidecar authenticates', expired: false }),
    ).toBe('False positive. Reason: a sidecar authenticates.');
  });

  it('show in the text, Markdown and HTML reports, and orphans in the JSON report', async () => {
    const loaded = loadYaml({
      'arch.yaml': `threatkrew: 1
name: Reports
components:
  - { id: api, kind: service }
  - { id: worker, kind: service }
flows:
  - { from: api, to: worker, protocol: https, authn: none }
risks:
  - { rule: test-unauthenticated-flow, primary: "api->worker", status: accepted, owner: jane, reason: r, expires: "2026-01-01" }
  - { id: stale, finding: "0123456789abcdef", status: false-positive, reason: gone }
`,
    });
    const engine = analyze(loaded.view, TEST_RULES, { asOf: '2026-06-01' });
    const { analysis } = applyRiskDecisions(engine, locateDecisions(loaded.model.risks, loaded.sources), {
      asOf: '2026-06-01',
    });
    expect(renderText(analysis)).toContain(
      '    Decision: Accepted by jane until 2026-01-01, which has expired (as of 2026-06-01): the finding\n    is open again. Reason: r. (at arch.yaml:9:5)\n',
    );
    expect(renderMarkdown(analysis, { toolVersion: '0', rules: TEST_RULES })).toContain(
      '**Risk decision.** Accepted by jane until 2026-01-01, which has expired (as of 2026-06-01): the finding is open again. Reason: r. (arch.yaml:9:5)',
    );
    const html = await renderHtml(analysis, { toolVersion: '0' });
    expect(html).toContain('<span class="status">acceptance expired</span>');
    expect(html).toContain('<h4>Risk decision</h4><p>Accepted by jane');
    const json = JSON.parse(renderJson(analysis, '0'));
    expect(json.findings[0].status).toBe('open');
    expect(json.orphanedDecisions).toEqual([
      {
        id: 'stale',
        finding: '0123456789abcdef',
        status: 'false-positive',
        reason: 'gone',
        location: { file: 'arch.yaml', line: 10, col: 5 },
      },
    ]);
  });
});
