/**
 * `threatkrew chat <input...> [--llm]` (DESIGN §8, issue 8): questions about the threat model, one after
 * another, over one analysis. At a terminal it is an interactive prompt (node:readline) with history and
 * tab completion of element ids and names; `exit`, `quit` or Ctrl-D leaves. When stdin is not a terminal
 * it reads one question per line and prints each answer, so a session can be piped in and tested.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { AskContext } from '../../ask/types.js';
import type { CliIO } from '../io.js';
import { chatCompletion } from '../llm.js';
import { type AskOpts, addInputOptions, askContextOrFail, llmSettingsOrFail } from './ask.js';
import type { Result } from './index.js';

const LEAVE = /^(?:exit|quit|bye|:q|\\q)$/i;

/** The words tab completion offers: element ids and names, finding and rule ids, commands. */
export function completionWords(ctx: AskContext): string[] {
  const view = ctx.loaded.view;
  const words = new Set<string>([
    'help',
    'exit',
    'quit',
    'summarize',
    'open questions',
    'what should we fix first?',
  ]);
  for (const list of [view.components, view.boundaries, view.identities, view.data]) {
    for (const e of list) {
      words.add(e.id);
      if (e.name) words.add(e.name);
    }
  }
  for (const f of view.flows) words.add(f.id);
  for (const f of ctx.analysis.findings) {
    words.add(f.id);
    words.add(f.ruleId);
  }
  for (const q of ctx.analysis.questions) words.add(q.id);
  return [...words].sort();
}

/** Completes the last word of a line (case-insensitive prefix match). */
export function complete(words: readonly string[], line: string): [string[], string] {
  const m = /(\S*)$/.exec(line);
  const last = m?.[1] ?? '';
  if (last === '') return [[], last];
  const lower = last.toLowerCase();
  const hits = words.filter((w) => w.toLowerCase().startsWith(lower) && !/\s/.test(w));
  return [hits, last];
}

export function registerChat(program: Command, io: CliIO, result: Result): void {
  const cmd = program
    .command('chat')
    .description(
      'ask questions about the threat model one after another (interactive at a terminal; one question per line on a pipe)',
    )
    .argument(
      '<input...>',
      'model files (.yaml, .yml, .json) or plain English (.md, .txt), joined into one model',
    );
  addInputOptions(cmd).action(async (inputs: string[], opts: AskOpts) => {
    const settings = opts.llm ? llmSettingsOrFail(io) : undefined;
    const ctx = askContextOrFail(inputs, io, opts);
    const ask = await import('../../ask/index.js');
    const llm = settings ? await import('../../ask/llm.js') : undefined;
    const history: { role: 'user' | 'assistant'; content: string }[] = [];
    const reply = async (question: string): Promise<string> => {
      let answer = ask.answerQuestion(ctx, question);
      if (llm && settings) {
        const r = await llm.askWithLlm(ctx, question, (payload) => chatCompletion(settings, payload), {
          history,
          deterministic: (q) => ask.answerQuestion(ctx, q),
        });
        if (r.warning) io.stderr(`threatkrew: warning: ${r.warning}\n`);
        answer = r.answer;
        history.push({ role: 'user', content: question }, { role: 'assistant', content: answer.answer });
      }
      return ask.renderAnswerText(answer);
    };
    const tty = Boolean(process.stdin.isTTY) && io.isTTY;
    const words = completionWords(ctx);
    const rl = createInterface({
      input: process.stdin,
      output: tty ? process.stdout : undefined,
      terminal: tty,
      historySize: 200,
      ...(tty ? { completer: (line: string) => complete(words, line) } : {}),
    });
    if (tty) {
      const a = ctx.analysis;
      io.stdout(
        `ThreatKrew chat: ${a.model.name}, ${a.findings.length} finding${a.findings.length === 1 ? '' : 's'} (${a.findings.filter((f) => f.status === 'open').length} open). Ask in your own words; "help" lists what I answer, "exit" or Ctrl-D leaves.\n`,
      );
      rl.setPrompt('ask> ');
      rl.prompt();
    }
    await new Promise<void>((resolve) => {
      // Lines are answered one at a time, in order, even when a pipe delivers them all at once.
      let queue = Promise.resolve();
      let left = false;
      rl.on('line', (line) => {
        queue = queue.then(async () => {
          if (left) return;
          const question = line.trim();
          if (question === '') {
            if (tty) rl.prompt();
            return;
          }
          if (LEAVE.test(question)) {
            left = true;
            rl.close();
            return;
          }
          io.stdout(`${await reply(question)}\n`);
          if (tty) rl.prompt();
        });
      });
      rl.on('SIGINT', () => rl.close());
      rl.on('close', () => {
        void queue.then(() => resolve());
      });
    });
    result.code = 0;
  });
}
