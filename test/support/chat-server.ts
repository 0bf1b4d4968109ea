/**
 * A local OpenAI-compatible chat-completions server for the `--llm` tests: each request is recorded and
 * answered with the next reply the test scripted (`next`), so tests check what is sent over real HTTP.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply: a status and a JSON body (or raw text); `hang` never answers (a timeout). */
export interface ScriptedReply {
  status?: number;
  body?: unknown;
  raw?: string;
  hang?: boolean;
}

export interface ReceivedRequest {
  url: string | undefined;
  auth: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are inspected freely
  body: any;
  /** The request body as sent. */
  text: string;
}

export interface ChatServer {
  /** The base URL, as THREATKREW_LLM_BASE_URL takes it (ends in /v1). */
  base: string;
  /** Every request received since the last `reset`, in order. */
  requests: ReceivedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export async function startChatServer(next: () => ScriptedReply): Promise<ChatServer> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (d) => {
      text += d;
    });
    req.on('end', () => {
      requests.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(text), text });
      const reply = next();
      if (reply.hang) return;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(reply.raw ?? JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    reset: () => {
      requests.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
