#!/usr/bin/env node
/**
 * Compares two benchmark results (files written by `npm run bench -- --json FILE`):
 *
 *   node bench/compare.mjs BEFORE.json AFTER.json [--threshold 10]
 *
 * For every (components, format) measured in both, it prints each phase, totalMs and peakRssMb before and
 * after, the difference and the ratio, and marks changes larger than the threshold (percent, default 10)
 * as slower/faster. Per-rule timings are compared too when both files have them. Exit code 0 always:
 * timings on shared machines are noisy, so judging is left to the reader (use --runs 3 or more).
 */
import { readFileSync } from 'node:fs';

const PHASES = ['read', 'validate', 'view', 'rules', 'attackPaths', 'report'];

function load(file) {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(j.runs)) throw new Error(`${file}: not a benchmark result (no "runs")`);
  return j;
}

function fmt(x) {
  return x === undefined || x === null ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function row(name, a, b, threshold) {
  if (a === undefined && b === undefined) return undefined;
  const delta = a !== undefined && b !== undefined ? b - a : undefined;
  const ratio = a && b !== undefined ? b / a : undefined;
  const pct = ratio === undefined ? undefined : (ratio - 1) * 100;
  // Tiny phases (under a millisecond either way) are noise; never mark them.
  const big = Math.max(a ?? 0, b ?? 0) >= 1;
  const mark = pct === undefined || !big ? '' : pct > threshold ? 'slower' : pct < -threshold ? 'faster' : '';
  return [
    name,
    fmt(a),
    fmt(b),
    delta === undefined ? '-' : `${delta >= 0 ? '+' : ''}${fmt(delta)}`,
    ratio === undefined ? '-' : `${ratio.toFixed(2)}×`,
    mark,
  ];
}

function printTable(head, rows) {
  const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

function main() {
  const args = process.argv.slice(2);
  let threshold = 10;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--threshold') threshold = Number(args[++i]);
    else files.push(args[i]);
  }
  if (files.length !== 2) {
    console.error('usage: node bench/compare.mjs BEFORE.json AFTER.json [--threshold PERCENT]');
    process.exit(2);
  }
  const [A, B] = files.map(load);
  const key = (r) => `${r.components} ${r.format}`;
  const before = new Map(A.runs.map((r) => [key(r), r]));
  const after = new Map(B.runs.map((r) => [key(r), r]));
  console.log(`before: ${files[0]}${A.machine ? ` (${A.machine.cpus} CPUs, Node ${A.machine.node})` : ''}`);
  console.log(`after:  ${files[1]}${B.machine ? ` (${B.machine.cpus} CPUs, Node ${B.machine.node})` : ''}`);
  let any = false;
  for (const [k, a] of before) {
    const b = after.get(k);
    if (!b) continue;
    any = true;
    console.log(
      `\n${a.components} components / ${a.flows} flows (${a.format})${a.flows !== b.flows ? `; after: ${b.flows} flows` : ''}`,
    );
    const rows = [];
    for (const p of PHASES) rows.push(row(p, a.phases?.[p], b.phases?.[p], threshold));
    const core = (r) => (r.phases ? r.phases.view + r.phases.rules + r.phases.attackPaths : undefined);
    rows.push(row('view+rules+attackPaths', core(a), core(b), threshold));
    rows.push(row('totalMs', a.totalMs, b.totalMs, threshold));
    rows.push(row('peakRssMb', a.peakRssMb, b.peakRssMb, threshold));
    if (a.cpuMs && b.cpuMs) rows.push(row('cpu totalMs', a.cpuMs.totalMs, b.cpuMs.totalMs, threshold));
    printTable(['', 'before', 'after', 'delta', 'ratio', ''], rows.filter(Boolean));
  }
  for (const k of after.keys()) if (!before.has(k)) console.log(`\n(${k}: only in ${files[1]})`);
  for (const k of before.keys()) if (!after.has(k)) console.log(`\n(${k}: only in ${files[0]})`);
  if (A.rules?.timings && B.rules?.timings) {
    any = true;
    const ra = new Map(A.rules.timings.map((r) => [r.id, r]));
    const rows = [];
    for (const rb of B.rules.timings) {
      const r = ra.get(rb.id);
      rows.push(row(rb.id, r?.ms10000 ?? undefined, rb.ms10000 ?? undefined, threshold));
    }
    console.log('\nper rule, ms at 10,000 components');
    printTable(['rule', 'before', 'after', 'delta', 'ratio', ''], rows.filter(Boolean));
    const fa = new Set(A.rules.flagged ?? []);
    const fb = new Set(B.rules.flagged ?? []);
    const newly = [...fb].filter((x) => !fa.has(x));
    const cleared = [...fa].filter((x) => !fb.has(x));
    if (newly.length) console.log(`newly flagged: ${newly.join(', ')}`);
    if (cleared.length) console.log(`no longer flagged: ${cleared.join(', ')}`);
  }
  if (A.cli && B.cli) {
    any = true;
    console.log('');
    printTable(
      ['', 'before', 'after', 'delta', 'ratio', ''],
      [row('CLI 50 components (ms)', A.cli.medianMs, B.cli.medianMs, threshold)],
    );
  }
  if (!any) console.log('\nnothing to compare: the files share no (components, format) run');
}

try {
  main();
} catch (e) {
  console.error(`compare: ${e.message}`);
  process.exit(2);
}
