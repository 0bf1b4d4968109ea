#!/usr/bin/env node
/**
 * One benchmark measurement in a fresh process (started by bench/run.mjs; runnable by hand):
 *
 *   node bench/measure.mjs --file MODEL.json [--format json|yaml] [--all-rules] [--skip id,...]
 *                                                                        phases of one analysis
 *   node bench/measure.mjs --files A.json,B.json,...   the same, for a model in several files
 *   node bench/measure.mjs --file MODEL.json --per-rule [--repeat 3] [--all-rules] [--skip id,...]
 *     (one View; rule by rule: with --expose-gc, a full collection; untimed warm-up runs (at least five
 *     and 150 ms), then --repeat timed runs; the View's search caches are emptied before every run;
 *     drafts are counted, not kept; wall-clock and CPU medians)
 *   node bench/measure.mjs --file MODEL.json --floor [--repeat 3] [--all-rules] [--skip id,...]
 *     what bounds view + rules + attackPaths (see measureFloor; bench/run.mjs asks for --repeat 8)
 *
 * It imports the COMPILED code from dist/ (run `npm run build` first). The result is sent to the parent
 * over IPC when there is one (child_process.fork), else printed as one JSON line on stdout.
 *
 * Phases (milliseconds, performance.now()):
 *   read        readInputText (stat, size and binary checks, UTF-8 decoding) + parseSource (JSON.parse and
 *               the nesting check, or the YAML parse and compose).
 *   validate    loadModelSources (schema, references, cycles, merge, warnings). The loader builds its View
 *               only when asked (LoadedModel.view), so none is built here.
 *   view        `new View(model, locator)` on the loaded model (indexes and per-flow facts) + forcing its
 *               lazy derived facts: isInternetReachable() on every component (the reachability search)
 *               and entryPaths() (the bounded shortest paths). With a loader that still builds its View
 *               eagerly (older builds), that construction is subtracted from validate instead.
 *   rules       analyze() minus attackPaths: runRules over the catalogue (every detect, draft checks,
 *               fingerprints, merging) plus the engine's finding assembly (supersession, questions,
 *               message templates, sorting).
 *   attackPaths attackPaths(view, findings) timed on its own (entryPaths is already computed, so this is
 *               the per-target path selection, weakest links and related findings).
 *   report      the JSON report of the full Analysis that analyze() returned, as the CLI writes it: streamed
 *               by writeJson in pieces (one string would exceed V8's longest string at 100,000 components),
 *               the pieces counted and dropped (renderJson, one string, where writeJson does not exist).
 *   totalMs     the sum of the six phases (read through JSON report).
 *   peakRssMb   process.resourceUsage().maxRSS of this process (KB → MB), after the report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const dist = (p) => import(pathToFileURL(join(DIST, p)).href);

/** Large enough for the largest benchmark model (the CLI's default is 64 MB; see --max-input-mb). */
const MAX_INPUT_MB = 4096;

function parseArgs(argv) {
  const o = { file: undefined, format: undefined, perRule: false, repeat: 3, allRules: false, skip: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--file') o.file = argv[++i];
    else if (a === '--files') o.files = argv[++i].split(',');
    else if (a === '--format') o.format = argv[++i];
    else if (a === '--per-rule') o.perRule = true;
    else if (a === '--floor') o.floor = true;
    else if (a === '--repeat') o.repeat = Number(argv[++i]);
    else if (a === '--all-rules') o.allRules = true;
    else if (a === '--until') o.until = argv[++i];
    else if (a === '--skip') o.skip = argv[++i].split(',').filter(Boolean);
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.files) o.file = o.files[0];
  if (!o.file) throw new Error('--file is required');
  o.files ??= [o.file];
  o.format ??= o.file.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
  return o;
}

/**
 * The rules to run: the catalogue (src/rules/catalog/index.ts, what the CLI runs), and with `all` also
 * every rule compiled in dist/rules/catalog/<id>/rule.js that the index does not list yet.
 */
export async function loadRules(all) {
  const { CATALOGUE } = await dist('rules/catalog/index.js');
  const rules = CATALOGUE.map((rule) => ({ rule, inCatalogue: true }));
  if (!all) return rules;
  const known = new Set(CATALOGUE.map((r) => r.meta.id));
  const dir = join(DIST, 'rules', 'catalog');
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory() || known.has(entry.name)) continue;
    try {
      const mod = await import(pathToFileURL(join(dir, entry.name, 'rule.js')).href);
      const rule = mod.default;
      if (rule?.meta?.id && typeof rule.detect === 'function' && !known.has(rule.meta.id)) {
        rules.push({ rule, inCatalogue: false });
        known.add(rule.meta.id);
      }
    } catch {
      // A rule another engineer is still writing may not load yet; it is left out.
    }
  }
  return rules;
}

function rssMb() {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

const round = (ms) => Math.round(ms * 100) / 100;
/**
 * Per-rule warm-up: untimed runs until at least WARMUP_RUNS runs and WARMUP_MS of running, stopping early
 * once they have taken WARMUP_CAP_MS. A thousand-component run of a rule takes about a millisecond, too
 * little for V8 to optimise it in two runs, while a 10,000-component run is optimised within its first
 * (on-stack replacement): the timed runs must meet both sizes in the same, optimised state, or the growth
 * measures the compiler rather than the rule.
 */
const WARMUP_RUNS = 5;
const WARMUP_MS = 150;
const WARMUP_CAP_MS = 1000;

async function measurePhases(o) {
  const { readInputText, parseSource } = await dist('model/source-file.js');
  const { loadModelSources } = await dist('model/load.js');
  const { View } = await dist('model/view.js');
  const { analyze } = await dist('engine/run-rules.js');
  const { attackPaths } = await dist('engine/attack-paths.js');
  const { renderJson, writeJson } = await dist('reporters/json/json.js');
  const rules = (await loadRules(o.allRules)).map((r) => r.rule).filter((r) => !o.skip.includes(r.meta.id));
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

  // CPU time (user + system, all threads of the process) per phase, next to the wall-clock time: on a
  // busy machine wall time grows with contention while CPU time mostly does not.
  const cpu = [];
  const mark = () => {
    const u = process.cpuUsage();
    cpu.push((u.user + u.system) / 1000);
  };
  // Progress after each step, so that a process that dies (out of memory) still leaves what it measured.
  const progress = (step, ms) => {
    if (process.send) process.send({ mode: 'progress', step, ms: round(ms), peakRssMb: rssMb() });
  };
  const stop = (step) => o.until === step;

  // read
  mark();
  const t0 = performance.now();
  const sources = [];
  let bytes = 0;
  for (const file of o.files) {
    const read = readInputText(file, MAX_INPUT_MB);
    if (!('text' in read)) throw new Error(`read: ${read.message}`);
    bytes += Buffer.byteLength(read.text);
    const parsed = parseSource(file, read.text, o.format === 'json');
    if (!parsed.ok) throw new Error(`parse: ${parsed.diagnostics[0]?.message}`);
    sources.push(parsed.source);
  }
  const t1 = performance.now();
  mark();
  progress('read', t1 - t0);

  // validate (+ the loader's own View)
  const loaded = loadModelSources(sources);
  const t2 = performance.now();
  mark();
  progress('loadModelSources', t2 - t1);
  if (!loaded.ok) {
    const first = loaded.diagnostics.find((d) => d.severity === 'error');
    throw new Error(
      `validate: ${loaded.diagnostics.length} diagnostics, first: ${first?.line}: ${first?.message}`,
    );
  }
  const warnings = loaded.diagnostics.length;
  // The loader's locator lets the new View locate elements too. Older builds have it only inside the
  // View they built eagerly (a private field at the type level), which is then dropped: one View is
  // live at a time, as in the CLI.
  const eagerView = !('locator' in loaded);
  const locator = eagerView ? loaded.view.locator : loaded.locator;
  const model = loaded.model;
  if (eagerView) loaded.view = undefined;

  // view: construction + lazy derived facts
  mark();
  const t3 = performance.now();
  const view = new View(model, locator);
  const t4 = performance.now();
  mark();
  progress('viewConstruct', t4 - t3);
  let reachable = 0;
  for (const c of view.components) if (view.isInternetReachable(c.id)) reachable++;
  const search = view.entryPaths();
  const t5 = performance.now();
  mark();
  progress('viewDerived', t5 - t4);
  const viewCtorMs = t4 - t3;

  // rules (+ attack paths inside analyze)
  const analysis = analyze(view, rules);
  const t6 = performance.now();
  mark();
  progress('analyze', t6 - t5);
  // attackPaths on its own (same View, same findings)
  const ap = attackPaths(view, analysis.findings);
  const t7 = performance.now();
  mark();
  progress('attackPaths', t7 - t6);
  const analyzeMs = t6 - t5;
  const attackPathsMs = t7 - t6;

  // report (skipped with --until attackPaths: a diagnostic, e.g. to get a CPU profile of the phases
  // before a report that runs out of memory)
  let reportChars = 0;
  if (stop('attackPaths')) {
    // no report
  } else if (writeJson) {
    writeJson(analysis, version, (chunk) => {
      reportChars += chunk.length;
    });
  } else {
    reportChars = renderJson(analysis, version).length;
  }
  const t8 = performance.now();
  mark();
  // cpu: [0 read 1 load 2 (gap) 3 ctor 4 derived 5 analyze 6 attackPaths 7 report 8]
  const d = (i) => cpu[i + 1] - cpu[i];
  const cpuPhases = {
    read: round(d(0)),
    validate: round(Math.max(0, d(1) - (eagerView ? d(3) : 0))),
    view: round(d(3) + d(4)),
    rules: round(Math.max(0, d(5) - d(6))),
    attackPaths: round(d(6)),
    report: round(d(7)),
  };

  const phases = {
    read: round(t1 - t0),
    validate: round(t2 - t1 - (eagerView ? viewCtorMs : 0)),
    view: round(viewCtorMs + (t5 - t4)),
    rules: round(Math.max(0, analyzeMs - attackPathsMs)),
    attackPaths: round(attackPathsMs),
    report: round(t8 - t7),
  };
  const totalMs = round(Object.values(phases).reduce((a, b) => a + b, 0));
  return {
    mode: 'phases',
    file: o.file,
    format: o.format,
    bytes,
    files: o.files.length,
    components: model.components.length,
    flows: model.flows.length,
    rules: rules.length,
    phases,
    totalMs,
    peakRssMb: rssMb(),
    ...(o.until ? { until: o.until } : {}),
    cpuMs: { phases: cpuPhases, totalMs: round(Object.values(cpuPhases).reduce((a, b) => a + b, 0)) },
    detail: {
      loadModelSourcesMs: round(t2 - t1),
      viewConstructMs: round(viewCtorMs),
      viewDerivedMs: round(t5 - t4),
      analyzeMs: round(analyzeMs),
      internetReachable: reachable,
      entryPathTargets: search.paths.size,
      findings: analysis.findings.length,
      attackPaths: ap.paths.length,
      questions: analysis.questions.length,
      warnings,
      // Characters (UTF-16 code units): the bytes of an ASCII report.
      reportBytes: reportChars,
    },
  };
}

async function measureRules(o) {
  const { loadModelFiles } = await dist('model/load.js');
  const rules = await loadRules(o.allRules);
  const loaded = loadModelFiles([o.file], { maxInputMb: MAX_INPUT_MB });
  if (!loaded.ok) throw new Error(`load: ${loaded.diagnostics[0]?.message}`);
  const view = loaded.view;
  // The generic derived facts belong to the view phase: computed once, before any rule.
  for (const c of view.components) view.isInternetReachable(c.id);
  view.entryPaths();
  // The View's per-question search caches (reachableVia, reachableAvoiding: private Maps whose names end
  // in "Cache") are emptied before every timed rule, so that each rule pays for the searches it asks for
  // and no rule benefits from another's (or its own previous run's) results.
  const caches = Object.keys(view).filter((k) => k.endsWith('Cache') && view[k] instanceof Map);
  const clear = () => {
    for (const k of caches) view[k].clear();
  };
  // Between rules (not between the runs of one rule), when bench/run.mjs started this process with
  // --expose-gc, the heap is collected and concurrent sweeping is given a moment to finish, so that no
  // rule pays for collecting another's garbage (single-point-of-failure leaves gigabytes of it). Not
  // before every run: a full collection throws away optimised code whose assumptions died with the
  // garbage, so the run after it would partly measure V8 optimising the rule again.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const collect = () => {
    if (globalThis.gc) {
      globalThis.gc();
      Atomics.wait(pause, 0, 0, 50);
    }
  };
  const run = (rule) => {
    clear();
    const c0 = process.cpuUsage();
    const t = performance.now();
    // Drafts are counted, not kept: keeping them is the engine's work (timed in the rules phase), and a
    // list of thousands of drafts would make each young-generation collection during the run copy them.
    let n = 0;
    for (const _ of rule.detect(view)) n++;
    const wall = performance.now() - t;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1000, n };
  };
  const times = new Map(rules.map(({ rule }) => [rule.meta.id, { wall: [], cpu: [] }]));
  const drafts = new Map();
  const errors = new Map();
  // Rule by rule: untimed warm-up runs first (see WARMUP_RUNS), which let V8 optimise the rule and the
  // View's helpers and promote the young View's objects; then the timed runs.
  for (const { rule } of rules) {
    if (o.skip.includes(rule.meta.id)) continue;
    try {
      collect();
      let warmed = 0;
      for (let w = 0; (w < WARMUP_RUNS || warmed < WARMUP_MS) && warmed < WARMUP_CAP_MS; w++)
        warmed += run(rule).wall;
      for (let k = 0; k < o.repeat; k++) {
        const r = run(rule);
        times.get(rule.meta.id).wall.push(r.wall);
        times.get(rule.meta.id).cpu.push(r.cpu);
        drafts.set(rule.meta.id, r.n);
      }
    } catch (e) {
      errors.set(rule.meta.id, String(e?.message ?? e));
    }
  }
  clear();
  return {
    mode: 'per-rule',
    file: o.file,
    components: view.components.length,
    flows: view.flows.length,
    repeat: o.repeat,
    caches,
    rules: rules.map(({ rule, inCatalogue }) => {
      const ts = times.get(rule.meta.id);
      return {
        id: rule.meta.id,
        inCatalogue,
        runsMs: ts.wall.map(round),
        medianMs: ts.wall.length > 0 ? round(median(ts.wall)) : null,
        cpuMedianMs: ts.cpu.length > 0 ? round(median(ts.cpu)) : null,
        drafts: drafts.get(rule.meta.id) ?? 0,
        ...(errors.has(rule.meta.id) ? { error: errors.get(rule.meta.id) } : {}),
      };
    }),
    peakRssMb: rssMb(),
  };
}

/**
 * What bounds view + rules + attackPaths (the second target), in one process on one model:
 *
 *   view, detect, engine, attackPaths   the first (cold) analysis taken apart: the View and its derived
 *       facts; every rule's detect() once, in engine order, its drafts kept; analyze() over those drafts
 *       replayed (each rule's detect returns its list), minus attackPaths; attackPaths on its own.
 *       `detect + engine` is the phase benchmark's rules phase, with the drafts of all rules held at once.
 *       `view + engine + attackPaths` is what the target would cost if every rule's detect cost nothing.
 *   warm      view + rules + attackPaths again (a fresh View, analyze()), --repeat times in the same
 *       process (fewer once they have taken FLOOR_WARM_CAP_MS, but at least FLOOR_MIN_WARM): the code
 *       compiled and optimised by V8 by then, so the best of them is about the steady state, what no
 *       cold-start remedy could beat.
 */
const FLOOR_MIN_WARM = 2;
const FLOOR_WARM_CAP_MS = 60_000;

async function measureFloor(o) {
  const { loadModelFiles } = await dist('model/load.js');
  const { View } = await dist('model/view.js');
  const { analyze } = await dist('engine/run-rules.js');
  const { attackPaths } = await dist('engine/attack-paths.js');
  const rules = (await loadRules(o.allRules)).map((r) => r.rule).filter((r) => !o.skip.includes(r.meta.id));
  const loaded = loadModelFiles([o.file], { maxInputMb: MAX_INPUT_MB });
  if (!loaded.ok) throw new Error(`load: ${loaded.diagnostics[0]?.message}`);
  const { model, locator } = loaded;
  const freshView = () => {
    const view = new View(model, locator);
    for (const c of view.components) view.isInternetReachable(c.id);
    view.entryPaths();
    return view;
  };

  const t0 = performance.now();
  let view = freshView();
  const t1 = performance.now();
  // Engine order (rule id), as analyze() runs them.
  const ordered = [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  let drafts = ordered.map((rule) => ({ meta: rule.meta, list: Array.from(rule.detect(view)) }));
  const t2 = performance.now();
  const draftCount = drafts.reduce((n, d) => n + d.list.length, 0);
  const replay = drafts.map(({ meta, list }) => ({ meta, detect: () => list }));
  let analysis = analyze(view, replay);
  const t3 = performance.now();
  attackPaths(view, analysis.findings);
  const t4 = performance.now();
  const findings = analysis.findings.length;
  const cold = {
    view: round(t1 - t0),
    detect: round(t2 - t1),
    engine: round(Math.max(0, t3 - t2 - (t4 - t3))),
    attackPaths: round(t4 - t3),
  };
  // Nothing of the cold analysis is kept while the warm ones run.
  drafts = undefined;
  analysis = undefined;
  view = undefined;

  const warm = [];
  let spent = 0;
  for (let k = 0; k < o.repeat && (k < FLOOR_MIN_WARM || spent < FLOOR_WARM_CAP_MS); k++) {
    const w0 = performance.now();
    const v = freshView();
    const a = analyze(v, rules);
    const ms = performance.now() - w0;
    spent += ms;
    warm.push(round(ms));
    if (a.findings.length !== findings)
      throw new Error(`warm run ${k + 1}: ${a.findings.length} findings, the cold one ${findings}`);
  }
  return {
    mode: 'floor',
    file: o.file,
    components: model.components.length,
    flows: model.flows.length,
    rules: rules.length,
    drafts: draftCount,
    findings,
    cold,
    detectFreeMs: round(cold.view + cold.engine + cold.attackPaths),
    warmMs: warm,
    peakRssMb: rssMb(),
  };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let o = { file: process.argv.slice(2).join(' ') };
  Promise.resolve()
    .then(() => {
      o = parseArgs(process.argv.slice(2));
      return o.perRule ? measureRules(o) : o.floor ? measureFloor(o) : measurePhases(o);
    })
    .then((result) => {
      if (process.send) process.send(result, () => process.exit(0));
      else process.stdout.write(`${JSON.stringify(result)}\n`);
    })
    .catch((e) => {
      const msg = { mode: 'error', file: o.file, error: String(e?.stack ?? e) };
      if (process.send) process.send(msg, () => process.exit(1));
      else {
        process.stderr.write(`measure: ${msg.error}\n`);
        process.exit(1);
      }
    });
}
