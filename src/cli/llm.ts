/**
 * The LLM edge (DESIGN §8): settings from the environment and one chat-completions request to an
 * OpenAI-compatible endpoint (`chatCompletion`, shared by `import --llm` and `ask --llm`). This is the only
 * place that reaches the network, and only with `--llm`.
 * The API key goes into the Authorization header and nowhere else: no message, warning or error quotes it.
 */
import type { ChatReply, ChatToolCall } from '../ask/llm.js';
import type { EnglishDocument } from '../importers/english/index.js';
import { type LlmAnswer, llmMessages } from '../importers/english/llm.js';

export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

export const DEFAULT_LLM_TIMEOUT_MS = 60_000;

/** Reads the settings; names the missing required ones. */
export function llmSettings(
  env: Readonly<Record<string, string | undefined>>,
): LlmSettings | { missing: string[] } {
  const baseUrl = env.THREATKREW_LLM_BASE_URL?.trim();
  const model = env.THREATKREW_LLM_MODEL?.trim();
  const missing = [
    ...(baseUrl ? [] : ['THREATKREW_LLM_BASE_URL']),
    ...(model ? [] : ['THREATKREW_LLM_MODEL']),
  ];
  if (missing.length > 0 || !baseUrl || !model) return { missing };
  const raw = Number(env.THREATKREW_LLM_TIMEOUT_MS);
  const timeoutMs = Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_LLM_TIMEOUT_MS;
  const apiKey = env.THREATKREW_LLM_API_KEY?.trim() || undefined;
  return { baseUrl, model, apiKey, timeoutMs };
}

/** Asks the model for the architecture as JSON. Never throws: failures come back as a reason. */
export async function requestChatJson(
  settings: LlmSettings,
  docs: readonly EnglishDocument[],
): Promise<LlmAnswer> {
  const reply = await chatCompletion(settings, {
    messages: llmMessages(docs),
    response_format: { type: 'json_object' },
  });
  if (!reply.ok) return reply;
  if (reply.content === null || reply.content.trim() === '')
    return { ok: false, reason: 'the LLM gave an empty answer' };
  return { ok: true, content: reply.content };
}

/**
 * One chat-completions request: `payload` (messages, tools, response_format, ...) with the model and
 * `temperature: 0` added. Never throws: HTTP errors, non-JSON bodies, refusals, malformed tool calls,
 * timeouts and unreachable endpoints come back as a one-line reason that never quotes the key.
 */
export async function chatCompletion(
  settings: LlmSettings,
  payload: Readonly<Record<string, unknown>>,
): Promise<ChatReply> {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  try {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: settings.model, ...payload, temperature: 0 }),
      signal: controller.signal,
    });
    const body = await response.text();
    if (!response.ok) return { ok: false, reason: `the LLM endpoint answered HTTP ${response.status}` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, reason: 'the LLM endpoint did not answer with JSON' };
    }
    const choice = (
      parsed as {
        choices?: {
          message?: { content?: unknown; refusal?: unknown; tool_calls?: unknown };
          finish_reason?: unknown;
        }[];
      } | null
    )?.choices?.[0];
    const refusal = choice?.message?.refusal;
    if (typeof refusal === 'string' && refusal.trim() !== '')
      return { ok: false, reason: 'the LLM refused to answer' };
    if (choice?.finish_reason === 'content_filter')
      return { ok: false, reason: 'the LLM refused to answer (content filter)' };
    const content = choice?.message?.content;
    const toolCalls = readToolCalls(choice?.message?.tool_calls);
    if (toolCalls === undefined) return { ok: false, reason: 'the LLM asked for a malformed tool call' };
    return { ok: true, content: typeof content === 'string' ? content : null, toolCalls };
  } catch (e) {
    if (controller.signal.aborted)
      return { ok: false, reason: `the LLM did not answer within ${settings.timeoutMs} ms` };
    const code = (e as { cause?: { code?: string } }).cause?.code;
    return { ok: false, reason: `the LLM endpoint could not be reached${code ? ` (${code})` : ''}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The tool calls of a reply (none when absent); undefined when they are not well formed. */
function readToolCalls(raw: unknown): ChatToolCall[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return undefined;
  const calls: ChatToolCall[] = [];
  for (const c of raw) {
    const call = c as { id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
    const name = call?.function?.name;
    const args = call?.function?.arguments;
    if (typeof call?.id !== 'string' || typeof name !== 'string') return undefined;
    const text = typeof args === 'string' ? args : args === undefined ? '{}' : JSON.stringify(args);
    calls.push({ id: call.id, type: 'function', function: { name, arguments: text } });
  }
  return calls;
}
