import { type Command, Option } from 'commander';
import { analyze } from '../../engine/run-rules.js';
import { atLeast, type Severity } from '../../engine/severity.js';
import { PLANNED_FORMATS, REPORTERS } from '../../reporters/index.js';
import { CATALOGUE } from '../../rules/catalog/index.js';
import { type CliIO, samePath, toolVersion, UsageError, writeFileAtomic } from '../io.js';
import type { Result } from './index.js';
import { loadInputs } from './inputs.js';
import { maxInputOption } from './shared.js';

interface AnalyzeOpts {
  from?: string;
  format: string;
  out?: string;
  failOn?: Severity;
  confirmedOnly?: boolean;
  asOf?: string;
  timestamp?: boolean;
  maxInputMb: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerAnalyze(program: Command, io: CliIO, result: Result): void {
  program
    .command('analyze')
    .description('threat-model the architecture: findings, attack paths and open questions')
    .argument('<input...>', 'model files (.yaml, .yml, .json), joined into one model')
    .addOption(
      new Option('--from <kind>', 'input kind, when the extension does not say').choices(['yaml', 'english']),
    )
    .addOption(
      new Option('--format <format>', 'report format')
        .choices([...Object.keys(REPORTERS), ...PLANNED_FORMATS])
        .default('text'),
    )
    .option('--out <file>', 'write the report to a file (atomically; never over an input)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity').choices([
        'low',
        'medium',
        'high',
        'critical',
      ]),
    )
    .option('--confirmed-only', 'leave out assumed findings (from the report and the gate)')
    .option('--as-of <date>', 'judge risk-decision expiry on this date (YYYY-MM-DD; default today, UTC)')
    .option('--timestamp', 'record the time of the analysis in the report')
    .addOption(maxInputOption())
    .action(async (inputs: string[], opts: AnalyzeOpts) => {
      const reporter = REPORTERS[opts.format];
      if (!reporter) throw new UsageError(`--format ${opts.format}: not supported yet`);
      if (opts.asOf !== undefined && !DATE.test(opts.asOf)) {
        throw new UsageError(`--as-of ${opts.asOf}: give a date as YYYY-MM-DD`);
      }
      if (opts.out !== undefined) {
        for (const input of inputs) {
          if (samePath(opts.out, input))
            throw new UsageError(`--out ${opts.out}: refusing to write over an input file`);
        }
      }
      const loaded = loadInputs(inputs, io, { from: opts.from, maxInputMb: opts.maxInputMb });
      const analysis = analyze(loaded.view, CATALOGUE, {
        confirmedOnly: Boolean(opts.confirmedOnly),
        asOf: opts.asOf ?? io.today(),
        ...(opts.timestamp ? { generatedAt: io.now().toISOString() } : {}),
      });
      const text = await reporter(analysis, { toolVersion: toolVersion(), cwd: io.cwd });
      if (opts.out !== undefined) writeFileAtomic(opts.out, text);
      else io.stdout(text);
      result.code = 0;
      if (opts.failOn) {
        const gate = opts.failOn;
        const failing = analysis.findings.filter((f) => f.status === 'open' && atLeast(f.severity, gate));
        if (failing.length > 0) {
          const bySev = ['critical', 'high', 'medium', 'low']
            .map((s) => [s, failing.filter((f) => f.severity === s).length] as const)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ');
          io.stderr(
            `threatkrew: ${failing.length} open finding${failing.length === 1 ? '' : 's'} at or above ${gate} (${bySev}); failing (--fail-on ${gate})\n`,
          );
          result.code = 1;
        } else {
          io.stderr(`threatkrew: no open finding at or above ${gate}; passing (--fail-on ${gate})\n`);
        }
      }
    });
}
