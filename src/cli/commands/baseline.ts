import type { Command } from 'commander';
import { writeJson } from '../../reporters/json/json.js';
import { type CliIO, samePath, toolVersion, UsageError, writeFileAtomicFrom } from '../io.js';
import type { Result } from './index.js';
import { loadInputs } from './inputs.js';
import { analyzeOrFail, readRisksOrFail } from './pipeline.js';
import { asOfOption, checkDate, fromOption, maxInputOption, risksOption } from './shared.js';

interface BaselineOpts {
  out: string;
  from?: string;
  risks?: string;
  asOf?: string;
  maxInputMb: number;
}

export function registerBaseline(program: Command, io: CliIO, result: Result): void {
  program
    .command('baseline')
    .description(
      'write the JSON analysis of the architecture as it is, for `analyze --baseline` to tell new findings from known ones',
    )
    .argument('<input...>', 'model files (.yaml, .yml, .json), joined into one model')
    .requiredOption('--out <file>', 'the baseline file to write (atomically; never over an input)')
    .addOption(fromOption())
    .addOption(risksOption())
    .addOption(asOfOption())
    .addOption(maxInputOption())
    .action((inputs: string[], opts: BaselineOpts) => {
      checkDate(opts.asOf);
      for (const input of [...inputs, ...(opts.risks ? [opts.risks] : [])]) {
        if (samePath(opts.out, input))
          throw new UsageError(`--out ${opts.out}: refusing to write over an input file`);
      }
      const loaded = loadInputs(inputs, io, { from: opts.from, maxInputMb: opts.maxInputMb });
      const risks = opts.risks === undefined ? [] : readRisksOrFail(opts.risks, opts.maxInputMb);
      const analysis = analyzeOrFail(loaded, io, { asOf: opts.asOf ?? io.today(), risks });
      writeFileAtomicFrom(opts.out, (write) => writeJson(analysis, toolVersion(), write));
      const n = analysis.findings.length;
      io.stderr(
        `threatkrew: wrote the baseline of '${analysis.model.name}' (${n} finding${n === 1 ? '' : 's'}) to ${opts.out}\n`,
      );
      result.code = 0;
    });
}
