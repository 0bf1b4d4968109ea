import { type Command, Option } from 'commander';
import { CATALOGUE } from '../../rules/catalog/index.js';
import { catalogueIndex, ruleDoc } from '../../rules/docs.js';
import type { CliIO } from '../io.js';
import type { Result } from './index.js';

export function registerRules(program: Command, io: CliIO, result: Result): void {
  program
    .command('rules')
    .description('list the rule catalogue')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'md', 'json']).default('text'),
    )
    .action((opts: { format: string }) => {
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify({ rules: CATALOGUE.map((r) => r.meta) }, null, 2)}\n`);
      } else if (opts.format === 'md') {
        io.stdout([catalogueIndex(CATALOGUE), ...CATALOGUE.map((r) => ruleDoc(r.meta))].join('\n'));
      } else {
        const width = Math.max(...CATALOGUE.map((r) => r.meta.id.length));
        for (const r of CATALOGUE)
          io.stdout(`${r.meta.id.padEnd(width)}  ${r.meta.stride.join(',').padEnd(40)} ${r.meta.title}\n`);
      }
      result.code = 0;
    });
}
