import { type Command, Option } from 'commander';
import type { Severity } from '../../engine/severity.js';
import { markBaseline } from '../../living/baseline.js';
import { PLANNED_FORMATS, REPORT_WRITERS, REPORTERS } from '../../reporters/index.js';
import {
  type CliIO,
  samePath,
  toolVersion,
  UsageError,
  writeFileAtomic,
  writeFileAtomicFrom,
} from '../io.js';
import type { Result } from './index.js';
import { loadInputs } from './inputs.js';
import { analyzeOrFail, readBaselineOrFail, readRisksOrFail } from './pipeline.js';
import {
  asOfOption,
  checkDate,
  failOnOption,
  fromOption,
  gate,
  maxInputOption,
  risksOption,
} from './shared.js';

interface AnalyzeOpts {
  from?: string;
  format: string;
  out?: string;
  failOn?: Severity;
  confirmedOnly?: boolean;
  asOf?: string;
  timestamp?: boolean;
  baseline?: string;
  risks?: string;
  maxInputMb: number;
}

export function registerAnalyze(program: Command, io: CliIO, result: Result): void {
  program
    .command('analyze')
    .description('threat-model the architecture: findings, attack paths and open questions')
    .argument('<input...>', 'model files (.yaml, .yml, .json), joined into one model')
    .addOption(fromOption())
    .addOption(
      new Option('--format <format>', 'report format')
        .choices([...Object.keys(REPORTERS), ...PLANNED_FORMATS])
        .default('text'),
    )
    .option('--out <file>', 'write the report to a file (atomically; never over an input)')
    .addOption(
      failOnOption(
        'exit 1 when an open finding is at or above this severity (with --baseline: a new open finding)',
      ),
    )
    .option('--confirmed-only', 'leave out assumed findings (from the report and the gate)')
    .option(
      '--baseline <file>',
      'a JSON analysis of an earlier run (threatkrew baseline): mark each finding new or unchanged; --fail-on counts only new ones',
    )
    .addOption(risksOption())
    .addOption(asOfOption())
    .option('--timestamp', 'record the time of the analysis in the report')
    .addOption(maxInputOption())
    .action(async (inputs: string[], opts: AnalyzeOpts) => {
      const reporter = REPORTERS[opts.format];
      if (!reporter) throw new UsageError(`--format ${opts.format}: not supported yet`);
      checkDate(opts.asOf);
      if (opts.out !== undefined) {
        for (const input of [
          ...inputs,
          ...(opts.risks ? [opts.risks] : []),
          ...(opts.baseline ? [opts.baseline] : []),
        ]) {
          if (samePath(opts.out, input))
            throw new UsageError(`--out ${opts.out}: refusing to write over an input file`);
        }
      }
      const baseline =
        opts.baseline === undefined ? undefined : readBaselineOrFail(opts.baseline, opts.maxInputMb);
      const loaded = loadInputs(inputs, io, { from: opts.from, maxInputMb: opts.maxInputMb });
      const risks = opts.risks === undefined ? [] : readRisksOrFail(opts.risks, opts.maxInputMb);
      let analysis = analyzeOrFail(loaded, io, {
        asOf: opts.asOf ?? io.today(),
        confirmedOnly: Boolean(opts.confirmedOnly),
        risks,
        ...(opts.timestamp ? { generatedAt: io.now().toISOString() } : {}),
      });
      if (baseline !== undefined) analysis = markBaseline(analysis, baseline);
      const ctx = { toolVersion: toolVersion(), cwd: io.cwd };
      const loadWriter = REPORT_WRITERS[opts.format];
      if (loadWriter) {
        // Written piece by piece: a large model's report is never one string in memory.
        const write = await loadWriter();
        if (opts.out !== undefined) writeFileAtomicFrom(opts.out, (out) => write(analysis, ctx, out));
        else write(analysis, ctx, io.stdout);
      } else {
        const text = await reporter(analysis, ctx);
        if (opts.out !== undefined) writeFileAtomic(opts.out, text);
        else io.stdout(text);
      }
      result.code = 0;
      if (opts.failOn) {
        // With a baseline only new findings count: the gate stops what a change brings, not what was there.
        const counted =
          baseline === undefined
            ? analysis.findings
            : analysis.findings.filter((f) => f.baselineState === 'new');
        result.code = gate(counted, opts.failOn, io, baseline === undefined ? 'open' : 'new open');
      }
    });
}
