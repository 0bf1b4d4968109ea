/** Input kinds (DESIGN §8): .yaml/.yml/.json go to the model loader; .md/.txt are plain English. */
import { extname } from 'node:path';
import type { LoadedModel } from '../../model/load.js';
import { type CliIO, UsageError } from '../io.js';
import { loadOrFail } from './shared.js';

const MODEL_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const ENGLISH_EXTENSIONS = new Set(['.md', '.txt']);

export type InputKind = 'yaml' | 'english';

export function inputKind(file: string, from?: string): InputKind | undefined {
  if (from === 'yaml' || from === 'english') return from;
  const ext = extname(file).toLowerCase();
  if (MODEL_EXTENSIONS.has(ext)) return 'yaml';
  if (ENGLISH_EXTENSIONS.has(ext)) return 'english';
  return undefined;
}

export function loadInputs(
  inputs: readonly string[],
  io: CliIO,
  options: { from?: string | undefined; maxInputMb?: number },
): LoadedModel {
  const problems: string[] = [];
  for (const input of inputs) {
    const kind = inputKind(input, options.from);
    if (kind === undefined) {
      problems.push(
        `${input}: cannot tell the input kind from the extension; give --from yaml or --from english`,
      );
    } else if (kind === 'english') {
      problems.push(`${input}: plain-English input (--from english) is not supported yet`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems[0] as string, problems);
  return loadOrFail(inputs, io, options.maxInputMb);
}
