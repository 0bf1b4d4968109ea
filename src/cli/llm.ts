/**
 * The LLM edge (DESIGN §8): settings from the environment and one chat-completions request to an
 * OpenAI-compatible endpoint. This is the only place that reaches the network, and only with `--llm`.
 * The API key goes into the Authorization header and nowhere else: no message, warning or error quotes it.
 */
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
      body: JSON.stringify({
        model: settings.model,
        messages: llmMessages(docs),
        response_format: { type: 'json_object' },
        temperature: 0,
      }),
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
        choices?: { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown }[];
      }
    ).choices?.[0];
    const refusal = choice?.message?.refusal;
    if (typeof refusal === 'string' && refusal.trim() !== '')
      return { ok: false, reason: 'the LLM refused to answer' };
    if (choice?.finish_reason === 'content_filter')
      return { ok: false, reason: 'the LLM refused to answer (content filter)' };
    const content = choice?.message?.content;
    if (typeof content !== 'string' || content.trim() === '')
      return { ok: false, reason: 'the LLM gave an empty answer' };
    return { ok: true, content };
  } catch (e) {
    if (controller.signal.aborted)
      return { ok: false, reason: `the LLM did not answer within ${settings.timeoutMs} ms` };
    const code = (e as { cause?: { code?: string } }).cause?.code;
    return { ok: false, reason: `the LLM endpoint could not be reached${code ? ` (${code})` : ''}` };
  } finally {
    clearTimeout(timer);
  }
}
