import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeLoaded } from '../cli/commands/pipeline.js';
import { severityRank } from '../engine/severity.js';
import { loadModelFiles } from '../model/load.js';
import { buildIdIndex } from './llm-ids.js';
import { ASK_TOOLS, AskTools, suggest, TOOL_NAMES } from './llm-tools.js';
import type { AskAnswer, AskContext } from './types.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/ecommerce-aws.yaml', import.meta.url));
let ctx: AskContext;
let tools: AskTools;
const asked: string[] = [];

beforeAll(() => {
  const loaded = loadModelFiles([EXAMPLE]);
  if (!loaded.ok) throw new Error('the example does not load');
  ctx = { loaded, analysis: analyzeLoaded(loaded, { asOf: '2025-01-01' }).analysis, asOf: '2025-01-01' };
  const engine = (q: string): AskAnswer => {
    asked.push(q);
    return {
      kind: 'overview',
      answer: 'x'.repeat(5000),
      citations: { findings: [], elements: ['cart'], rules: [], locations: [] },
    };
  };
  tools = new AskTools(ctx, buildIdIndex(ctx, TOOL_NAMES), engine);
});

// biome-ignore lint/suspicious/noExplicitAny: tool results are inspected freely
const run = (name: string, args: unknown = {}): any => tools.run(name, JSON.stringify(args)).result;

describe('the tool specs', () => {
  it('are JSON-schema function tools with unique names', () => {
    expect(new Set(TOOL_NAMES).size).toBe(ASK_TOOLS.length);
    for (const t of ASK_TOOLS) {
      expect(t.type).toBe('function');
      expect(t.function.description.length).toBeGreaterThan(20);
      expect(t.function.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });
});

describe('AskTools', () => {
  it('search_elements ranks id and name matches first and caps the list', () => {
    const r = run('search_elements', { query: 'orders database' });
    expect(r.elements[0]).toEqual({ id: 'orders-db', kind: 'component', name: expect.any(String) });
    const all = run('search_elements', { query: '' });
    expect(all.elements).toHaveLength(15);
    expect(all.truncated).toBe(true);
    expect(all.total).toBeGreaterThan(100);
  });

  it('get_element gives fields, facts, location and the findings on it, most severe first', () => {
    const r = run('get_element', { id: 'orders-db' });
    expect(r).toMatchObject({ id: 'orders-db', kind: 'component', fields: { id: 'orders-db' } });
    expect(r.fields.source).toBeUndefined();
    expect(r.location.file).toBe(EXAMPLE);
    expect(typeof r.facts.internetReachable).toBe('boolean');
    const ranks = r.findings.items.map((f: { severity: 'low' }) => severityRank(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(r.findings.items.length).toBeGreaterThan(0);
    // A derived flow id names the written flow.
    expect(run('get_element', { id: 'api-gw->orders' }).id).toBe('api-to-orders');
    expect(run('get_element', { id: 'shopper-api' }).facts).toMatchObject({ from: 'shopper', to: 'cdn' });
  });

  it('list_findings filters and sorts, most severe first', () => {
    const critical = run('list_findings', { severity: 'critical' });
    expect(critical.total).toBe(ctx.analysis.findings.filter((f) => f.severity === 'critical').length);
    expect(critical.findings.every((f: { severity: string }) => f.severity === 'critical')).toBe(true);
    expect(
      run('list_findings', { status: 'accepted' }).findings.map((f: { status: string }) => f.status),
    ).toEqual(['accepted']);
    const cart = run('list_findings', { element: 'cart', control: 'CWE-285' });
    expect(cart.findings.map((f: { rule: string }) => f.rule)).toContain(
      'authentication-without-authorization',
    );
    const all = run('list_findings');
    expect(all.total).toBe(ctx.analysis.findings.length);
    expect(all.findings).toHaveLength(30);
    expect(run('list_findings', { framework: 'hipaa' }).total).toBeGreaterThan(0);
  });

  it('get_finding and get_rule give the full record', () => {
    const f = ctx.analysis.findings[0];
    if (!f) throw new Error('no findings');
    expect(run('get_finding', { id: f.id })).toMatchObject({
      id: f.id,
      rule: f.ruleId,
      evidence: f.evidence,
      compliance: f.compliance,
    });
    const rule = run('get_rule', { id: f.ruleId });
    expect(rule).toMatchObject({ id: f.ruleId, title: expect.any(String), references: expect.any(Array) });
    expect(rule.findingsInThisModel.items).toContain(f.id);
  });

  it('attack_paths filters by target; open_questions lists the questions with their findings', () => {
    const to = ctx.analysis.attackPaths[0]?.to as string;
    const r = run('attack_paths', { to });
    expect(r.total).toBe(ctx.analysis.attackPaths.filter((p) => p.to === to).length);
    expect(r.paths.every((p: { to: string }) => p.to === to)).toBe(true);
    const q = run('open_questions');
    expect(q.total).toBe(ctx.analysis.questions.length);
    expect(q.questions.map((x: { id: string }) => x.id)).toEqual(
      ctx.analysis.questions.map((x) => x.id).sort(),
    );
  });

  it('ask_engine runs the deterministic answerer and cuts long answers', () => {
    const run1 = tools.run('ask_engine', '{"question":"overview please"}');
    expect(asked).toContain('overview please');
    expect(run1.grounds.elements).toEqual(['cart']);
    expect((run1.result.answer as string).length).toBeLessThan(4100);
  });

  it('answers every bad call with an error object, never an exception', () => {
    expect(run('get_element', { id: 'orders-database' })).toEqual({
      error: 'no element has the id "orders-database"',
      didYouMean: expect.arrayContaining(['orders-db']),
    });
    expect(run('get_element', {})).toEqual({ error: 'id is required' });
    expect(run('get_element', { id: 42 })).toEqual({ error: 'id must be a string' });
    expect(run('list_findings', { severity: 'severe' }).error).toMatch(/severity must be one of/);
    expect(run('list_findings', { control: 'SC-99' }).error).toMatch(/no rule or finding maps to/);
    expect(run('get_rule', { id: 'unencrypted-flows' }).didYouMean[0]).toBe('unencrypted-flow');
    expect(run('attack_paths', { to: 'customer-pii' }).error).toMatch(/no component/);
    expect(tools.run('get_finding', '[1]').result).toEqual({ error: 'the arguments must be a JSON object' });
    expect(tools.run('nope', '{}').result.error).toMatch(/there is no tool/);
  });

  it('is deterministic', () => {
    for (const name of TOOL_NAMES.filter((n) => n !== 'ask_engine')) {
      expect(JSON.stringify(run(name, {}))).toBe(JSON.stringify(run(name, {})));
    }
  });
});

describe('suggest', () => {
  it('offers close ids, closest first', () => {
    expect(suggest('orders-dbb', ['orders-db', 'orders', 'cart'])).toEqual(['orders-db', 'orders']);
    expect(suggest('zzz', ['orders-db'])).toEqual([]);
  });
});
