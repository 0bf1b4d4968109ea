/**
 * End to end: `threatkrew ask --llm` and `chat --llm` as real processes against a local server that
 * speaks the chat-completions API. Checks that nothing reaches the network without `--llm`, that a
 * grounded LLM answer is shown marked as the LLM's with checked citations, and that a failing LLM gives
 * a warning and exactly the deterministic answer.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChatServer, type ReceivedRequest, startChatServer } from './support/chat-server.js';
import { ROOT, runCliAsync } from './support/cli.js';

const KEY = 'sk-test-ASK-CLI-77e1';
const ECOM = join(ROOT, 'examples', 'ecommerce-aws.yaml');
const AS_OF = ['--as-of', '2026-06-01'];
const QUESTION = 'why is the orders-db replication critical?';

type Reply = { status: number; body: string };
let chat: ChatServer;
let base: string;
let replies: Reply[] = [];
let requests: ReceivedRequest[];

const message = (m: Record<string, unknown>, finish = 'stop'): Reply => ({
  status: 200,
  body: JSON.stringify({
    choices: [{ index: 0, message: { role: 'assistant', ...m }, finish_reason: finish }],
  }),
});
const finalReply = (content: string) => message({ content });
const toolCall = (name: string, args: unknown) =>
  message(
    {
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: JSON.stringify(args) } }],
    },
    'tool_calls',
  );

const env = () => ({
  THREATKREW_LLM_BASE_URL: base,
  THREATKREW_LLM_MODEL: 'test-model',
  THREATKREW_LLM_API_KEY: KEY,
});

beforeAll(async () => {
  chat = await startChatServer(() => {
    const reply = replies.shift() ?? { status: 500, body: '{"error":"no scripted reply"}' };
    return { status: reply.status, raw: reply.body };
  });
  base = chat.base;
  requests = chat.requests;
});
afterAll(async () => {
  await chat.close();
});
beforeEach(() => {
  replies = [];
  chat.reset();
});

/** The deterministic answer, and the finding it cites first. */
async function deterministic() {
  const r = await runCliAsync(['ask', ECOM, QUESTION, '--format', 'json', ...AS_OF]);
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout) as { answer: string; citations: { findings: string[]; rules: string[] } };
  expect(json.citations.findings.length).toBeGreaterThan(0);
  return { stdout: r.stdout, json };
}

describe('threatkrew ask --llm / chat --llm (a local chat-completions server)', () => {
  it('without --llm nothing reaches the network, even with the settings present', async () => {
    const r = await runCliAsync(['ask', ECOM, QUESTION, ...AS_OF], { env: env() });
    expect(r.code).toBe(0);
    expect(requests).toHaveLength(0);
    const chat = await runCliAsync(['chat', ECOM, ...AS_OF], { env: env(), input: `${QUESTION}\nexit\n` });
    expect(chat.code).toBe(0);
    expect(requests).toHaveLength(0);
  });

  it('--llm without its settings exits 2 and names them', async () => {
    const r = await runCliAsync(['ask', ECOM, QUESTION, '--llm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--llm needs THREATKREW_LLM_BASE_URL and THREATKREW_LLM_MODEL/);
  });

  it('shows a grounded LLM answer marked as such, with checked citations', async () => {
    const { json: det } = await deterministic();
    const finding = det.citations.findings[0];
    replies = [
      toolCall('ask_engine', { question: QUESTION }),
      finalReply(
        `The replication is critical because of finding \`${finding}\`: it crosses regions unencrypted.`,
      ),
    ];
    const r = await runCliAsync(['ask', ECOM, QUESTION, '--llm', '--format', 'json', ...AS_OF], {
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json.origin).toBe('llm');
    expect(json.answer).toContain(finding);
    expect(json.citations.findings).toContain(finding);
    expect(json.citations.rules).toEqual(expect.arrayContaining(det.citations.rules));
    // The first request offers the tools; the second carries the tool's result back.
    expect(requests).toHaveLength(2);
    expect(requests[0]?.auth).toBe(`Bearer ${KEY}`);
    expect(requests[0]?.body.tools.map((t: { function: { name: string } }) => t.function.name)).toContain(
      'ask_engine',
    );
    const tool = requests[1]?.body.messages.at(-1);
    expect(tool).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(tool.content).toContain(finding);
    expect(r.stdout + r.stderr).not.toContain(KEY);

    replies = [finalReply(`See finding \`${finding}\`.`)];
    const text = await runCliAsync(['ask', ECOM, QUESTION, '--llm', ...AS_OF], { env: env() });
    expect(text.stdout).toMatch(/Phrased by the LLM/);
  });

  it('an LLM that cites a finding that does not exist twice is replaced by the deterministic answer', async () => {
    const { stdout } = await deterministic();
    replies = [
      finalReply('It is critical: see `0123456789abcdef`.'),
      finalReply('Again: `0123456789abcdef`.'),
    ];
    const r = await runCliAsync(['ask', ECOM, QUESTION, '--llm', '--format', 'json', ...AS_OF], {
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(stdout);
    expect(r.stderr).toMatch(/warning: .*0123456789abcdef.*deterministic answer is used/);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body.messages.at(-1).content).toContain('0123456789abcdef');
  });

  it('a failing endpoint gives one warning and the deterministic answer, exit code unchanged', async () => {
    const { stdout } = await deterministic();
    replies = [{ status: 500, body: '{"error":{"message":"boom"}}' }];
    const r = await runCliAsync(['ask', ECOM, QUESTION, '--llm', '--format', 'json', ...AS_OF], {
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(stdout);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/HTTP 500/);
    expect(r.stderr).not.toContain(KEY);
  });

  it('chat --llm sends the earlier turns along', async () => {
    replies = [
      finalReply('First answer, about `orders-db`.'),
      finalReply('Second answer, about `orders-db`.'),
    ];
    const r = await runCliAsync(['chat', ECOM, '--llm', ...AS_OF], {
      env: env(),
      input: 'what threatens orders-db?\nand what should we fix first?\nexit\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('First answer');
    expect(r.stdout).toContain('Second answer');
    expect(requests).toHaveLength(2);
    const second = requests[1]?.body.messages.map((m: { role: string; content: string }) => [
      m.role,
      m.content,
    ]);
    expect(second).toEqual(
      expect.arrayContaining([
        ['user', 'what threatens orders-db?'],
        ['assistant', 'First answer, about `orders-db`.'],
        ['user', 'and what should we fix first?'],
      ]),
    );
  });
});
