import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import type { Result } from './index.js';
import { loadOrFail, maxInputOption } from './shared.js';

export function registerValidate(program: Command, io: CliIO, result: Result): void {
  program
    .command('validate')
    .description('check model files (joined into one model) and report every problem with its location')
    .argument('<model...>', 'model files (.yaml, .yml, .json)')
    .addOption(maxInputOption())
    .action((files: string[], opts: { maxInputMb: number }) => {
      const { model } = loadOrFail(files, io, opts.maxInputMb);
      const counts = [
        `${model.components.length} components`,
        `${model.flows.length} flows`,
        `${model.boundaries.length} boundaries`,
        `${model.data.length} data`,
        `${model.identities.length} identities`,
      ].join(', ');
      io.stdout(`${files.join(', ')}: valid model '${model.name}' (${counts})\n`);
      result.code = 0;
    });
}
