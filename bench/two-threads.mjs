#!/usr/bin/env node
/**
 * Would a second thread make the rules phase faster? A diagnostic (issue 7), not part of the product:
 *
 *   node bench/two-threads.mjs MODEL.json [--runs 3]
 *
 * Each run is a fresh process (this file, started again with --one single|two). Both modes first load
 * the model and build the View with its derived facts (as the benchmark's view phase), then run every
 * catalogue rule through the engine's per-rule step (`runRule`: detect, draft checks, fingerprints,
 * merging, messages), which is what analyze() does for each rule before the analysis-wide steps:
 *
 *   single   on the main thread, in rule-id order;
 *   two      the main thread and one worker thread (started when the rules start) take the next rule
 *            from a shared counter (`Atomics.add`) until none is left. The worker gets the loaded model by
 *            structured clone, builds its own View (a View is not shareable between threads) and sends
 *            each rule's findings back; the main thread takes them in between its own rules and at the
 *            end (`receiveMessageOnPort`), so the analysis stays synchronous. The findings and the
 *            engine's state for them travel by structured clone, as a real split would need.
 *
 * It prints the wall-clock time of the rules in each mode (medians of --runs processes), how many rules
 * the worker ran and when it was ready, and checks that both modes found the same findings.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';

const HERE = fileURLToPath(import.meta.url);
const DIST = join(dirname(HERE), '..', 'dist');
const dist = (p) => import(pathToFileURL(join(DIST, p)).href);

async function modules() {
  const { loadModelFiles } = await dist('model/load.js');
  const { View } = await dist('model/view.js');
  const { runRule } = await dist('engine/run-rules.js');
  const { CATALOGUE } = await dist('rules/catalog/index.js');
  const rules = [...CATALOGUE].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  return { loadModelFiles, View, runRule, rules };
}

function viewOf(View, model, locator) {
  const view = new View(model, locator);
  for (const c of view.components) view.isInternetReachable(c.id);
  view.entryPaths();
  return view;
}

/**
 * The worker: its own View of the cloned model (rules need no source locations), then rules from the
 * shared counter until none is left. A failure is sent as its last message: the main thread, waiting
 * synchronously, would not see an 'error' event.
 */
async function worker() {
  const { port } = workerData;
  try {
    await work();
  } catch (e) {
    port.postMessage({ done: true, error: String(e?.stack ?? e) });
  }
}

async function work() {
  const { View, runRule, rules } = await modules();
  const { model, counter, port, startedAt } = workerData;
  const view = viewOf(View, model, undefined);
  // From the worker's creation: starting the thread, loading the modules, the clone and the View.
  const readyMs = Date.now() - startedAt;
  const next = new Int32Array(counter);
  let ran = 0;
  for (let i = Atomics.add(next, 0, 1); i < rules.length; i = Atomics.add(next, 0, 1)) {
    const { findings, states } = runRule(view, rules[i]);
    port.postMessage({ i, findings, states });
    ran++;
  }
  port.postMessage({ done: true, ran, readyMs });
}

/** How long the main thread waits for the worker before it gives up (a worker that died sends nothing). */
const WORKER_TIMEOUT_MS = 10 * 60_000;

/** Every finding's id, rule by rule: what the two modes must agree on. */
const idsOf = (perRule) => perRule.flatMap((findings) => findings.map((f) => f.id));

/** One measurement in this process: the rules phase, single or on two threads. */
async function one(file, mode) {
  const { loadModelFiles, View, runRule, rules } = await modules();
  const loaded = loadModelFiles([file], { maxInputMb: 4096 });
  if (!loaded.ok) throw new Error(`load: ${loaded.diagnostics[0]?.message}`);
  const view = viewOf(View, loaded.model, loaded.locator);
  const ids = new Array(rules.length);
  const t0 = performance.now();
  if (mode === 'single') {
    for (let i = 0; i < rules.length; i++) ids[i] = runRule(view, rules[i]).findings;
    const ms = performance.now() - t0;
    return { ms, ids: idsOf(ids) };
  }
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(HERE, {
    workerData: { model: loaded.model, counter, port: port2, startedAt: Date.now() },
    transferList: [port2],
  });
  let done;
  const take = () => {
    for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
      if (m.message.done) done = m.message;
      else ids[m.message.i] = m.message.findings;
    }
  };
  let mine = 0;
  for (let i = Atomics.add(next, 0, 1); i < rules.length; i = Atomics.add(next, 0, 1)) {
    ids[i] = runRule(view, rules[i]).findings;
    mine++;
    take();
  }
  // Sleep a millisecond at a time (on a word nobody changes) until the worker has sent everything.
  const idle = new Int32Array(new SharedArrayBuffer(4));
  while (!done) {
    if (performance.now() - t0 > WORKER_TIMEOUT_MS) throw new Error('the worker sent nothing for 10 minutes');
    Atomics.wait(idle, 0, 0, 1);
    take();
  }
  const ms = performance.now() - t0;
  await w.terminate();
  if (done.error) throw new Error(`the worker failed: ${done.error}`);
  return { ms, ids: idsOf(ids), mainRules: mine, workerRules: done.ran, workerReadyMs: done.readyMs };
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--one');
  if (at >= 0) {
    const r = await one(args[0], args[at + 1]);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const file = args[0];
  if (!file) {
    console.error('usage: node bench/two-threads.mjs MODEL.json [--runs 3]');
    process.exit(2);
  }
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const results = { single: [], two: [] };
  // Alternating, so that a machine that slows down or speeds up meets both modes alike.
  for (let r = 0; r < runs; r++) {
    for (const mode of ['single', 'two']) {
      const out = execFileSync(process.execPath, [HERE, file, '--one', mode], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      results[mode].push(JSON.parse(out));
    }
  }
  const same = results.two.every((x) => JSON.stringify(x.ids) === JSON.stringify(results.single[0].ids));
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const ms = (mode) => results[mode].map((x) => Math.round(x.ms));
  console.log(`rules, one thread:  ${ms('single').join(', ')} ms (median ${median(ms('single'))})`);
  console.log(`rules, two threads: ${ms('two').join(', ')} ms (median ${median(ms('two'))})`);
  for (const x of results.two)
    console.log(
      `  two threads: main ran ${x.mainRules} rules, the worker ${x.workerRules} (its View ready after ${Math.round(x.workerReadyMs)} ms)`,
    );
  console.log(same ? 'same findings in both modes' : 'DIFFERENT findings: the comparison is void');
  if (!same) process.exitCode = 1;
}

if (isMainThread)
  main().catch((e) => {
    console.error(`two-threads: ${e?.stack ?? e}`);
    process.exit(1);
  });
else await worker();
