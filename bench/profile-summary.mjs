#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, or `npm run bench -- --cpu-prof DIR`): self time
 * and inclusive time per function (name, file, line), the top entries first.
 *
 *   node bench/profile-summary.mjs PROFILE.cpuprofile [--top 30] [--filter dist/] [--lines attackPaths]
 *
 * Self time is where the CPU actually was; inclusive ("total") time adds everything the function called,
 * counted once per sample even when the function is on the stack several times (recursion).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function summarise(profile, { top = 30, filter } = {}) {
  const nodes = new Map();
  for (const n of profile.nodes) nodes.set(n.id, n);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Sample durations: timeDeltas[i] is the time before sample i; attribute it to sample i.
  const selfUs = new Map();
  const totalUs = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  const keyOf = (n) => {
    const cf = n.callFrame;
    const url = (cf.url || '').replace(/^file:\/\//, '');
    const short = url
      .replace(/^.*\/node_modules\//, 'node_modules/')
      .replace(/^.*\/(dist|bench|src)\//, '$1/');
    return `${cf.functionName || '(anonymous)'}  ${short || '(native)'}${url ? `:${cf.lineNumber + 1}` : ''}`;
  };
  let totalTime = 0;
  for (let i = 0; i < samples.length; i++) {
    const dt = Math.max(0, timeDeltas[i + 1] ?? timeDeltas[i] ?? 0);
    totalTime += dt;
    const n = nodes.get(samples[i]);
    if (!n) continue;
    const k = keyOf(n);
    selfUs.set(k, (selfUs.get(k) ?? 0) + dt);
    const seen = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const kk = keyOf(nodes.get(id));
      if (seen.has(kk)) continue;
      seen.add(kk);
      totalUs.set(kk, (totalUs.get(kk) ?? 0) + dt);
    }
  }
  const rows = [...selfUs.keys(), ...totalUs.keys()]
    .filter((k, i, a) => a.indexOf(k) === i)
    .filter((k) => !filter || k.includes(filter))
    .map((k) => ({ fn: k, selfMs: (selfUs.get(k) ?? 0) / 1000, totalMs: (totalUs.get(k) ?? 0) / 1000 }));
  const bySelf = [...rows].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  const byTotal = [...rows].sort((a, b) => b.totalMs - a.totalMs).slice(0, top);
  return { totalMs: totalTime / 1000, bySelf, byTotal };
}

/**
 * Hot source lines of the functions whose name (or `name  file`) contains `match`, from the profile's
 * positionTicks (V8 records them per node): ticks per 1-based line, most first.
 */
export function hotLines(profile, match, top = 15) {
  const ticks = new Map();
  const interval =
    profile.samples?.length > 0 ? (profile.endTime - profile.startTime) / profile.samples.length / 1000 : 0;
  for (const n of profile.nodes) {
    const cf = n.callFrame;
    const where = `${cf.functionName || '(anonymous)'}  ${cf.url}`;
    if (!where.includes(match)) continue;
    for (const pt of n.positionTicks ?? []) {
      const k = `${cf.url.replace(/^.*\/(dist|bench|src|node_modules)\//, '$1/')}:${pt.line}  (${cf.functionName || '(anonymous)'})`;
      ticks.set(k, (ticks.get(k) ?? 0) + pt.ticks);
    }
  }
  return [...ticks.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([line, t]) => ({ line, ticks: t, approxMs: Math.round(t * interval * 10) / 10 }));
}

function printTable(title, rows, key) {
  console.log(`\n${title}`);
  for (const r of rows) {
    console.log(
      `${r[key].toFixed(1).padStart(10)} ms  ${(key === 'selfMs' ? r.totalMs : r.selfMs).toFixed(1).padStart(9)}  ${r.fn}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  let top = 30;
  let filter;
  const lines = [];
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') top = Number(args[++i]);
    else if (args[i] === '--filter') filter = args[++i];
    else if (args[i] === '--lines') lines.push(args[++i]);
    else files.push(args[i]);
  }
  if (files.length === 0) {
    console.error(
      'usage: node bench/profile-summary.mjs PROFILE.cpuprofile [--top N] [--filter TEXT] [--lines FUNCTION]...',
    );
    process.exit(2);
  }
  for (const f of files) {
    const profile = JSON.parse(readFileSync(f, 'utf8'));
    const s = summarise(profile, { top, filter });
    console.log(`${f}: ${s.totalMs.toFixed(0)} ms sampled`);
    if (lines.length === 0) {
      printTable('by self time (self ms, total ms, function):', s.bySelf, 'selfMs');
      printTable('by inclusive time (total ms, self ms, function):', s.byTotal, 'totalMs');
    }
    for (const m of lines) {
      console.log(`\nhot lines of ${m} (ticks, ~ms, file:line):`);
      for (const r of hotLines(profile, m, top)) {
        console.log(`${String(r.ticks).padStart(8)} ${r.approxMs.toFixed(1).padStart(9)}  ${r.line}`);
      }
    }
  }
}
