/**
 * Loading a model: read and parse each file, check it against the schema, join the files by disjoint
 * union, check every reference, and give the View (built on first use). Every problem of every file is
 * collected in one run; the model is returned only when there is no error (warnings travel with it).
 */
import { type CheckResult, checkModel, collectEntries } from './check-model.js';
import { type Diagnostic, sortDiagnostics } from './diagnostics.js';
import { fastParse } from './fast-schema.js';
import { protocolEncryption } from './protocols.js';
import {
  type Boundary,
  type Flow,
  MODEL_LISTS,
  type Model,
  type ModelFile,
  modelFileSchema,
} from './schema.js';
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
  /**
   * The View of the model, built on first use and kept: loading itself does not need one (the warnings
   * are read off the model), so a caller that builds its own View, or only validates, does not pay for
   * building it twice.
   */
  readonly view: View;
  /** Locates an element (or one of its fields) in the model files: the View's locator. */
  locator: Locator;
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
  // Not a spread: that would read the lazy `view` and build it.
  result.diagnostics = all;
  return result;
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
  const locator = locatorFor(checked);
  append(diagnostics, modelWarnings(model, checked));
  let view: View | undefined;
  return {
    ok: true,
    model,
    get view() {
      view ??= new View(model, locator);
      return view;
    },
    locator,
    sources,
    diagnostics: sortDiagnostics(diagnostics, order),
  };
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
function modelWarnings(model: Model, checked: CheckResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (id: string, field: string, message: string) => {
    const d = checked.defined.get(id);
    if (!d) return;
    const p = d.entry.source.locate([d.entry.list, d.entry.index, field], 'key');
    out.push({ severity: 'warning', file: d.entry.source.file, line: p.line, col: p.col, message });
  };
  const flowId = (f: Flow) => f.id ?? `${f.from}->${f.to}`;
  for (const f of model.flows) {
    const stated = f.encrypted;
    const implied = protocolEncryption(f.protocol);
    if (typeof stated === 'boolean' && typeof implied === 'boolean' && stated !== implied) {
      const id = flowId(f);
      warn(
        id,
        'encrypted',
        `flow '${id}' says encrypted: ${stated}, but protocol '${f.protocol}' is ${implied ? 'encrypted' : 'plaintext'}; the stated value is used`,
      );
    }
  }
  // An internal component that an internet source (a component inside an internet boundary, as the View
  // has it) calls directly: the first such flow, in model order, is named.
  const internal = new Set<string>();
  for (const c of model.components) if (c.exposure === 'internal') internal.add(c.id);
  if (internal.size === 0) return out;
  const internetSource = internetSources(model);
  const direct = new Map<string, Flow>();
  for (const f of model.flows) {
    if (internal.has(f.to) && !direct.has(f.to) && internetSource.has(f.from)) direct.set(f.to, f);
  }
  for (const c of model.components) {
    const f = direct.get(c.id);
    if (f === undefined) continue;
    warn(
      c.id,
      'exposure',
      `'${c.id}' says exposure: internal, but the internet source '${f.from}' calls it directly (flow '${flowId(f)}'); it is treated as exposed`,
    );
  }
  return out;
}

/** The components inside an internet boundary (at any depth): the View's internet sources. */
function internetSources(model: Model): Set<string> {
  const parent = new Map<string, Boundary>();
  for (const b of model.boundaries) parent.set(b.id, b);
  const inInternet = new Map<string, boolean>();
  const within = (id: string): boolean => {
    let yes = inInternet.get(id);
    if (yes !== undefined) return yes;
    yes = false;
    // A cycle in `in` is an error, so a model that gets here has none; the step limit is a guard.
    let b = parent.get(id);
    for (let steps = 0; b !== undefined && steps <= parent.size; steps++) {
      if (b.kind === 'internet') {
        yes = true;
        break;
      }
      b = b.in === undefined ? undefined : parent.get(b.in);
    }
    inInternet.set(id, yes);
    return yes;
  };
  const out = new Set<string>();
  for (const c of model.components) if (c.in !== undefined && within(c.in)) out.add(c.id);
  return out;
}
