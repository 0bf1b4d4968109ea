import { type Command, Option } from 'commander';
import { DIAGRAM_FORMATS, DIAGRAM_RENDERERS, type DiagramFormat } from '../../reporters/diagram/index.js';
import { type CliIO, samePath, UsageError, writeFileAtomic } from '../io.js';
import type { Result } from './index.js';
import { loadInputs } from './inputs.js';
import { analyzeOrFail } from './pipeline.js';
import { maxInputOption } from './shared.js';

interface DiagramOpts {
  format: DiagramFormat;
  full?: boolean;
  out?: string;
  maxInputMb: number;
}

export function registerDiagram(program: Command, io: CliIO, result: Result): void {
  program
    .command('diagram')
    .description('draw the data-flow diagram: trust boundaries, components and flows, coloured by findings')
    .argument('<input...>', 'model files (.yaml, .yml, .json), joined into one model')
    .addOption(new Option('--format <format>', 'diagram format').choices(DIAGRAM_FORMATS).default('svg'))
    .option(
      '--full',
      'draw every component, even in a model of more than 300 (default: one node per boundary)',
    )
    .option('--out <file>', 'write the diagram to a file (atomically; never over an input)')
    .addOption(maxInputOption())
    .action(async (inputs: string[], opts: DiagramOpts) => {
      if (opts.out !== undefined) {
        for (const input of inputs) {
          if (samePath(opts.out, input))
            throw new UsageError(`--out ${opts.out}: refusing to write over an input file`);
        }
      }
      const loaded = loadInputs(inputs, io, { maxInputMb: opts.maxInputMb });
      // Colours follow the open findings, so the diagram is drawn from a full analysis with its decisions.
      const analysis = analyzeOrFail(loaded, io, { asOf: io.today() });
      const text = await DIAGRAM_RENDERERS[opts.format](analysis, { full: Boolean(opts.full) });
      if (opts.out !== undefined) writeFileAtomic(opts.out, text);
      else io.stdout(text);
      result.code = 0;
    });
}
