/** Runs the real, built CLI for end-to-end tests. */
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * As `runCli`, without blocking this process (a fake LLM server in the test must keep answering); the
 * THREATKREW_LLM_* settings of the environment are dropped unless `env` gives them.
 */
export function runCliAsync(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, THREATKREW_DEBUG: '' };
    for (const k of Object.keys(env)) if (k.startsWith('THREATKREW_LLM_')) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
