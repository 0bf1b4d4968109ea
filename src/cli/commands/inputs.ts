/**
 * Input kinds (DESIGN §8): .yaml/.yml/.json go to the model loader; .md/.txt are plain English, read by
 * the English importer and then validated like any model. Several English files form one description;
 * English and YAML inputs are joined into one model (the text may name components the YAML defines).
 */
import { extname } from 'node:path';
import type { KnownComponent } from '../../importers/english/index.js';
import { renderModelYaml } from '../../importers/render.js';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { type LoadedModel, loadModelSources } from '../../model/load.js';
import { DEFAULT_MAX_INPUT_MB, readSource, SourceFile } from '../../model/source-file.js';
import { COMPONENT_KINDS, type ComponentKind } from '../../model/vocabulary.js';
import { type CliIO, UsageError } from '../io.js';
import { importOrFail, readEnglishInputs, reportUnused } from './english-input.js';
import { loadOrFail } from './shared.js';

const MODEL_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const ENGLISH_EXTENSIONS = new Set(['.md', '.txt', '.markdown']);

export type InputKind = 'yaml' | 'english';

export function inputKind(file: string, from?: string): InputKind | undefined {
  if (from === 'yaml' || from === 'english') return from;
  if (file === '-') return undefined;
  const ext = extname(file).toLowerCase();
  if (MODEL_EXTENSIONS.has(ext)) return 'yaml';
  if (ENGLISH_EXTENSIONS.has(ext)) return 'english';
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export function loadInputs(
  inputs: readonly string[],
  io: CliIO,
  options: { from?: string | undefined; maxInputMb?: number },
): LoadedModel {
  const problems: string[] = [];
  const yaml: string[] = [];
  const english: string[] = [];
  for (const input of inputs) {
    const kind = inputKind(input, options.from);
    if (kind === undefined) {
      problems.push(
        `${input}: cannot tell the input kind from the extension; give --from yaml or --from english`,
      );
    } else if (kind === 'english') english.push(input);
    else yaml.push(input);
  }
  if (problems.length > 0) throw new UsageError(problems[0] as string, problems);
  if (english.length === 0) return loadOrFail(inputs, io, options.maxInputMb);

  const maxInputMb = options.maxInputMb ?? DEFAULT_MAX_INPUT_MB;
  // The YAML models first: the English text may name the components they define.
  const sources: SourceFile[] = [];
  const errors: string[] = [];
  for (const file of yaml) {
    const read = readSource(file, { maxInputMb });
    if (read.ok) sources.push(read.source);
    else errors.push(...formatDiagnostics(read.diagnostics));
  }
  const docs = readEnglishInputs(english, maxInputMb);
  if (errors.length > 0) throw new UsageError('invalid model', errors);
  const known: KnownComponent[] = [];
  let yamlName: string | undefined;
  for (const s of sources) {
    if (!isRecord(s.data)) continue;
    if (typeof s.data.name === 'string') yamlName ??= s.data.name;
    const comps = Array.isArray(s.data.components) ? s.data.components : [];
    for (const c of comps) {
      if (!isRecord(c) || typeof c.id !== 'string') continue;
      const kind = COMPONENT_KINDS.includes(c.kind as ComponentKind) ? (c.kind as ComponentKind) : 'service';
      known.push({ id: c.id, kind, ...(typeof c.name === 'string' ? { name: c.name } : {}) });
    }
  }
  const result = importOrFail(docs, io, { known });
  const model = { ...result.model };
  // One name for the joined model: a YAML file's name wins over the text's heading.
  if (yamlName !== undefined) delete (model as { name?: string }).name;
  reportUnused(result, io);
  const text = renderModelYaml(model, {
    schemaRef: 'threatkrew.schema.json',
    inputs: english,
    from: 'plain English',
    unused: [],
  });
  sources.push(new SourceFile(english[0] as string, text, model));
  const loaded = loadModelSources(sources);
  if (!loaded.ok) throw new UsageError('invalid model', formatDiagnostics(loaded.diagnostics));
  for (const line of formatDiagnostics(loaded.diagnostics)) io.stderr(`${line}\n`);
  return loaded;
}
