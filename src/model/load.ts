/**
 * Loading a model: read and parse each file, check it against the schema, join the files by disjoint
 * union, check every reference, and build the View. Every problem of every file is collected in one
 * run; the model is returned only when there is no error (warnings travel with it).
 */
import { type CheckResult, checkModel, collectEntries } from './check-model.js';
import { type Diagnostic, sortDiagnostics } from './diagnostics.js';
import { fastParse } from './fast-schema.js';
import { protocolEncryption } from './protocols.js';
import { MODEL_LISTS, type Model, type ModelFile, modelFileSchema } from './schema.js';
import { schemaDiagnostics } from './schema-errors.js';
import { DEFAULT_MAX_INPUT_MB, readSource, type SourceFile } from './source-file.js';
import { type Locator, View } from './view.js';

export interface LoadOptions {
  /** Largest input file read, in MB (DESIGN §3: 64 by default). */
  maxInputMb?: number;
}

export interface LoadedModel {
  ok: true;
  model: Model;
  view: View;
  sources: readonly SourceFile[];
  /** Warnings, located; they do not change the exit code. */
  diagnostics: Diagnostic[];
}

export interface FailedLoad {
  ok: false;
  /** Errors and warnings, sorted by file, line and column. */
  diagnostics: Diagnostic[];
}

export type LoadResult = LoadedModel | FailedLoad;

/**
 * Appends one list to another with a loop: `push(...items)` passes every item as an argument, and a
 * broken 100,000-component model has enough diagnostics to overflow the call stack that way.
 */
function append<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads, validates and joins model files. */
export function loadModelFiles(files: readonly string[], options: LoadOptions = {}): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const sources: SourceFile[] = [];
  for (const file of files) {
    const read = readSource(file, { maxInputMb: options.maxInputMb ?? DEFAULT_MAX_INPUT_MB });
    if (read.ok) sources.push(read.source);
    else append(diagnostics, read.diagnostics);
  }
  if (files.length === 0) {
    return {
      ok: false,
      diagnostics: [{ severity: 'error', file: '(input)', message: 'no model file given' }],
    };
  }
  if (sources.length === 0) return { ok: false, diagnostics: sortDiagnostics(diagnostics, files) };
  const result = loadModelSources(sources);
  const all = sortDiagnostics([...diagnostics, ...result.diagnostics], files);
  if (diagnostics.length > 0 || !result.ok) return { ok: false, diagnostics: all };
  return { ...result, diagnostics: all };
}

/** Validates and joins already parsed sources (importers produce these too). */
export function loadModelSources(sources: readonly SourceFile[]): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const parsed: { source: SourceFile; data: ModelFile }[] = [];
  for (const source of sources) {
    if (!isRecord(source.data)) {
      const p = source.locate([]);
      diagnostics.push({
        severity: 'error',
        file: source.file,
        line: p.line,
        col: p.col,
        message:
          'a model is a mapping that starts with `threatkrew: 1` (try `threatkrew init` for a starter)',
      });
      continue;
    }
    // The compiled fast path answers for valid files; zod decides (and words the errors) for the rest.
    const fast = fastParse(modelFileSchema, source.data);
    if (fast) {
      parsed.push({ source, data: fast.data });
      continue;
    }
    const r = modelFileSchema.safeParse(source.data);
    if (r.success) parsed.push({ source, data: r.data });
    else append(diagnostics, schemaDiagnostics(r.error.issues, source, 'model'));
  }
  const valid = sources.filter((s) => isRecord(s.data));
  const checked = checkModel(valid, collectEntries(valid));
  append(diagnostics, checked.diagnostics);
  const order = sources.map((s) => s.file);
  if (
    diagnostics.some((d) => d.severity === 'error') ||
    parsed.length !== sources.length ||
    sources.length === 0
  ) {
    return { ok: false, diagnostics: sortDiagnostics(diagnostics, order) };
  }
  const model = merge(parsed.map((p) => p.data));
  const view = new View(model, locatorFor(checked));
  append(diagnostics, modelWarnings(view, checked));
  return { ok: true, model, view, sources, diagnostics: sortDiagnostics(diagnostics, order) };
}

/** Disjoint union of files already checked for duplicate ids and agreeing names. */
export function merge(files: readonly ModelFile[]): Model {
  const model: Model = {
    threatkrew: 1,
    name: files.find((f) => f.name !== undefined)?.name ?? '',
    boundaries: [],
    components: [],
    identities: [],
    data: [],
    flows: [],
    assumptions: [],
    questions: [],
    risks: [],
  };
  const description = files.find((f) => f.description !== undefined)?.description;
  if (description !== undefined) model.description = description;
  for (const f of files) {
    for (const list of MODEL_LISTS) {
      const items = f[list];
      // A loop, not push(...items): spreading a list of 100,000+ items overflows the call stack.
      if (items) for (const item of items) (model[list] as unknown[]).push(item);
    }
  }
  return model;
}

function locatorFor(checked: CheckResult): Locator {
  return (id, field) => {
    const d = checked.defined.get(id);
    if (!d) return undefined;
    const { entry } = d;
    const path: (string | number)[] = [entry.list, entry.index];
    if (field !== undefined && entry.value[field] !== undefined) path.push(field);
    const p = entry.source.locate(path, field === undefined ? 'value' : 'key');
    return { file: entry.source.file, line: p.line, col: p.col };
  };
}

/** Warnings of DESIGN §3: contradictions the user should look at, which do not stop the analysis. */
function modelWarnings(view: View, checked: CheckResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (id: string, field: string, message: string) => {
    const d = checked.defined.get(id);
    if (!d) return;
    const p = d.entry.source.locate([d.entry.list, d.entry.index, field], 'key');
    out.push({ severity: 'warning', file: d.entry.source.file, line: p.line, col: p.col, message });
  };
  for (const f of view.flows) {
    const stated = f.flow.encrypted;
    const implied = protocolEncryption(f.flow.protocol);
    if (typeof stated === 'boolean' && typeof implied === 'boolean' && stated !== implied) {
      warn(
        f.id,
        'encrypted',
        `flow '${f.id}' says encrypted: ${stated}, but protocol '${f.flow.protocol}' is ${implied ? 'encrypted' : 'plaintext'}; the stated value is used`,
      );
    }
  }
  for (const c of view.components) {
    if (c.exposure !== 'internal') continue;
    const direct = view.flowsTo(c.id).find((f) => f.fromInternet);
    if (direct) {
      warn(
        c.id,
        'exposure',
        `'${c.id}' says exposure: internal, but the internet source '${direct.from.id}' calls it directly (flow '${direct.id}'); it is treated as exposed`,
      );
    }
  }
  return out;
}
