import { type Command, Option } from 'commander';
import type { Severity } from '../../engine/severity.js';
import { diffAnalyses } from '../../living/diff.js';
import { DIFF_FORMATS, DIFF_RENDERERS, type DiffFormat } from '../../living/diff-report.js';
import { type CliIO, UsageError } from '../io.js';
import type { Result } from './index.js';
import { analyzeOrFail } from './pipeline.js';
import { asOfOption, checkDate, failOnOption, gate, maxInputOption } from './shared.js';
import { loadSide } from './sides.js';

interface DiffOpts {
  old?: string[];
  new?: string[];
  format: DiffFormat;
  failOn?: Severity;
  asOf?: string;
  maxInputMb: number;
}

export function registerDiff(program: Command, io: CliIO, result: Result): void {
  program
    .command('diff')
    .description(
      'what a change does to the architecture and its risk: elements added, removed and changed; findings new, resolved and changed',
    )
    .argument('[old]', 'the architecture before: a model file, a plain-English file, or git:REV:path')
    .argument('[new]', 'the architecture after (same kinds)')
    .option('--old <input...>', 'the side before, when it has several files (instead of <old> <new>)')
    .option('--new <input...>', 'the side after, when it has several files')
    .addOption(
      new Option('--format <format>', 'output format (md: a pull-request comment)')
        .choices(DIFF_FORMATS)
        .default('text'),
    )
    .addOption(
      failOnOption('exit 1 when a new open finding is at or above this severity (a pull-request gate)'),
    )
    .addOption(asOfOption())
    .addOption(maxInputOption())
    .addHelpText(
      'after',
      '\nA git side reads the file at a revision of the repository around the current folder, e.g.\n  threatkrew diff git:origin/main:arch.yaml arch.yaml --format md',
    )
    .action((oldArg: string | undefined, newArg: string | undefined, opts: DiffOpts) => {
      checkDate(opts.asOf);
      const positional = oldArg !== undefined || newArg !== undefined;
      const named = opts.old !== undefined || opts.new !== undefined;
      if (positional && named)
        throw new UsageError('give the sides either as <old> <new> or with --old and --new, not both');
      const before = named ? opts.old : oldArg === undefined ? undefined : [oldArg];
      const after = named ? opts.new : newArg === undefined ? undefined : [newArg];
      if (!before || !after)
        throw new UsageError(
          'give two sides: threatkrew diff <old> <new> (or --old <input...> --new <input...>)',
        );
      const asOf = opts.asOf ?? io.today();
      const quiet: CliIO = { ...io, stderr: () => {} };
      // The old side's warnings are not printed: nobody edits history. Its errors still stop the diff.
      const oldAnalysis = analyzeOrFail(
        loadSide(before, io, { maxInputMb: opts.maxInputMb, warnings: false }),
        quiet,
        { asOf },
      );
      const newAnalysis = analyzeOrFail(
        loadSide(after, io, { maxInputMb: opts.maxInputMb, warnings: true }),
        io,
        { asOf },
      );
      const diff = diffAnalyses(oldAnalysis, newAnalysis);
      io.stdout(DIFF_RENDERERS[opts.format](diff));
      result.code = opts.failOn ? gate(diff.findings.new, opts.failOn, io, 'new open') : 0;
    });
}
