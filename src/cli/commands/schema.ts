import type { Command } from 'commander';
import { modelSchemaText } from '../../model/json-schema.js';
import type { CliIO } from '../io.js';
import type { Result } from './index.js';

export function registerSchema(program: Command, io: CliIO, result: Result): void {
  program
    .command('schema')
    .description('print the JSON Schema of the model format (for editors and other tools)')
    .action(() => {
      io.stdout(modelSchemaText());
      result.code = 0;
    });
}
