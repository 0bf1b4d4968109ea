#!/usr/bin/env node
/**
 * The benchmark (`npm run bench`, issue 7). See bench/README.md.
 *
 *   npm run bench -- [--sizes 1000,10000] [--format json|yaml] [--json FILE] [--seed 42] [--runs 1]
 *                    [--rules] [--rules-only] [--floor] [--cli] [--all-rules] [--cpu-prof DIR] [--keep]
 *
 * For each size it writes a generated model into a temporary directory and measures it in a child
 * process of its own (bench/measure.mjs, default Node flags), `--runs` times, keeping the median of each
 * number. It prints a table and, with --json, writes { "runs": [...], "machine": {...}, ... }.
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateModel, splitModel, writeModel } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const MEASURE = join(HERE, 'measure.mjs');
const PHASES = ['read', 'validate', 'view', 'rules', 'attackPaths', 'report'];

/** Issue 7 targets, JSON input. */
const TARGETS = {
  10000: { totalMs: 2000, coreMs: 1000, peakRssMb: 1024 },
  100000: { totalMs: 24000, coreMs: 12000, peakRssMb: 4096 },
};
const CLI_TARGET_MS = 400;
/** Per-rule flag (issue 7, point 3): at least this slow at 10,000 components ... */
const RULE_FLAG_MS = 5;
/** ... and growing more than this from 1,000 to 10,000. */
const RULE_FLAG_GROWTH = 15;

const USAGE = `usage: npm run bench -- [options]
  --sizes LIST      component counts, comma-separated (default 1000,10000)
  --format F        json or yaml input (default json)
  --json FILE       write the results as JSON
  --seed N          generator seed (default 42)
  --runs N          measurements per size, each in a fresh process; medians are reported (default 1)
  --rules           also time each rule's detect() at 1,000 and 10,000 components (median of 3)
  --rules-only      only the per-rule timing
  --cli             also time \`./bin/threatkrew analyze <50 components>.yaml --format json\` (median of 10)
  --all-rules       run every rule compiled in dist/rules/catalog, not only the catalogue index
  --floor           also take the first analysis apart (view, every rule's detect, the engine on the kept
                    drafts, attackPaths) and repeat it warm in the same process, at each size (see README)
  --rules-confirm N with --rules: time the rules again at N components (e.g. 30000) and show the growth
                    from 10,000, to tell a superlinear rule from noise (rules over 2 s at 10,000 are skipped)
  --split N         write each model as N files (one model by disjoint union) and load them together
  --until attackPaths  skip the report (a diagnostic: profile the phases before a report that fails)
  --exclude-rules L leave these rule ids out of the phase and --floor measurements (a diagnostic: what the rest costs)
  --timeout-min N   stop a measuring process after N minutes (default 60) and report it as timed out
  --cpu-prof DIR    write a V8 CPU profile of each measuring process into DIR
  --keep            keep the generated models (their directory is printed)`;

function parseArgs(argv) {
  const o = {
    sizes: [1000, 10000],
    format: 'json',
    json: undefined,
    seed: 42,
    runs: 1,
    rules: false,
    rulesOnly: false,
    cli: false,
    allRules: false,
    cpuProf: undefined,
    keep: false,
    rulesConfirm: undefined,
    floor: false,
    exclude: [],
    split: 1,
    until: undefined,
    timeoutMin: 60,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes')
      o.sizes = val()
        .split(',')
        .map((s) => Number(s.trim().replace(/_/g, '')));
    else if (a === '--format') o.format = val();
    else if (a === '--json') o.json = val();
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--runs') o.runs = Number(val());
    else if (a === '--rules') o.rules = true;
    else if (a === '--rules-only') o.rulesOnly = o.rules = true;
    else if (a === '--cli') o.cli = true;
    else if (a === '--all-rules') o.allRules = true;
    else if (a === '--cpu-prof') o.cpuProf = resolve(val());
    else if (a === '--keep') o.keep = true;
    else if (a === '--rules-confirm') o.rulesConfirm = Number(val());
    else if (a === '--floor') o.floor = true;
    else if (a === '--split') o.split = Number(val());
    else if (a === '--until') o.until = val();
    else if (a === '--exclude-rules') o.exclude = val().split(',').filter(Boolean);
    else if (a === '--timeout-min') o.timeoutMin = Number(val());
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${a}\n${USAGE}`);
  }
  if (!o.sizes.every((n) => Number.isInteger(n) && n > 0))
    fail('--sizes: positive integers, e.g. 1000,10000');
  if (o.format !== 'json' && o.format !== 'yaml') fail('--format: json or yaml');
  if (!Number.isInteger(o.seed)) fail('--seed: an integer');
  if (!Number.isInteger(o.runs) || o.runs < 1) fail('--runs: a positive integer');
  return o;
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const r1 = (x) => Math.round(x * 10) / 10;

/** A measuring process that failed; `steps` holds what it measured before (ms per step, peak RSS). */
class MeasureFailed extends Error {
  constructor(message, steps = {}) {
    super(message);
    this.steps = steps;
  }
}

/** Runs bench/measure.mjs in a child process and resolves with the message it sends. */
function measure(args, { execArgv = [], cpuProf, timeoutMin = 60 } = {}) {
  const flags = [...execArgv];
  if (cpuProf) flags.push('--cpu-prof', '--cpu-prof-dir', cpuProf);
  return new Promise((resolveRun, reject) => {
    // execArgv given explicitly: the child runs with default flags whatever this process was started with.
    const child = fork(MEASURE, args, { execArgv: flags, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMin * 60_000);
    const steps = {};
    child.on('message', (m) => {
      if (m?.mode === 'progress') {
        steps[m.step] = m.ms;
        steps.peakRssMb = m.peakRssMb;
      } else result = m;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result?.mode === 'error')
        reject(new MeasureFailed(`failed: ${result.error.split('\n').slice(0, 3).join(' ')}`, steps));
      else if (result) resolveRun(result);
      else if (timedOut) reject(new MeasureFailed(`timed out after ${timeoutMin} min`, steps));
      else
        reject(
          new MeasureFailed(`exited with ${signal ?? `code ${code}`} and no result (out of memory?)`, steps),
        );
    });
  });
}

/** The model as `parts` files (see splitModel); one file when parts is 1. */
function writeModelFiles(dir, components, seed, format, parts) {
  if (parts <= 1) return [writeModelFile(dir, components, seed, format)];
  const files = splitModel(generateModel({ components, seed }), parts).map((m, i) => {
    const file = join(dir, `model-${components}-seed${seed}.part${i + 1}of${parts}.${format}`);
    writeFileSync(file, writeModel(m, format));
    return file;
  });
  return files;
}

function writeModelFile(dir, components, seed, format) {
  const file = join(dir, `model-${components}-seed${seed}.${format}`);
  if (!existsSync(file)) {
    const text = writeModel(generateModel({ components, seed }), format);
    writeFileSync(file, text);
  }
  return file;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemGb: r1(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAvg: os.loadavg().map(r1),
  };
}

function distIsStale() {
  // A rough check: the newest .ts under src/ against the newest .js under dist/.
  const newest = (dir, ext) => {
    let t = 0;
    const walk = (d) => {
      let entries;
      try {
        entries = readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(ext) && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
      }
    };
    walk(dir);
    return t;
  };
  return newest(join(ROOT, 'src'), '.ts') > newest(join(ROOT, 'dist'), '.js');
}

// ---- the phase benchmark ----

async function benchSizes(o, dir, failures) {
  const runs = [];
  for (const n of o.sizes) {
    process.stderr.write(`bench: ${n} components (${o.format}): generating... `);
    const files = writeModelFiles(dir, n, o.seed, o.format, o.split);
    const mb = files.reduce((a, f) => a + statSync(f).size, 0) / 1048576;
    process.stderr.write(
      `${mb.toFixed(1)} MB${files.length > 1 ? ` in ${files.length} files` : ''}; measuring`,
    );
    const results = [];
    let failed;
    let steps;
    for (let r = 0; r < o.runs && !failed; r++) {
      process.stderr.write('.');
      const args = ['--files', files.join(','), '--format', o.format];
      if (o.allRules) args.push('--all-rules');
      if (o.exclude.length > 0) args.push('--skip', o.exclude.join(','));
      if (o.until) args.push('--until', o.until);
      try {
        results.push(await measure(args, { cpuProf: o.cpuProf, timeoutMin: o.timeoutMin }));
      } catch (e) {
        if (!(e instanceof MeasureFailed)) throw e;
        failed = e.message;
        steps = e.steps;
      }
    }
    process.stderr.write('\n');
    if (results.length === 0) {
      console.error(`bench: ${n} components (${o.format}): the measuring process ${failed}`);
      failures.push({
        components: n,
        format: o.format,
        files: files.length,
        error: failed,
        inputMb: r1(mb),
        completedSteps: steps,
      });
      continue;
    }
    const pick = (f) => r1(median(results.map(f)));
    const phases = Object.fromEntries(PHASES.map((p) => [p, pick((x) => x.phases[p])]));
    runs.push({
      components: results[0].components,
      flows: results[0].flows,
      format: o.format,
      phases,
      totalMs: pick((x) => x.totalMs),
      peakRssMb: pick((x) => x.peakRssMb),
      // Extra keys (not part of the promised shape): CPU time, sizes, counts, every run.
      cpuMs: {
        phases: Object.fromEntries(PHASES.map((p) => [p, pick((x) => x.cpuMs.phases[p])])),
        totalMs: pick((x) => x.cpuMs.totalMs),
      },
      inputMb: r1(results[0].bytes / 1048576),
      files: results[0].files,
      rules: results[0].rules,
      ...(o.exclude.length > 0 ? { excludedRules: o.exclude } : {}),
      detail: results[0].detail,
      samples: results.map((x) => ({ phases: x.phases, totalMs: x.totalMs, peakRssMb: x.peakRssMb })),
    });
  }
  return runs;
}

function printRuns(runs) {
  const head = ['components', 'flows', 'format', ...PHASES, 'totalMs', 'v+r+ap', 'peakRssMb', 'cpu total'];
  const rows = runs.map((r) => [
    r.components,
    r.flows,
    r.files > 1 ? `${r.format}×${r.files}` : r.format,
    ...PHASES.map((p) => r.phases[p].toFixed(0)),
    r.totalMs.toFixed(0),
    (r.phases.view + r.phases.rules + r.phases.attackPaths).toFixed(0),
    r.peakRssMb.toFixed(0),
    r.cpuMs.totalMs.toFixed(0),
  ]);
  printTable(head, rows);
  console.log('(milliseconds, wall clock; peak RSS in MB; "cpu total" = CPU time of the same phases)');
  for (const r of runs) {
    const t = r.format === 'json' ? TARGETS[r.components] : undefined;
    if (!t) continue;
    const core = r.phases.view + r.phases.rules + r.phases.attackPaths;
    const checks = [
      ['totalMs', r.totalMs, t.totalMs],
      ['view+rules+attackPaths', core, t.coreMs],
      ['peakRssMb', r.peakRssMb, t.peakRssMb],
    ];
    const words = checks.map(
      ([k, v, lim]) => `${k} ${v.toFixed(0)} ${v < lim ? '<' : '≥'} ${lim} ${v < lim ? 'ok' : 'FAIL'}`,
    );
    console.log(`target at ${r.components}: ${words.join('; ')}`);
  }
  const a = runs.find((r) => r.components === 10000 && r.format === 'json');
  const b = runs.find((r) => r.components === 100000 && r.format === 'json');
  if (a && b) {
    const g = b.totalMs / a.totalMs;
    console.log(`growth 10k → 100k: ${g.toFixed(1)}× (target at most 12×) ${g <= 12 ? 'ok' : 'FAIL'}`);
  }
}

function printTable(head, rows) {
  const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

// ---- what bounds view + rules + attackPaths ----

/**
 * Warm analyses per measuring process (fewer at sizes where they take over a minute): at 10,000
 * components V8 needs five or six analyses before the best ones come, and single runs vary by ±25%.
 */
const FLOOR_WARM_RUNS = 8;

async function benchFloor(o, dir) {
  const out = [];
  for (const n of o.sizes) {
    process.stderr.write(`bench: ${n} components: the analysis taken apart, then warm; measuring`);
    const file = writeModelFile(dir, n, o.seed, 'json');
    const results = [];
    for (let r = 0; r < o.runs; r++) {
      process.stderr.write('.');
      const args = ['--file', file, '--floor', '--repeat', String(FLOOR_WARM_RUNS)];
      if (o.allRules) args.push('--all-rules');
      if (o.exclude.length > 0) args.push('--skip', o.exclude.join(','));
      results.push(await measure(args, { cpuProf: o.cpuProf, timeoutMin: o.timeoutMin }));
    }
    process.stderr.write('\n');
    const pick = (f) => r1(median(results.map(f)));
    out.push({
      components: results[0].components,
      flows: results[0].flows,
      drafts: results[0].drafts,
      findings: results[0].findings,
      cold: Object.fromEntries(Object.keys(results[0].cold).map((k) => [k, pick((x) => x.cold[k])])),
      detectFreeMs: pick((x) => x.detectFreeMs),
      // The best warm run of each process (later runs settle; the first is often not yet optimised),
      // and the median of them all.
      warmBestMs: pick((x) => Math.min(...x.warmMs)),
      warmMedianMs: pick((x) => median(x.warmMs)),
      samples: results.map((x) => ({ cold: x.cold, warmMs: x.warmMs, peakRssMb: x.peakRssMb })),
    });
  }
  return out;
}

function printFloor(floor) {
  console.log('\nview + rules + attackPaths taken apart (JSON input; median of the processes):');
  const head = [
    'components',
    'drafts',
    'findings',
    'view',
    'detect',
    'engine',
    'attackPaths',
    'detect free',
    'warm (best)',
    'warm (median)',
  ];
  const rows = floor.map((f) => [
    f.components,
    f.drafts,
    f.findings,
    f.cold.view.toFixed(0),
    f.cold.detect.toFixed(0),
    f.cold.engine.toFixed(0),
    f.cold.attackPaths.toFixed(0),
    f.detectFreeMs.toFixed(0),
    f.warmBestMs.toFixed(0),
    f.warmMedianMs.toFixed(0),
  ]);
  printTable(head, rows);
  console.log(
    '(ms; "detect": every rule\'s detect once, drafts kept; "engine": analyze() over those drafts;' +
      '\n "detect free" = view + engine + attackPaths; "warm": up to ' +
      `${FLOOR_WARM_RUNS} more analyses in the same process, the fastest and the median)`,
  );
  for (const f of floor) {
    const t = TARGETS[f.components];
    if (!t) continue;
    console.log(
      `target at ${f.components}: view+rules+attackPaths < ${t.coreMs}: detect free ${f.detectFreeMs.toFixed(0)}, warm ${f.warmBestMs.toFixed(0)} at best`,
    );
  }
}

// ---- per-rule timing ----

async function benchRules(o, dir) {
  const sizes = [1000, 10000];
  const per = {};
  for (const n of sizes) {
    process.stderr.write(`bench: per-rule timing at ${n} components (median of 3)...\n`);
    const file = writeModelFile(dir, n, o.seed, 'json');
    const args = ['--file', file, '--per-rule', '--repeat', '3'];
    if (o.allRules) args.push('--all-rules');
    // --expose-gc only lets measure.mjs collect garbage between rules; it changes no GC behaviour.
    per[n] = await measure(args, { execArgv: ['--expose-gc'], cpuProf: o.cpuProf });
  }
  const small = new Map(per[1000].rules.map((r) => [r.id, r]));
  const rules = per[10000].rules.map((big) => {
    const s = small.get(big.id);
    const at1k = s?.medianMs ?? null;
    const at10k = big.medianMs;
    const growth = at1k && at10k !== null ? r1(at10k / Math.max(at1k, 0.01)) : null;
    const flagged = at10k !== null && growth !== null && at10k >= RULE_FLAG_MS && growth > RULE_FLAG_GROWTH;
    const cpuGrowth =
      s?.cpuMedianMs && big.cpuMedianMs !== null ? r1(big.cpuMedianMs / Math.max(s.cpuMedianMs, 0.01)) : null;
    const out = { id: big.id, inCatalogue: big.inCatalogue, ms1000: at1k, ms10000: at10k, growth, flagged };
    out.cpuMs1000 = s?.cpuMedianMs ?? null;
    out.cpuMs10000 = big.cpuMedianMs;
    out.cpuGrowth = cpuGrowth;
    out.drafts1000 = s?.drafts ?? 0;
    out.drafts10000 = big.drafts;
    if (big.error || s?.error) out.error = big.error ?? s.error;
    return out;
  });
  if (o.rulesConfirm) {
    const n = o.rulesConfirm;
    process.stderr.write(
      `bench: per-rule timing at ${n} components (median of 3), to confirm the growth...\n`,
    );
    const file = writeModelFile(dir, n, o.seed, 'json');
    const skip = rules.filter((r) => (r.ms10000 ?? 0) > 2000).map((r) => r.id);
    const args = ['--file', file, '--per-rule', '--repeat', '3', '--skip', skip.join(',')];
    if (o.allRules) args.push('--all-rules');
    const big = await measure(args, { execArgv: ['--expose-gc'], cpuProf: o.cpuProf });
    const at = new Map(big.rules.map((r) => [r.id, r]));
    for (const r of rules) {
      const x = at.get(r.id);
      r.confirmSize = n;
      r.msConfirm = x?.medianMs ?? null;
      r.growthConfirm =
        r.msConfirm !== null && r.ms10000 ? r1(r.msConfirm / Math.max(r.ms10000, 0.01)) : null;
    }
  }
  rules.sort((a, b) => (b.ms10000 ?? 0) - (a.ms10000 ?? 0));
  return {
    sizes: o.rulesConfirm ? [...sizes, o.rulesConfirm] : sizes,
    repeat: 3,
    flagRule: `ms10000 >= ${RULE_FLAG_MS} and ms10000 / ms1000 > ${RULE_FLAG_GROWTH}`,
    slowest: rules.slice(0, 10).map((r) => r.id),
    flagged: rules.filter((r) => r.flagged).map((r) => r.id),
    timings: rules,
  };
}

function printRules(res) {
  const confirm = res.timings[0]?.confirmSize;
  console.log(`\nslowest rules (detect at 10,000 components, median of ${res.repeat}):`);
  const row = (r) => [
    r.id + (r.inCatalogue ? '' : ' *'),
    r.ms1000 === null ? '-' : r.ms1000.toFixed(1),
    r.ms10000 === null ? '-' : r.ms10000.toFixed(1),
    r.growth === null ? '-' : `${r.growth.toFixed(1)}×`,
    r.cpuMs10000 === null ? '-' : r.cpuMs10000.toFixed(1),
    r.cpuGrowth === null ? '-' : `${r.cpuGrowth.toFixed(1)}×`,
    r.drafts10000,
    ...(confirm
      ? [
          r.msConfirm === null ? 'skipped' : r.msConfirm.toFixed(1),
          r.growthConfirm === null ? '-' : `${r.growthConfirm.toFixed(1)}×`,
        ]
      : []),
    r.flagged ? 'FLAG' : r.error ? 'ERROR' : '',
  ];
  const head = ['rule', 'ms@1k', 'ms@10k', 'growth', 'cpu@10k', 'cpu growth', 'drafts@10k'];
  if (confirm)
    head.push(`ms@${confirm / 1000}k`, `growth 10k→${confirm / 1000}k (linear ${confirm / 10000}×)`);
  head.push('');
  printTable(head, res.timings.slice(0, 10).map(row));
  if (confirm) {
    console.log('\nflagged rules:');
    printTable(head, res.timings.filter((r) => r.flagged).map(row));
  }
  const flagged = res.timings.filter((r) => r.flagged);
  console.log(
    flagged.length === 0
      ? `no rule flagged (${res.flagRule})`
      : `flagged (${res.flagRule}): ${flagged.map((r) => `${r.id} ${r.ms10000.toFixed(0)} ms, ${r.growth}×`).join('; ')}`,
  );
  if (res.timings.some((r) => !r.inCatalogue)) console.log('* not in the catalogue index yet (--all-rules)');
  for (const r of res.timings.filter((x) => x.error)) console.log(`error in ${r.id}: ${r.error}`);
}

// ---- CLI wall clock ----

function benchCli(o, dir) {
  const file = writeModelFile(dir, 50, o.seed, 'yaml');
  const bin = join(ROOT, 'bin', 'threatkrew');
  const times = [];
  for (let i = 0; i < 11; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, 'analyze', file, '--format', 'json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`threatkrew analyze failed: ${r.stderr}`);
    if (i > 0) times.push(ms); // the first run warms the file cache
  }
  return {
    components: 50,
    command: 'threatkrew analyze <model.yaml> --format json',
    runs: times.length,
    medianMs: r1(median(times)),
    minMs: r1(Math.min(...times)),
    maxMs: r1(Math.max(...times)),
    targetMs: CLI_TARGET_MS,
  };
}

// ---- main ----

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'engine', 'run-rules.js')))
    fail('dist/ is missing: run `npm run build` first');
  if (distIsStale())
    console.error(
      'bench: warning: src/ is newer than dist/; run `npm run build` to measure the current code',
    );
  if (o.cpuProf) mkdirSync(o.cpuProf, { recursive: true });
  const dir = mkdtempSync(join(os.tmpdir(), 'threatkrew-bench-'));
  const out = { runs: [], machine: machine(), seed: o.seed, generatedAt: new Date().toISOString() };
  try {
    if (!o.rulesOnly) {
      const failures = [];
      out.runs = await benchSizes(o, dir, failures);
      if (failures.length > 0) out.failed = failures;
      if (o.exclude.length > 0) out.excludedRules = o.exclude;
      printRuns(out.runs);
      for (const f of failures) {
        console.log(`${f.components} components (${f.format}): FAILED, ${f.error}`);
        console.log(`  completed before that (ms): ${JSON.stringify(f.completedSteps ?? {})}`);
      }
    }
    if (o.floor) {
      out.floor = await benchFloor(o, dir);
      printFloor(out.floor);
    }
    if (o.rules) {
      out.rules = await benchRules(o, dir);
      printRules(out.rules);
    }
    if (o.cli) {
      out.cli = benchCli(o, dir);
      console.log(
        `\nCLI, 50 components: median ${out.cli.medianMs} ms wall over ${out.cli.runs} runs (min ${out.cli.minMs}, max ${out.cli.maxMs}; target < ${CLI_TARGET_MS}) ${out.cli.medianMs < CLI_TARGET_MS ? 'ok' : 'FAIL'}`,
      );
    }
    out.machine.loadAvgAfter = os.loadavg().map(r1);
    console.log(
      `\nmachine: ${out.machine.cpus} × ${out.machine.cpuModel}, ${out.machine.totalMemGb} GB, Node ${out.machine.node}, load average ${out.machine.loadAvg.join(' ')} → ${out.machine.loadAvgAfter.join(' ')}`,
    );
    if (o.json) {
      writeFileSync(o.json, `${JSON.stringify(out, null, 2)}\n`);
      console.log(`wrote ${o.json}`);
    }
  } finally {
    if (o.keep) console.error(`bench: models kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench: ${e?.stack ?? e}`);
  process.exit(1);
});
