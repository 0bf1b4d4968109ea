import { describe, expect, it } from 'vitest';
import { fingerprint } from '../engine/fingerprint.js';
import { analyze } from '../engine/run-rules.js';
import { formatDiagnostics } from '../model/diagnostics.js';
import { parseSource } from '../model/source-file.js';
import {
  applyRiskDecisions,
  decisionsFromRisksFile,
  type LocatedDecision,
  locateDecisions,
} from './risk-decisions.js';
import { loadYaml, TEST_RULES } from './testing/fixtures.js';

const ARCH = `threatkrew: 1
name: Decisions
components:
  - { id: api, kind: service }
  - { id: worker, kind: service }
  - { id: db, kind: datastore }
flows:
  - { from: api, to: worker, protocol: http, authn: none }
  - { from: worker, to: db, protocol: https, authn: none }
`;

const TRUST = fingerprint('test-unauthenticated-flow', ['api->worker']);
const DB = fingerprint('test-unauthenticated-flow', ['worker->db']);
const PAIR = fingerprint('test-plaintext-pair', ['api', 'worker']);

function run(risks: string, asOf = '2026-06-01', extra: readonly LocatedDecision[] = []) {
  const loaded = loadYaml({ 'arch.yaml': `${ARCH}risks:\n${risks}` });
  const analysis = analyze(loaded.view, TEST_RULES, { asOf });
  const decisions = [...locateDecisions(loaded.model.risks, loaded.sources), ...extra];
  const result = applyRiskDecisions(analysis, decisions, { asOf, ruleIds: TEST_RULES.map((r) => r.meta.id) });
  const status = (id: string) => result.analysis.findings.find((f) => f.id === id)?.status;
  return { ...result, status, lines: formatDiagnostics(result.diagnostics) };
}

describe('risk decisions', () => {
  it('match a finding by fingerprint and give it their status, with the decision for the reports', () => {
    const r = run(
      `  - { id: fp, finding: "${TRUST}", status: false-positive, reason: "a sidecar authenticates" }\n`,
    );
    expect(r.status(TRUST)).toBe('false-positive');
    expect(r.status(DB)).toBe('open');
    expect(r.analysis.findings.find((f) => f.id === TRUST)?.decision).toEqual({
      status: 'false-positive',
      reason: 'a sidecar authenticates',
      id: 'fp',
      expired: false,
      location: { file: 'arch.yaml', line: 11, col: 5 },
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.analysis.orphanedDecisions).toEqual([]);
  });

  it('match by rule and primary, the primary compared as a set (an id or a list in any order)', () => {
    const r = run(
      [
        '  - { rule: test-plaintext-pair, primary: [worker, api], status: mitigated, how: "mTLS", reason: r }',
        '  - { rule: test-unauthenticated-flow, primary: "worker->db", status: accepted, owner: o, reason: r, expires: "2027-01-01" }',
        '',
      ].join('\n'),
    );
    expect(r.status(PAIR)).toBe('mitigated');
    expect(r.status(DB)).toBe('accepted');
    expect(r.status(TRUST)).toBe('open');
    expect(r.diagnostics).toEqual([]);
  });

  it('hold an acceptance through its expiry day, and reopen the finding the day after, with a warning', () => {
    const risk = `  - { finding: "${DB}", status: accepted, owner: ops, reason: r, expires: "2026-06-01" }\n`;
    expect(run(risk, '2026-06-01').status(DB)).toBe('accepted');
    const late = run(risk, '2026-06-02');
    expect(late.status(DB)).toBe('open');
    expect(late.analysis.findings.find((f) => f.id === DB)?.decision?.expired).toBe(true);
    expect(late.lines).toEqual([
      `arch.yaml:11:5: warning: the acceptance of finding ${DB} (test-unauthenticated-flow on worker->db) expired on 2026-06-01 (as of 2026-06-02); the finding is open again: fix it, or renew \`expires\``,
    ]);
    expect(late.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('make two decisions on one finding an error at both places', () => {
    const r = run(
      [
        `  - { id: one, finding: "${TRUST}", status: false-positive, reason: r }`,
        '  - { id: two, rule: test-unauthenticated-flow, primary: "api->worker", status: mitigated, how: h, reason: r }',
        '',
      ].join('\n'),
    );
    expect(r.lines).toEqual([
      `arch.yaml:11:5: risk decision 'one' and the one at arch.yaml:12:5 both decide finding ${TRUST} (test-unauthenticated-flow on api->worker); keep one`,
      `arch.yaml:12:5: risk decision 'two' and the one at arch.yaml:11:5 both decide finding ${TRUST} (test-unauthenticated-flow on api->worker); keep one`,
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(r.status(TRUST)).toBe('open');
  });

  it('warn about a decision that matches no finding, list it as orphaned, and say why', () => {
    const r = run(
      [
        '  - { id: typo, rule: test-unauthenticated-flw, primary: "api->worker", status: false-positive, reason: r }',
        '  - { id: gone, finding: "0123456789abcdef", status: false-positive, reason: r }',
        '  - { id: near, rule: test-plaintext-pair, primary: [api], status: false-positive, reason: r }',
        '',
      ].join('\n'),
    );
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(r.lines).toEqual([
      "arch.yaml:11:5: warning: risk decision 'typo' (test-unauthenticated-flw on api->worker) matches no finding: there is no rule 'test-unauthenticated-flw'; did you mean 'test-unauthenticated-flow'?",
      "arch.yaml:12:5: warning: risk decision 'gone' (finding 0123456789abcdef) matches no finding: no finding has this id: it was fixed, or its rule or primary elements changed",
      "arch.yaml:13:5: warning: risk decision 'near' (test-plaintext-pair on api) matches no finding: no test-plaintext-pair finding has exactly these primary ids; did you mean [api, worker]?",
    ]);
    expect(r.analysis.orphanedDecisions?.map((o) => [o.decision.id, o.location?.line])).toEqual([
      ['typo', 11],
      ['gone', 12],
      ['near', 13],
    ]);
    expect(r.analysis.findings.every((f) => f.status === 'open')).toBe(true);
  });

  it('does not call a decision orphaned when its finding was only left out of the output', () => {
    const loaded = loadYaml({
      'arch.yaml': `${ARCH}risks:\n  - { finding: "${DB}", status: false-positive, reason: r }\n`,
    });
    const full = analyze(loaded.view, TEST_RULES, { asOf: '2026-06-01' });
    const shown = { ...full, findings: full.findings.filter((f) => f.id !== DB) };
    const r = applyRiskDecisions(shown, locateDecisions(loaded.model.risks, loaded.sources), {
      asOf: '2026-06-01',
      candidates: full.findings,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.analysis.orphanedDecisions).toEqual([]);
  });

  it('leaves an analysis without decisions as it was (no orphanedDecisions key)', () => {
    const loaded = loadYaml({ 'arch.yaml': ARCH });
    const a = analyze(loaded.view, TEST_RULES, { asOf: '2026-06-01' });
    const r = applyRiskDecisions(a, [], { asOf: '2026-06-01' });
    expect(r.analysis).toBe(a);
    expect(r.analysis).not.toHaveProperty('orphanedDecisions');
  });

  it('locates the decisions of several model files in the order the loader joins them', () => {
    const loaded = loadYaml({
      'a.yaml': `${ARCH}risks:\n  - { id: a1, finding: "${DB}", status: false-positive, reason: r }\n`,
      'b.yaml': `threatkrew: 1\nrisks:\n  - { id: b1, finding: "${TRUST}", status: false-positive, reason: r }\n`,
    });
    expect(
      locateDecisions(loaded.model.risks, loaded.sources).map((d) => [d.decision.id, d.location]),
    ).toEqual([
      ['a1', { file: 'a.yaml', line: 11, col: 5 }],
      ['b1', { file: 'b.yaml', line: 3, col: 5 }],
    ]);
  });
});

describe('a risks side file', () => {
  const read = (yaml: string) => {
    const parsed = parseSource('risks.yaml', yaml);
    if (!parsed.ok) throw new Error('bad yaml');
    return decisionsFromRisksFile(parsed.source);
  };

  it('gives its decisions with their places, combined with the model’s own by the caller', () => {
    const r = read(
      `threatkrew: 1\nrisks:\n  - { id: side, finding: "${TRUST}", status: false-positive, reason: r }\n`,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.decisions[0]?.location).toEqual({ file: 'risks.yaml', line: 3, col: 5 });
    const both = run(
      `  - { id: own, finding: "${DB}", status: false-positive, reason: r }\n`,
      '2026-06-01',
      r.decisions,
    );
    expect([both.status(TRUST), both.status(DB)]).toEqual(['false-positive', 'false-positive']);
    const clash = run(
      `  - { id: side, finding: "${DB}", status: false-positive, reason: r }\n`,
      '2026-06-01',
      r.decisions,
    );
    expect(clash.lines).toEqual(["risks.yaml:3:5: duplicate risk id 'side': already used at arch.yaml:11:5"]);
  });

  it('reports every mistake located, as the model loader does', () => {
    const r = read(
      [
        'threatkrew: 1',
        'risks:',
        '  - { rule: x, status: accepted, reason: y }',
        '  - { finding: 123, status: acepted, reason: y }',
        '  - { id: d, finding: "0123456789abcdef", status: mitigated, reason: y, how: h }',
        '  - { id: d, finding: "0123456789abcdef", status: mitigated, reason: y, how: h }',
        'riskz: []',
        '',
      ].join('\n'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatDiagnostics(r.diagnostics).sort()).toEqual(
      [
        'risks.yaml:3:5: a risk decision with `rule` needs `primary` too',
        'risks.yaml:3:5: an accepted risk needs an `owner` (who accepted it)',
        'risks.yaml:3:5: an accepted risk needs `expires` (YYYY-MM-DD)',
        'risks.yaml:4:16: `finding` must be text, not the number 123; quote it: "123"',
        "risks.yaml:4:29: 'acepted' is not a valid `status`; did you mean 'accepted'?",
        "risks.yaml:6:11: duplicate risk id 'd': already used at risks.yaml:5:11",
        "risks.yaml:7:1: unknown key 'riskz' in the risks file; did you mean 'risks'?",
      ].sort(),
    );
    expect(read('- a list\n').ok).toBe(false);
  });
});
