/**
 * `ask --llm` over real HTTP: a local chat-completions server with scripted replies checks what is sent
 * (tools offered, tool results sent back, the Authorization header only with a key) and what comes back
 * (the checked answer and its citations, or the deterministic answer and a one-line warning).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerQuestion } from '../src/ask/index.js';
import { type AskWithLlmOptions, askWithLlm, MAX_TOOL_ROUNDS } from '../src/ask/llm.js';
import { TOOL_NAMES } from '../src/ask/llm-tools.js';
import type { AskAnswer, AskContext } from '../src/ask/types.js';
import { analyzeLoaded } from '../src/cli/commands/pipeline.js';
import { chatCompletion, type LlmSettings } from '../src/cli/llm.js';
import { loadModelFiles } from '../src/model/load.js';
import {
  type ChatServer,
  type ReceivedRequest,
  type ScriptedReply,
  startChatServer,
} from './support/chat-server.js';
import { ROOT } from './support/cli.js';

const KEY = 'sk-test-SECRET-4f1d9a';
const AS_OF = '2025-01-01';

type Step = ScriptedReply;
type Received = ReceivedRequest;

let chat: ChatServer;
let base: string;
let script: Step[] = [];
let requests: Received[];
let ctx: AskContext;
let deterministicCalls: string[] = [];

const empty = { findings: [], elements: [], rules: [], locations: [] };
const deterministic = (q: string): AskAnswer => {
  deterministicCalls.push(q);
  return { kind: 'unknown', answer: `deterministic answer to: ${q}`, citations: empty };
};

const settings = (extra: Partial<LlmSettings> = {}): LlmSettings => ({
  baseUrl: base,
  model: 'test-model',
  apiKey: KEY,
  timeoutMs: 5000,
  ...extra,
});
const bound = (s: LlmSettings) => (payload: Readonly<Record<string, unknown>>) => chatCompletion(s, payload);
const ask = (question: string, options: AskWithLlmOptions = {}, s: Partial<LlmSettings> = {}) =>
  askWithLlm(ctx, question, bound(settings(s)), { deterministic, ...options });

let callNo = 0;
const toolCalls = (...calls: [string, unknown][]): Step => ({
  body: {
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: calls.map(([name, args]) => ({
            id: `call_${++callNo}`,
            type: 'function',
            function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
          })),
        },
        finish_reason: 'tool_calls',
      },
    ],
  },
});
const final = (content: string): Step => ({
  body: { choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] },
});
/** The tool messages of a request, by tool_call_id, with their JSON content parsed. */
// biome-ignore lint/suspicious/noExplicitAny: tool results are inspected freely
const toolResults = (r: Received): Map<string, any> =>
  new Map(
    r.body.messages
      .filter((m: { role: string }) => m.role === 'tool')
      .map((m: { tool_call_id: string; content: string }) => [m.tool_call_id, JSON.parse(m.content)]),
  );
const noKey = (...values: unknown[]) => {
  for (const v of values) expect(JSON.stringify(v) ?? '').not.toContain(KEY);
  for (const r of requests) expect(r.text).not.toContain(KEY);
};

beforeAll(async () => {
  const loaded = loadModelFiles([join(ROOT, 'examples/ecommerce-aws.yaml')]);
  if (!loaded.ok) throw new Error('the example does not load');
  ctx = { loaded, analysis: analyzeLoaded(loaded, { asOf: AS_OF }).analysis, asOf: AS_OF };
  chat = await startChatServer(() => script.shift() ?? { status: 400, raw: '{"error":"no scripted reply"}' });
  base = chat.base;
  requests = chat.requests;
});
afterAll(async () => {
  await chat.close();
});
beforeEach(() => {
  script = [];
  chat.reset();
  deterministicCalls = [];
});

describe('askWithLlm', () => {
  const worst = () => ctx.analysis.findings[0] as NonNullable<AskContext['analysis']['findings'][0]>;

  it('runs the tools the model asks for, sends their results back, and returns the checked answer', async () => {
    const f = worst();
    script = [
      toolCalls(['get_finding', { id: f.id }], ['search_elements', { query: 'orders database' }]),
      final(
        `The worst finding is \`${f.id}\` on \`${f.primary[0]}\` (rule \`${f.ruleId}\`), which maps to CWE-285 and AC-3. ` +
          'It is a classic man-in-the-middle-free, end-to-end authorization gap.',
      ),
    ];
    const r = await ask('What is the worst problem?');
    expect(r.warning).toBeUndefined();
    expect(requests).toHaveLength(2);
    const [first, second] = requests as [Received, Received];
    expect(first.url).toBe('/v1/chat/completions');
    expect(first.auth).toBe(`Bearer ${KEY}`);
    expect(first.body.model).toBe('test-model');
    expect(first.body.temperature).toBe(0);
    expect(first.body.tool_choice).toBe('auto');
    expect(first.body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(TOOL_NAMES);
    expect(TOOL_NAMES).toEqual([
      'ask_engine',
      'search_elements',
      'get_element',
      'list_findings',
      'get_finding',
      'get_rule',
      'attack_paths',
      'open_questions',
    ]);
    for (const t of first.body.tools) {
      expect(t.type).toBe('function');
      expect(t.function.parameters.type).toBe('object');
    }
    expect(first.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(first.body.messages[0].content).toMatch(/answer only from their results/);
    expect(first.body.messages[0].content).toMatch(/in backticks/);
    expect(first.body.messages[1].content).toBe('What is the worst problem?');

    // The assistant's tool calls are echoed, then one tool message per call, in order.
    const roles = second.body.messages.map((m: { role: string }) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'tool']);
    const assistant = second.body.messages[2];
    expect(assistant.tool_calls.map((c: { function: { name: string } }) => c.function.name)).toEqual([
      'get_finding',
      'search_elements',
    ]);
    const ids = assistant.tool_calls.map((c: { id: string }) => c.id);
    expect(second.body.messages.slice(3).map((m: { tool_call_id: string }) => m.tool_call_id)).toEqual(ids);
    const results = toolResults(second);
    const finding = results.get(ids[0]);
    expect(finding).toMatchObject({
      id: f.id,
      rule: f.ruleId,
      severity: f.severity,
      likelihood: f.likelihood,
      impact: f.impact,
      evidence: f.evidence,
      mitigation: f.mitigation,
      compliance: f.compliance,
    });
    const search = results.get(ids[1]);
    expect(search.elements[0]).toMatchObject({ id: 'orders-db', kind: 'component' });

    expect(r.answer.answer).toMatch(/^The worst finding is `/);
    expect(r.answer.citations.findings).toEqual([f.id]);
    expect(r.answer.citations.rules).toEqual([f.ruleId]);
    expect(r.answer.citations.elements).toEqual([...f.primary].sort());
    const loc = ctx.analysis.view.location(f.primary[0] as string);
    expect(r.answer.citations.locations).toContainEqual({ file: loc?.file, line: loc?.line });
    noKey(r);
  });

  it('sends no Authorization header without a key', async () => {
    script = [final('There are no findings on `ses`.')];
    const r = await ask('Anything on ses?', {}, { apiKey: undefined });
    expect(r.warning).toBeUndefined();
    expect(requests[0]?.auth).toBeUndefined();
    expect(r.answer.citations.elements).toEqual(['ses']);
  });

  it('passes chat history before the question', async () => {
    script = [final('Yes.')];
    await ask('And the replica?', {
      history: [
        { role: 'user', content: 'Is orders-db encrypted?' },
        { role: 'assistant', content: 'It is encrypted at rest.' },
      ],
    });
    expect(
      requests[0]?.body.messages.map((m: { role: string; content: string }) => [m.role, m.content]),
    ).toEqual([
      ['system', expect.any(String)],
      ['user', 'Is orders-db encrypted?'],
      ['assistant', 'It is encrypted at rest.'],
      ['user', 'And the replica?'],
    ]);
  });

  it('a reply citing an id that does not exist is sent back once, then the corrected one is used', async () => {
    const f = worst();
    script = [
      final('The worst is `0000000000000000` on `orders-database`.'),
      final(`The worst is \`${f.id}\`.`),
    ];
    const r = await ask('What is the worst?');
    expect(r.warning).toBeUndefined();
    expect(requests).toHaveLength(2);
    const msgs = requests[1]?.body.messages;
    expect(msgs.at(-2)).toEqual({
      role: 'assistant',
      content: 'The worst is `0000000000000000` on `orders-database`.',
    });
    expect(msgs.at(-1).role).toBe('user');
    expect(msgs.at(-1).content).toMatch(/do not exist.*`0000000000000000`, `orders-database`/);
    expect(r.answer.answer).toBe(`The worst is \`${f.id}\`.`);
    expect(r.answer.citations.findings).toEqual([f.id]);
    expect(deterministicCalls).toEqual(['What is the worst?']); // only for the answer's kind
  });

  it('ungrounded twice: the deterministic answer and a warning naming the ids', async () => {
    script = [final('See `missing-tls-rule`.'), final('See finding 0123456789abcdef and SC-99.')];
    const r = await ask('What about TLS?');
    expect(r.answer).toEqual(deterministic('What about TLS?'));
    expect(r.warning).toBe(
      'the LLM answer mentioned ids that do not exist (0123456789abcdef, SC-99), also when asked again; the deterministic answer is used',
    );
    noKey(r);
  });

  for (const [name, step, message] of [
    ['HTTP 500', { status: 500, raw: '{"error":{"message":"boom"}}' }, 'the LLM endpoint answered HTTP 500'],
    ['malformed JSON', { raw: '{"choices": [ oops' }, 'the LLM endpoint did not answer with JSON'],
    [
      'a refusal',
      {
        body: {
          choices: [
            {
              message: { role: 'assistant', content: null, refusal: 'I cannot help.' },
              finish_reason: 'stop',
            },
          ],
        },
      },
      'the LLM refused to answer',
    ],
    ['an empty answer', final('  '), 'the LLM gave an empty answer'],
    [
      'a malformed tool call',
      {
        body: {
          choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ type: 'function' }] } }],
        },
      },
      'the LLM asked for a malformed tool call',
    ],
    ['a timeout', { hang: true }, 'the LLM did not answer within 300 ms'],
  ] as [string, Step, string][]) {
    it(`${name}: the deterministic answer and a one-line warning`, async () => {
      script = [step];
      const r = await ask('Which findings are critical?', {}, { timeoutMs: 300 });
      expect(r.warning).toBe(`${message}; the deterministic answer is used`);
      expect(r.warning).not.toMatch(/\n/);
      expect(r.answer.answer).toBe('deterministic answer to: Which findings are critical?');
      noKey(r);
    });
  }

  it('an unreachable endpoint is a warning too', async () => {
    const r = await ask('Hello?', {}, { baseUrl: 'http://127.0.0.1:9/v1' });
    expect(r.warning).toMatch(/^the LLM endpoint could not be reached.*; the deterministic answer is used$/);
    noKey(r);
  });

  it(`no final answer after ${MAX_TOOL_ROUNDS} rounds of tool calls is a failure`, async () => {
    script = Array.from({ length: MAX_TOOL_ROUNDS + 1 }, () => toolCalls(['open_questions', {}]));
    const r = await ask('Loop forever');
    expect(requests).toHaveLength(MAX_TOOL_ROUNDS + 1);
    expect(r.warning).toBe(
      `the LLM gave no final answer within ${MAX_TOOL_ROUNDS} rounds of tool calls; the deterministic answer is used`,
    );
  });

  it('bad tool calls get error objects with suggestions, never an exception', async () => {
    script = [
      toolCalls(
        ['get_element', { id: 'orders-database' }],
        ['get_finding', { id: '2ff52db88f325ce4' }],
        ['get_rule', { id: 'missing-rate-limit' }],
        ['list_findings', { rule: 'unencrypted-flows' }],
        ['attack_paths', { to: 'orders-dbb' }],
        ['no_such_tool', {}],
        ['search_elements', '{not json'],
      ),
      final('I could not find that.'),
    ];
    const r = await ask('Tell me about the orders database');
    expect(r.warning).toBeUndefined();
    const results = [...toolResults(requests[1] as Received).values()];
    expect(results).toHaveLength(7);
    for (const x of results) expect(typeof x.error).toBe('string');
    expect(results[0].didYouMean).toContain('orders-db');
    expect(results[1].didYouMean).toContain('2ff52db88f325ce3');
    expect(results[2].didYouMean).toContain('missing-rate-limiting');
    expect(results[3].didYouMean).toContain('unencrypted-flow');
    expect(results[4].didYouMean).toContain('orders-db');
    expect(results[6].error).toMatch(/not valid JSON/);
    expect(r.answer.citations).toEqual(empty);
  });

  it('ask_engine runs the deterministic answerer; an answer built on it carries its citations and kind', async () => {
    const f = worst();
    const engine: AskAnswer = {
      kind: 'severity',
      answer: `The most severe finding is ${f.id}.`,
      citations: {
        findings: [f.id],
        elements: ['cart'],
        rules: [f.ruleId],
        locations: [{ file: 'x.yaml', line: 3 }],
      },
    };
    const det = (q: string): AskAnswer => {
      deterministicCalls.push(q);
      return q === 'most severe finding' ? engine : { kind: 'unknown', answer: 'no idea', citations: empty };
    };
    script = [toolCalls(['ask_engine', { question: 'most severe finding' }]), final(`It is \`${f.id}\`.`)];
    const r = await ask('worst thing?', { deterministic: det });
    expect(r.warning).toBeUndefined();
    const sent = [...toolResults(requests[1] as Received).values()][0];
    expect(sent).toEqual({ kind: 'severity', answer: engine.answer, citations: engine.citations });
    expect(r.answer.kind).toBe('severity');
    expect(r.answer.citations.findings).toEqual([f.id]);
    expect(r.answer.citations.rules).toEqual([f.ruleId]);
    expect(r.answer.citations.locations).toContainEqual({ file: 'x.yaml', line: 3 });
    expect(deterministicCalls).toEqual(['most severe finding']);
  });

  it('a what-if finding id that ask_engine presented counts as existing', async () => {
    const whatIfId = 'abcdefabcdef0123';
    const det = (): AskAnswer => ({
      kind: 'what-if',
      answer: `One new finding: ${whatIfId}.`,
      citations: {
        findings: [whatIfId],
        elements: ['orders-db'],
        rules: ['unencrypted-flow'],
        locations: [],
      },
      whatIf: { new: [{ id: whatIfId }], resolved: [], changed: [] },
    });
    script = [
      toolCalls(['ask_engine', { question: 'what if orders-db used http?' }]),
      final(`It would add \`${whatIfId}\` on \`orders-db\`.`),
    ];
    const r = await ask('what if orders-db used http?', { deterministic: det });
    expect(r.warning).toBeUndefined();
    expect(r.answer.kind).toBe('what-if');
    expect(r.answer.whatIf?.new).toEqual([{ id: whatIfId }]);
    expect(r.answer.citations.findings).toEqual([whatIfId]);
  });

  describe('with the real deterministic answerer (answerQuestion)', () => {
    it('a failure falls back to answerQuestion', async () => {
      script = [{ status: 503, raw: '{}' }];
      const q = 'what if orders-db-dr-replication were encrypted?';
      const r = await askWithLlm(ctx, q, bound(settings()));
      expect(r.warning).toBe('the LLM endpoint answered HTTP 503; the deterministic answer is used');
      expect(r.answer).toEqual(answerQuestion(ctx, q));
    });

    it('ask_engine answers a what-if; the phrased answer keeps its what-if result and citations', async () => {
      const q = 'what if orders-db-dr-replication were encrypted?';
      const engine = answerQuestion(ctx, q);
      expect(engine.kind).toBe('what-if');
      const resolved = engine.citations.findings[0] as string;
      script = [
        toolCalls(['ask_engine', { question: q }]),
        final(
          `Encrypting \`orders-db-dr-replication\` resolves \`${resolved}\` (rule \`unencrypted-replication\`).`,
        ),
      ];
      const r = await askWithLlm(ctx, q, bound(settings()));
      expect(r.warning).toBeUndefined();
      const sent = [...toolResults(requests[1] as Received).values()][0];
      expect(sent.kind).toBe('what-if');
      expect(sent.citations).toEqual(engine.citations);
      expect(r.answer.kind).toBe('what-if');
      expect(r.answer.whatIf).toEqual(engine.whatIf);
      for (const id of engine.citations.findings) expect(r.answer.citations.findings).toContain(id);
      expect(r.answer.citations.elements).toContain('orders-db-dr-replication');
      expect(r.answer.citations.rules).toContain('unencrypted-replication');
      noKey(r);
    });
  });
});
