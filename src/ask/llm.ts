/**
 * `ask --llm` and `chat --llm` (issue 8, DESIGN §8): an OpenAI-compatible model phrases the answer and
 * takes free-form questions, but sees the model and its Analysis only through tools (function calling):
 * send the messages; while the reply asks for tools, run them here and send their results back; at most
 * `MAX_TOOL_ROUNDS` such rounds. Every id the final reply mentions is checked before it is shown; a reply
 * that mentions an id that does not exist is sent back once, naming those ids, and if the second reply
 * is no better the deterministic answer is used. Any failure (timeout, HTTP error, invalid JSON, refusal,
 * no final answer) gives the deterministic answer and a one-line warning that never quotes the API key.
 */
import { answerQuestion } from './answer.js';
import { buildIdIndex, checkIds, type IdCheck, type IdIndex } from './llm-ids.js';
import { ASK_TOOLS, AskTools, TOOL_NAMES, type ToolRun } from './llm-tools.js';
import type { AskAnswer, AskContext, Citations } from './types.js';

/** A function call the model asked for (chat-completions `tool_calls`), arguments as JSON text. */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** The assistant message of a chat-completions reply, or why there is none (one line, never the key). */
export type ChatReply =
  | { ok: true; content: string | null; toolCalls: ChatToolCall[] }
  | { ok: false; reason: string };

/**
 * One chat-completions request (`payload`: messages, tools, ...). The CLI passes one bound to the LLM
 * settings: the network is reached only there (DESIGN §1), and this module stays testable without it.
 */
export type ChatCompleter = (payload: Readonly<Record<string, unknown>>) => Promise<ChatReply>;

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface AskWithLlmOptions {
  /** Earlier turns of a `chat` session, oldest first. */
  history?: readonly ChatTurn[];
  /** The deterministic answerer (default: `answerQuestion` of this context). */
  deterministic?: (question: string) => AskAnswer;
}

export interface LlmAskResult {
  answer: AskAnswer;
  /** Set when the LLM failed and the deterministic answer is returned; one line, no key. */
  warning?: string;
}

/** Requests in which the model may ask for tools before it must have answered. */
export const MAX_TOOL_ROUNDS = 6;
/** Tool calls run per round; further ones in the same round are answered with an error. */
const MAX_CALLS_PER_ROUND = 8;
/** Earlier chat turns sent along, and the length each is cut to. */
const MAX_HISTORY_TURNS = 12;
const MAX_TURN_CHARS = 4000;

type Message =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The system prompt: what the model may use, how to cite, how to write. */
export function systemPrompt(ctx: AskContext): string {
  const a = ctx.analysis;
  const open = a.findings.filter((f) => f.status === 'open').length;
  const name = a.model.name ? `"${a.model.name}"` : 'an unnamed system';
  return [
    `You answer questions about the threat model of ${name}, analysed by ThreatKrew on ${ctx.asOf}: ` +
      `${a.view.components.length} components, ${a.view.flows.length} flows, ${a.findings.length} findings ` +
      `(${open} open), ${a.attackPaths.length} attack paths, ${a.questions.length} open questions.`,
    '',
    'How to answer:',
    '- You know nothing about this system except what the tools return. Look facts up with the tools ' +
      'and answer only from their results; never invent findings, elements, rules, controls or facts.',
    '- For questions about severity, threats to something, attack paths, what to fix first, what-if ' +
      'changes, compliance frameworks, open questions or the meaning of a term, call ask_engine first and ' +
      'build on its answer.',
    '- Write every id exactly as a tool gave it, in backticks: finding ids (16 hex characters), element ids, ' +
      'rule ids and control ids such as `SC-8` or `CWE-319`. Use backticks for ids and nothing else.',
    '- If the tools do not tell, say that the model does not say; do not guess.',
    '- Be concise: a few sentences or a short list, plain text or simple Markdown, no preamble.',
  ].join('\n');
}

/** Asks the LLM; on any failure, the deterministic answer and a warning. Never throws for LLM faults. */
export async function askWithLlm(
  ctx: AskContext,
  question: string,
  complete: ChatCompleter,
  options: AskWithLlmOptions = {},
): Promise<LlmAskResult> {
  const answers = new Map<string, AskAnswer>();
  const answerer = options.deterministic ?? ((q: string) => answerQuestion(ctx, q));
  const deterministic = (q: string): AskAnswer => {
    let a = answers.get(q);
    if (a === undefined) {
      a = answerer(q);
      answers.set(q, a);
    }
    return a;
  };
  const fallback = (reason: string): LlmAskResult => ({
    answer: deterministic(question),
    warning: `${oneLine(reason)}; the deterministic answer is used`,
  });

  const index = buildIdIndex(ctx, TOOL_NAMES);
  const tools = new AskTools(ctx, index, deterministic);
  const runs: ToolRun[] = [];
  const history = (options.history ?? [])
    .slice(-MAX_HISTORY_TURNS)
    .map((t): Message => ({ role: t.role, content: t.content.slice(0, MAX_TURN_CHARS) }));
  const messages: Message[] = [
    { role: 'system', content: systemPrompt(ctx) },
    ...history,
    { role: 'user', content: question },
  ];
  let rounds = 0;
  let retried = false;
  for (;;) {
    const reply = await complete({ messages, tools: ASK_TOOLS, tool_choice: 'auto' });
    if (!reply.ok) return fallback(reply.reason);
    if (reply.toolCalls.length > 0) {
      if (rounds >= MAX_TOOL_ROUNDS)
        return fallback(`the LLM gave no final answer within ${MAX_TOOL_ROUNDS} rounds of tool calls`);
      rounds++;
      messages.push({ role: 'assistant', content: reply.content, tool_calls: reply.toolCalls });
      reply.toolCalls.forEach((call, i) => {
        let content: string;
        if (i < MAX_CALLS_PER_ROUND) {
          const run = tools.run(call.function.name, call.function.arguments);
          runs.push(run);
          if (run.ok && run.name === 'ask_engine') rememberForeignFindings(run, index);
          content = JSON.stringify(run.result);
        } else {
          content = JSON.stringify({ error: `at most ${MAX_CALLS_PER_ROUND} tool calls are run per turn` });
        }
        messages.push({ role: 'tool', tool_call_id: call.id, content });
      });
      continue;
    }
    const text = (reply.content ?? '').trim();
    if (text === '') return fallback('the LLM gave an empty answer');
    const check = checkIds(text, index);
    if (check.unknown.length === 0)
      return { answer: grounded(ctx, question, text, check, runs, deterministic) };
    if (retried) {
      return fallback(
        `the LLM answer mentioned ids that do not exist (${shownIds(check.unknown)}), also when asked again`,
      );
    }
    retried = true;
    messages.push(
      { role: 'assistant', content: text },
      { role: 'user', content: retryPrompt(check.unknown) },
    );
  }
}

/** The message that sends an ungrounded reply back. */
export function retryPrompt(unknown: readonly string[]): string {
  return (
    `These ids in your answer do not exist in this model, its findings or the rule catalogue: ${unknown.map((u) => `\`${u}\``).join(', ')}. ` +
    'Look the right ids up with the tools and answer again, citing only ids that the tools returned ' +
    '(and using backticks for ids only).'
  );
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function shownIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).map((id) => (id.length > 40 ? `${id.slice(0, 40)}…` : id));
  return `${shown.join(', ')}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''}`;
}

/** Finding ids an engine answer presented that are not of this analysis (a what-if's new findings). */
function rememberForeignFindings(run: ToolRun, index: IdIndex): void {
  for (const id of run.grounds.findings) if (!index.findings.has(id)) index.foreignFindings.add(id);
  const whatIf = run.result.whatIf as { new?: { items?: unknown[] } } | undefined;
  for (const f of whatIf?.new?.items ?? []) {
    const id = (f as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && !index.findings.has(id)) index.foreignFindings.add(id);
  }
}

/**
 * The answer from a checked reply. Citations: the ids the reply mentions (a finding brings its rule and
 * primary elements, as in deterministic answers), plus what the tool results it relied on ground. A
 * lookup (get_finding, get_element, get_rule) or an ask_engine answer is relied on when the reply cites
 * its subject or one of its citations, or when the reply cites no id at all.
 */
function grounded(
  ctx: AskContext,
  question: string,
  text: string,
  check: IdCheck,
  runs: readonly ToolRun[],
  deterministic: (q: string) => AskAnswer,
): AskAnswer {
  const view = ctx.analysis.view;
  const byId = new Map(ctx.analysis.findings.map((f) => [f.id, f] as const));
  const findings = new Set(check.findings);
  const elements = new Set(check.elements);
  const rules = new Set(check.rules);
  const locations: { file: string; line: number }[] = [];
  for (const id of check.findings) {
    const f = byId.get(id);
    if (!f) continue;
    rules.add(f.ruleId);
    for (const p of f.primary) elements.add(p);
  }
  const citesNothing = findings.size === 0 && elements.size === 0 && rules.size === 0;
  const cited = (ids: readonly string[], set: ReadonlySet<string>) => ids.some((id) => set.has(id));
  let engine: AskAnswer | undefined;
  for (const run of runs) {
    if (!run.ok) continue;
    const g = run.grounds;
    const relied =
      citesNothing ||
      (run.name === 'ask_engine'
        ? cited(g.findings, findings) || cited(g.elements, elements) || cited(g.rules, rules)
        : run.subject !== undefined &&
          (findings.has(run.subject) || elements.has(run.subject) || rules.has(run.subject)));
    if (!relied) continue;
    for (const id of g.findings) findings.add(id);
    for (const id of g.elements) elements.add(id);
    for (const id of g.rules) rules.add(id);
    locations.push(...g.locations);
    if (run.name === 'ask_engine' && run.subject !== undefined) engine = deterministic(run.subject);
  }
  for (const id of elements) {
    const l = view.location(id);
    if (l) locations.push({ file: l.file, line: l.line });
  }
  const seen = new Set<string>();
  const uniqueLocations = locations
    .filter((l) => {
      const key = `${l.file}\u0000${l.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => cmp(a.file, b.file) || a.line - b.line);
  const citations: Citations = {
    findings: [...findings].sort(cmp),
    elements: [...elements].filter((id) => view.kindOf(id) !== undefined).sort(cmp),
    rules: [...rules].sort(cmp),
    locations: uniqueLocations,
  };
  const kind = engine?.kind ?? deterministic(question).kind;
  return {
    kind,
    answer: text,
    citations,
    origin: 'llm',
    ...(engine?.whatIf ? { whatIf: engine.whatIf } : {}),
  };
}
