/** Runs the real, built CLI for end-to-end tests. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The executable users run. */
export const BIN = join(ROOT, 'bin', 'threatkrew');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `threatkrew <args>` in `cwd` (the repository root by default), without debug stack traces. */
export function runCli(args: readonly string[], cwd = ROOT): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, THREATKREW_DEBUG: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
