/** Every command of the CLI, registered explicitly (no registration by import side effect). */
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { registerAnalyze } from './analyze.js';
import { registerAsk } from './ask.js';
import { registerBaseline } from './baseline.js';
import { registerChat } from './chat.js';
import { registerDiagram } from './diagram.js';
import { registerDiff } from './diff.js';
import { registerImport } from './import.js';
import { registerInit } from './init.js';
import { registerRules } from './rules.js';
import { registerSchema } from './schema.js';
import { registerValidate } from './validate.js';
import { registerWatch } from './watch.js';

export type Result = { code: number };

export function registerCommands(program: Command, io: CliIO, result: Result): void {
  registerAnalyze(program, io, result);
  registerValidate(program, io, result);
  registerSchema(program, io, result);
  registerInit(program, io, result);
  registerRules(program, io, result);
  registerDiagram(program, io, result);
  registerDiff(program, io, result);
  registerBaseline(program, io, result);
  registerWatch(program, io, result);
  registerImport(program, io, result);
  registerAsk(program, io, result);
  registerChat(program, io, result);
}
