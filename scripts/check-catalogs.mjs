#!/usr/bin/env node
// Checks that the catalogues copied from the team's shared folder are byte-identical to it.
// The shared folder sits beside the repository (<repo>/../shared/catalogs); a clone outside the team
// does not have it, so the comparison is skipped there. Plain Node, no dependencies.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const COPIED = [
  'nist-sp-800-53-rev5.csv',
  'owasp-asvs-5.0.csv',
  'capec-3.9.csv',
  'attack-enterprise-v18.csv',
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = path.resolve(repoRoot, '..', 'shared', 'catalogs');
const localDir = path.join(repoRoot, 'catalogs');

if (!existsSync(sharedDir)) {
  console.log('shared catalogs not present; skipped comparison');
  process.exit(0);
}

const problems = [];
for (const file of COPIED) {
  const local = path.join(localDir, file);
  const shared = path.join(sharedDir, file);
  if (!existsSync(shared)) {
    problems.push(`${path.relative(repoRoot, shared)}: missing from the shared folder`);
    continue;
  }
  if (!existsSync(local)) {
    problems.push(`catalogs/${file}: missing; copy it from ${shared}`);
    continue;
  }
  if (!readFileSync(local).equals(readFileSync(shared))) {
    problems.push(`catalogs/${file}: differs from ${shared}; copy it again byte for byte`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(`catalogs match ${sharedDir} (${COPIED.length} files)`);
