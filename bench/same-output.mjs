#!/usr/bin/env node
/**
 * A speed-up must not change what the tool says. This saves the JSON report of generated models and
 * later checks, byte for byte, that the compiled code in dist/ still writes the same:
 *
 *   node bench/same-output.mjs save DIR  [--sizes 1000,10000] [--seed 42]   before a change
 *   node bench/same-output.mjs check DIR                                     after it (npm run build first)
 *
 * `check` uses the sizes and seed that `save` recorded, prints the first differing line of each report
 * that changed and exits 1 when any did. The reports are those of the CLI's `analyze --format json`
 * (the whole catalogue, no timestamp), written by `writeJson`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateModel, writeModel } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);

function usage(message) {
  if (message) console.error(`same-output: ${message}`);
  console.error('usage: node bench/same-output.mjs save DIR [--sizes 1000,10000] [--seed 42]');
  console.error('       node bench/same-output.mjs check DIR');
  process.exit(2);
}

/** The JSON report of the generated model of `components` components, as one string. */
async function reportOf(components, seed) {
  const { parseSource } = await dist('model/source-file.js');
  const { loadModelSources } = await dist('model/load.js');
  const { analyze } = await dist('engine/run-rules.js');
  const { CATALOGUE } = await dist('rules/catalog/index.js');
  const { writeJson } = await dist('reporters/json/json.js');
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const file = `generated-${components}.json`;
  const parsed = parseSource(file, writeModel(generateModel({ components, seed }), 'json'), true);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.diagnostics[0]?.message}`);
  const loaded = loadModelSources([parsed.source]);
  if (!loaded.ok) throw new Error(`${file}: the generated model does not load`);
  const parts = [];
  writeJson(analyze(loaded.view, CATALOGUE), version, (chunk) => parts.push(chunk));
  return parts.join('');
}

/** The 1-based number and text of the first line where two texts differ. */
function firstDifference(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return { line: i + 1, was: x[i] ?? '(end of report)', now: y[i] ?? '(end of report)' };
}

const [command, dir, ...rest] = process.argv.slice(2);
if ((command !== 'save' && command !== 'check') || !dir) usage();
let sizes = [1000, 10000];
let seed = 42;
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--sizes') sizes = String(rest[++i]).split(',').map(Number);
  else if (rest[i] === '--seed') seed = Number(rest[++i]);
  else usage(`unknown argument ${rest[i]}`);
}
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(seed))
  usage('bad --sizes or --seed');

if (command === 'save') {
  mkdirSync(dir, { recursive: true });
  for (const n of sizes) {
    const text = await reportOf(n, seed);
    writeFileSync(join(dir, `report-${n}.json`), text);
    console.log(`saved report-${n}.json (${(text.length / 1e6).toFixed(1)} MB)`);
  }
  writeFileSync(join(dir, 'same-output.json'), `${JSON.stringify({ sizes, seed }, null, 2)}\n`);
} else {
  const saved = JSON.parse(readFileSync(join(dir, 'same-output.json'), 'utf8'));
  let changed = 0;
  for (const n of saved.sizes) {
    const before = readFileSync(join(dir, `report-${n}.json`), 'utf8');
    const now = await reportOf(n, saved.seed);
    if (now === before) {
      console.log(`${n} components: same report`);
      continue;
    }
    changed++;
    const d = firstDifference(before, now);
    console.log(`${n} components: the report changed at line ${d.line}\n  was: ${d.was}\n  now: ${d.now}`);
  }
  process.exit(changed > 0 ? 1 : 0);
}
