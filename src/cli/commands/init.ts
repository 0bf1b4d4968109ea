import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIO, PACKAGE_ROOT, UsageError, writeNewFileAtomic } from '../io.js';
import type { Result } from './index.js';
import { starterModel } from './starter-model.js';

export function registerInit(program: Command, io: CliIO, result: Result): void {
  program
    .command('init')
    .description('write a commented starter model to edit (never overwrites a file)')
    .argument('[file]', 'where to write it', 'threatkrew.yaml')
    .action((file: string) => {
      const target = resolve(io.cwd, file);
      if (existsSync(target)) {
        throw new UsageError(`${file}: already exists; init never overwrites a file (choose another name)`);
      }
      if (!existsSync(dirname(target)))
        throw new UsageError(`${file}: the folder ${dirname(file)} does not exist`);
      let schemaRef = relative(dirname(target), resolve(PACKAGE_ROOT, 'schema', 'threatkrew.schema.json'));
      if (!schemaRef.startsWith('.')) schemaRef = `./${schemaRef}`;
      try {
        writeNewFileAtomic(target, starterModel(schemaRef.split('\\').join('/')));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new UsageError(`${file}: already exists; init never overwrites a file (choose another name)`);
        }
        throw new UsageError(
          `${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        );
      }
      io.stdout(`wrote ${file}: edit it, then run \`threatkrew validate ${file}\`\n`);
      result.code = 0;
    });
}
