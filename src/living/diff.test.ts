import { describe, expect, it } from 'vitest';
import type { Finding } from '../engine/analysis.js';
import { fingerprint } from '../engine/fingerprint.js';
import { diffAnalyses, diffFindings, diffModels } from './diff.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from './diff-report.js';
import { analysisOf, loadYaml } from './testing/fixtures.js';

const OLD = `threatkrew: 1
name: Shop
boundaries:
  - { id: vpc, kind: network }
components:
  - { id: api, kind: service, in: vpc, controls: [audit-logging, monitoring] }
  - { id: worker, kind: service, in: vpc, name: Worker }
  - { id: legacy, kind: service }
identities:
  - id: reporting-role
    kind: service-role
    grants:
      - { resource: worker, actions: [read] }
      - { resource: api, actions: [invoke] }
flows:
  - { from: api, to: worker, protocol: http, authn: none }
  - { id: api-legacy, from: api, to: legacy, protocol: HTTPS, authn: mtls }
risks:
  - { rule: test-plaintext-pair, primary: [api, worker], status: mitigated, how: h, reason: r }
`;

const NEW = `threatkrew: 1
name: Shop
boundaries:
  - { id: vpc, kind: network }
components:
  - { id: worker, kind: service, in: vpc, name: Worker service }
  - { id: api, kind: service, in: vpc, controls: [monitoring, audit-logging] }
  - { id: payments, kind: service, in: vpc }
identities:
  - id: reporting-role
    kind: service-role
    grants:
      - { resource: api, actions: [invoke] }
      - { resource: worker, actions: [admin], scope: [jobs] }
flows:
  - { from: api, to: worker, protocol: https, authn: none }
  - { from: api, to: payments, protocol: http, authn: none }
risks:
  - { rule: test-plaintext-pair, primary: [worker, api], status: mitigated, how: h, reason: r }
`;

const model = (yaml: string) => loadYaml({ 'm.yaml': yaml }).model;

describe('diffModels', () => {
  it('lists elements added, removed and changed, with dotted fields naming list items by id (grants by resource)', () => {
    expect(diffModels(model(OLD), model(NEW))).toEqual({
      added: [
        { type: 'component', id: 'payments' },
        { type: 'flow', id: 'api->payments' },
      ],
      removed: [
        { type: 'component', id: 'legacy' },
        { type: 'flow', id: 'api-legacy' },
      ],
      changed: [
        {
          type: 'component',
          id: 'worker',
          field: 'components.worker.name',
          old: 'Worker',
          new: 'Worker service',
        },
        { type: 'flow', id: 'api->worker', field: 'flows.api->worker.protocol', old: 'http', new: 'https' },
        {
          type: 'identity',
          id: 'reporting-role',
          field: 'identities.reporting-role.grants.worker.actions',
          old: ['read'],
          new: ['admin'],
        },
        {
          type: 'identity',
          id: 'reporting-role',
          field: 'identities.reporting-role.grants.worker.scope',
          old: null,
          new: ['jobs'],
        },
      ],
    });
  });

  it('treats lists as sets, protocols case-insensitively, a risk primary as a set, and ignores importer sources', () => {
    const a = model(`threatkrew: 1
name: x
components:
  - { id: a, kind: service, controls: [waf, mfa], source: { file: arch.md, line: 1, col: 1 } }
  - { id: b, kind: service }
flows:
  - { from: a, to: b, protocol: HTTPS }
risks:
  - { rule: r, primary: a, status: false-positive, reason: x }
`);
    const b = model(`threatkrew: 1
name: x
flows:
  - { from: a, to: b, protocol: https }
components:
  - { id: b, kind: service }
  - { id: a, kind: service, controls: [mfa, waf, mfa], source: { file: arch.md, line: 7, col: 3 } }
risks:
  - { rule: r, primary: [a], status: false-positive, reason: x }
`);
    expect(diffModels(a, b)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('names a risk decision by its id, else by what it decides', () => {
    const a = model('threatkrew: 1\nname: x\ncomponents:\n  - { id: a, kind: service }\n');
    const b = model(`threatkrew: 1
name: x
components:
  - { id: a, kind: service }
risks:
  - { id: named, finding: "0123456789abcdef", status: false-positive, reason: x }
  - { finding: "fedcba9876543210", status: false-positive, reason: x }
  - { rule: r, primary: [b, a], status: false-positive, reason: x }
`);
    expect(diffModels(a, b).added).toEqual([
      { type: 'risk', id: 'fedcba9876543210' },
      { type: 'risk', id: 'named' },
      { type: 'risk', id: 'r:a,b' },
    ]);
    expect(diffModels(b, a).removed).toHaveLength(3);
  });
});

function finding(id: string, over: Partial<Finding> = {}): Finding {
  return {
    id,
    ruleId: 'r',
    messageId: 'm',
    title: 't',
    message: `finding ${id}`,
    severity: 'medium',
    likelihood: 'possible',
    impact: 'high',
    confidence: 'confirmed',
    stride: ['tampering'],
    cwe: [],
    capec: [],
    attack: [],
    primary: ['x'],
    subjects: { components: [], flows: [], data: [], identities: [], boundaries: [] },
    evidence: [],
    mitigation: 'm',
    compliance: {},
    status: 'open',
    questions: [],
    ...over,
  };
}

describe('diffFindings', () => {
  it('matches by fingerprint: new, resolved, changed (severity, confidence, status) and unchanged', () => {
    const before = [finding('b'), finding('a'), finding('c'), finding('d'), finding('gone')];
    const after = [
      finding('new1', { severity: 'high' }),
      finding('d', { message: 'reworded' }),
      finding('c', { severity: 'high', confidence: 'assumed' }),
      finding('a', { status: 'accepted' }),
      finding('b'),
    ];
    const d = diffFindings({ findings: before }, { findings: after });
    expect(d.new.map((f) => f.id)).toEqual(['new1']);
    expect(d.resolved.map((f) => f.id)).toEqual(['gone']);
    expect(d.changed).toEqual([
      { id: 'a', field: 'status', old: 'open', new: 'accepted' },
      { id: 'c', field: 'confidence', old: 'confirmed', new: 'assumed' },
      { id: 'c', field: 'severity', old: 'medium', new: 'high' },
    ]);
    expect(d.unchanged).toEqual(['b', 'd']);
  });
});

describe('diffAnalyses and its reports', () => {
  const d = diffAnalyses(analysisOf(OLD), analysisOf(NEW));
  const fixed = fingerprint('test-plaintext-pair', ['api', 'worker']);
  const flaw = fingerprint('test-unauthenticated-flow', ['api->payments']);

  it('shows a fix as a resolved finding and a new flaw as a new one', () => {
    expect(d.findings.resolved.map((f) => f.id)).toEqual([fixed]);
    expect(d.findings.new.map((f) => f.id)).toContain(flaw);
    expect(d.findings.unchanged).toContain(fingerprint('test-unauthenticated-flow', ['api->worker']));
  });

  it('writes threatkrew/diff@1 JSON with every key, byte-identical on a rerun', () => {
    const text = renderDiffJson(d);
    expect(renderDiffJson(diffAnalyses(analysisOf(OLD), analysisOf(NEW)))).toBe(text);
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(['schema', 'old', 'new', 'model', 'findings']);
    expect(json.schema).toBe('threatkrew/diff@1');
    expect(json.old).toEqual({
      name: 'Shop',
      counts: { components: 3, flows: 2, boundaries: 1, data: 0, identities: 1 },
    });
    expect(Object.keys(json.model)).toEqual(['added', 'removed', 'changed']);
    expect(Object.keys(json.findings)).toEqual(['new', 'resolved', 'changed', 'unchanged']);
    expect(json.findings.resolved[0].id).toBe(fixed);
    expect(json.findings.new[0]).toHaveProperty('status');
    expect(json.findings.new[0]).not.toHaveProperty('messageId');
  });

  it('writes Markdown for a pull-request comment: headline, new findings by severity, resolved, architecture folded', () => {
    const md = renderDiffMarkdown(d);
    expect(md.split('\n')[0]).toMatch(/^## ThreatKrew: \d+ new findings?, 1 resolved$/);
    const order = [
      '### New findings',
      '**High**',
      '### Resolved (1)',
      '<details>',
      '<summary>',
      '</details>',
    ].map((s) => md.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(md).toContain('| added | component | `payments` | | | |');
    expect(md).toContain('`identities.reporting-role.grants.worker.actions` | \\[read\\] | \\[admin\\] |');
  });

  it('writes text for a terminal', () => {
    const text = renderDiffText(d);
    expect(text).toMatch(
      /^ThreatKrew diff of Shop\nFindings: \d+ new .*, 1 resolved, 0 changed, \d+ unchanged\n/,
    );
    expect(text).toContain(
      `  - low [test-plaintext-pair] api->worker is flagged (confirmed)\n      id ${fixed}; fix: api, worker\n`,
    );
    expect(text).toContain('  + component payments\n');
    expect(text).toContain('  ~ flow api->worker: flows.api->worker.protocol: http → https\n');
  });
});
