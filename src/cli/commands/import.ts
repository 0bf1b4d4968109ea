/**
 * `threatkrew import <input...> --from english [--out model.yaml|model.json] [--llm]` (DESIGN §8): plain
 * English to a model people can edit and re-analyse. YAML (to stdout, or a .yaml/.yml file) carries the
 * schema line, each element's source sentence and the sentences that were not used; JSON is the plain model.
 */
import { dirname, extname, relative, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { refineWithLlm } from '../../importers/english/llm.js';
import { renderModelJson, renderModelYaml } from '../../importers/render.js';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { loadModelSources } from '../../model/load.js';
import type { ModelFile } from '../../model/schema.js';
import { SourceFile } from '../../model/source-file.js';
import { type CliIO, PACKAGE_ROOT, samePath, UsageError, writeFileAtomic } from '../io.js';
import { llmSettings, requestChatJson } from '../llm.js';
import { importOrFail, readEnglishInputs, reportUnused } from './english-input.js';
import type { Result } from './index.js';
import { maxInputOption } from './shared.js';

interface ImportOpts {
  from: string;
  out?: string;
  llm?: boolean;
  maxInputMb: number;
}

/** Importers that exist; DESIGN §8 lists more for later ("not supported yet"). */
const PLANNED = ['yaml', 'compose', 'kubernetes', 'terraform', 'threagile'];

function schemaRefFor(out: string | undefined, cwd: string): string {
  const schema = resolve(PACKAGE_ROOT, 'schema', 'threatkrew.schema.json');
  const from = out !== undefined ? dirname(resolve(cwd, out)) : cwd;
  let ref = relative(from, schema).split('\\').join('/');
  if (!ref.startsWith('.')) ref = `./${ref}`;
  return ref;
}

export function registerImport(program: Command, io: CliIO, result: Result): void {
  program
    .command('import')
    .description('read a plain-English architecture description and write the model (YAML or JSON)')
    .argument(
      '<input...>',
      'plain-English files (.md, .txt), or - for standard input; several form one description',
    )
    .addOption(
      new Option('--from <kind>', 'what the input is').choices(['english', ...PLANNED]).default('english'),
    )
    .option('--out <file>', 'write the model to a file: .yaml/.yml or .json (default: YAML on stdout)')
    .option('--llm', 'refine the reading with an OpenAI-compatible model (THREATKREW_LLM_* settings)')
    .addOption(maxInputOption())
    .action(async (inputs: string[], opts: ImportOpts) => {
      if (opts.from !== 'english') {
        throw new UsageError(
          `--from ${opts.from}: importing ${opts.from} is not supported yet; use --from english`,
        );
      }
      let format: 'yaml' | 'json' = 'yaml';
      if (opts.out !== undefined) {
        const ext = extname(opts.out).toLowerCase();
        if (ext === '.json') format = 'json';
        else if (ext !== '.yaml' && ext !== '.yml') {
          throw new UsageError(
            `--out ${opts.out}: name a .yaml, .yml or .json file (the format follows the extension)`,
          );
        }
        for (const input of inputs) {
          if (input !== '-' && samePath(opts.out, input)) {
            throw new UsageError(`--out ${opts.out}: refusing to write over an input file`);
          }
        }
      }
      if (inputs.filter((i) => i === '-').length > 1)
        throw new UsageError('-: standard input can be read once');
      const settings = opts.llm ? llmSettings(io.env) : undefined;
      if (settings && 'missing' in settings) {
        throw new UsageError(
          `--llm needs ${settings.missing.join(' and ')} (and optionally THREATKREW_LLM_API_KEY, THREATKREW_LLM_TIMEOUT_MS); see DESIGN §8`,
        );
      }
      const docs = readEnglishInputs(inputs, opts.maxInputMb);
      const imported = importOrFail(docs, io);
      let model: ModelFile = imported.model;
      let refined = false;
      if (settings && !('missing' in settings)) {
        const answer = await requestChatJson(settings, docs);
        const r = refineWithLlm(model, answer, docs);
        for (const w of r.warnings) io.stderr(`threatkrew: warning: ${w}\n`);
        if (r.model !== model) {
          const check = loadModelSources([new SourceFile(docs[0]?.file ?? 'model', '', r.model)]);
          if (check.ok) {
            model = r.model;
            refined = true;
          } else {
            io.stderr(
              'threatkrew: warning: the LLM additions did not make a valid model; the deterministic reading is kept\n',
            );
          }
        }
      }
      reportUnused(imported, io);
      const text =
        format === 'json'
          ? renderModelJson(model)
          : renderModelYaml(model, {
              schemaRef: schemaRefFor(opts.out, io.cwd),
              inputs: docs.map((d) => d.file),
              from: 'plain English',
              unused: imported.unused,
              llm: refined,
            });
      // What is written must load: a model the importer cannot validate is a bug in the importer.
      const loaded = loadModelSources([new SourceFile(opts.out ?? docs[0]?.file ?? 'model', text, model)]);
      if (!loaded.ok) {
        throw new Error(
          `the imported model does not validate: ${formatDiagnostics(loaded.diagnostics).slice(0, 3).join('; ')}`,
        );
      }
      if (opts.out !== undefined) writeFileAtomic(opts.out, text);
      else io.stdout(text);
      result.code = 0;
    });
}
