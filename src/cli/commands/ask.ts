/**
 * `threatkrew ask <input...> "<question>" [--format text|json] [--llm]` (DESIGN §8, issue 8): one grounded
 * answer about the threat model. Inputs load and are analysed exactly as for `analyze` (the same input
 * kinds, `--risks`, `--as-of`, `--max-input-mb`, located errors and exit 2 on bad input); the last
 * positional argument is the question. The answer machinery is loaded only when the command runs.
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { AskContext } from '../../ask/types.js';
import { type CliIO, UsageError } from '../io.js';
import { chatCompletion, llmSettings } from '../llm.js';
import type { Result } from './index.js';
import { inputKind, loadInputs } from './inputs.js';
import { analyzeOrFail, readRisksOrFail } from './pipeline.js';
import { asOfOption, checkDate, fromOption, maxInputOption, risksOption } from './shared.js';

export interface AskOpts {
  from?: string;
  format?: 'text' | 'json';
  risks?: string;
  asOf?: string;
  llm?: boolean;
  maxInputMb: number;
}

/** The options `ask` and `chat` share: how inputs are read and analysed. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .addOption(fromOption())
    .addOption(risksOption())
    .addOption(asOfOption())
    .option(
      '--llm',
      'phrase answers with an OpenAI-compatible model (THREATKREW_LLM_* settings); facts stay grounded',
    )
    .addOption(maxInputOption());
}

/** Loads and analyses the inputs the way `analyze` does; the context questions are answered over. */
export function askContextOrFail(inputs: readonly string[], io: CliIO, opts: AskOpts): AskContext {
  checkDate(opts.asOf);
  const loaded = loadInputs(inputs, io, { from: opts.from, maxInputMb: opts.maxInputMb });
  const risks = opts.risks === undefined ? [] : readRisksOrFail(opts.risks, opts.maxInputMb);
  const asOf = opts.asOf ?? io.today();
  const analysis = analyzeOrFail(loaded, io, { asOf, risks });
  return { loaded, analysis, asOf, ...(risks.length > 0 ? { risks } : {}) };
}

/** The LLM settings for `--llm`, or a usage error (exit 2) naming what is missing. */
export function llmSettingsOrFail(io: CliIO) {
  const settings = llmSettings(io.env);
  if ('missing' in settings) {
    throw new UsageError(
      `--llm needs ${settings.missing.join(' and ')} (and optionally THREATKREW_LLM_API_KEY, THREATKREW_LLM_TIMEOUT_MS); see DESIGN §8`,
    );
  }
  return settings;
}

export function registerAsk(program: Command, io: CliIO, result: Result): void {
  const cmd = program
    .command('ask')
    .usage('[options] <input...> "<question>"')
    .description(
      'answer a question about the threat model, citing the findings, elements and rules it rests on',
    )
    .argument(
      '<input...>',
      'model files (.yaml, .yml, .json) or plain English (.md, .txt), then the question',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nThe last argument is the question, e.g.\n  threatkrew ask arch.yaml "what threatens orders-db?"\n  threatkrew ask arch.yaml "what if orders-db-dr-replication were encrypted?" --format json',
    );
  addInputOptions(cmd).action(async (args: string[], opts: AskOpts) => {
    if (args.length < 2) {
      throw new UsageError(
        'give the model files and then the question, e.g. threatkrew ask arch.yaml "what threatens orders-db?"',
      );
    }
    const question = (args[args.length - 1] as string).trim();
    const inputs = args.slice(0, -1);
    if (question === '') throw new UsageError('the question (the last argument) is empty');
    if (!/\s/.test(question) && inputKind(question, opts.from) !== undefined && existsSync(question)) {
      throw new UsageError(
        `the last argument is the question, but '${question}' is a file; put the question after the model files`,
      );
    }
    const settings = opts.llm ? llmSettingsOrFail(io) : undefined;
    const ctx = askContextOrFail(inputs, io, opts);
    const ask = await import('../../ask/index.js');
    let answer = ask.answerQuestion(ctx, question);
    if (settings) {
      const { askWithLlm } = await import('../../ask/llm.js');
      const r = await askWithLlm(ctx, question, (payload) => chatCompletion(settings, payload), {
        deterministic: (q) => ask.answerQuestion(ctx, q),
      });
      if (r.warning) io.stderr(`threatkrew: warning: ${r.warning}\n`);
      answer = r.answer;
    }
    io.stdout(opts.format === 'json' ? ask.renderAnswerJson(answer) : ask.renderAnswerText(answer));
    result.code = 0;
  });
}
