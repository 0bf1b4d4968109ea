/**
 * End-to-end: the real built CLI (`node bin/threatkrew`), as a user runs it. Needs `npm run build` first
 * (the test script builds before testing).
 */
import { execFile, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'threatkrew');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const tmp = mkdtempSync(join(tmpdir(), 'threatkrew-cli-'));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], cwd = ROOT): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, THREATKREW_DEBUG: '', NO_COLOR: '1' },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like `run`, without blocking: for checks that can run side by side. */
function runAsync(args: readonly string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, THREATKREW_DEBUG: '', NO_COLOR: '1' };
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** No stack trace, no raw exception text: what a user sees on bad input. */
function expectNoStackTrace(text: string) {
  expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
  expect(text).not.toMatch(/\b(Type|Reference|Range|Syntax)?Error: /);
  expect(text).not.toContain('internal error');
}

let commands: string[] = [];

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` before this test (`npm test` does it)');
  }
  const help = run(['--help']);
  const section = help.stdout.split(/^Commands:$/m)[1] ?? '';
  commands = [...section.matchAll(/^ {2}([a-z][a-z0-9-]*)\b/gm)]
    .map((m) => m[1] as string)
    .filter((c) => c !== 'help');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('help, version and usage errors', () => {
  it('finds the commands in the root help, including validate, schema and init', () => {
    expect(commands).toEqual(expect.arrayContaining(['validate', 'schema', 'init']));
  });

  it('prints the root help and version with exit 0', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: threatkrew /);
    for (const flag of ['--version', '-V']) {
      const v = run([flag]);
      expect(v.code).toBe(0);
      expect(v.stdout).toBe(`${VERSION}\n`);
    }
  });

  it('prints help and version for every command with exit 0', async () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
    const results = await Promise.all(
      commands.map(async (cmd) => ({
        cmd,
        help: await runAsync([cmd, '--help']),
        viaHelp: await runAsync(['help', cmd]),
        version: await runAsync([cmd, '--version']),
      })),
    );
    for (const { cmd, help, viaHelp, version } of results) {
      expect(help.code, `${cmd} --help`).toBe(0);
      expect(help.stdout, `${cmd} --help`).toContain(`Usage: threatkrew ${cmd}`);
      expect(viaHelp.code, `help ${cmd}`).toBe(0);
      expect(viaHelp.stdout).toContain(`Usage: threatkrew ${cmd}`);
      expect(version.code, `${cmd} --version`).toBe(0);
      expect(version.stdout, `${cmd} --version`).toBe(`${VERSION}\n`);
    }
  });

  it('exits 2 without arguments, printing the usage', () => {
    const r = run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: threatkrew');
  });

  it('exits 2 on an unknown command or option', async () => {
    const cases = [['frobnicate'], ['--bogus'], ['validate', '--bogus', 'x.yaml'], ['schema', 'extra-arg']];
    const results = await Promise.all(cases.map((args) => runAsync(args)));
    for (const [i, args] of cases.entries()) {
      const r = results[i] as Run;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length, args.join(' ')).toBeGreaterThan(0);
      expectNoStackTrace(r.stderr);
    }
  });

  it('exits 2 when validate has no file', () => {
    expect(run(['validate']).code).toBe(2);
  });
});

describe('init', () => {
  it('writes a starter model that validates, and never overwrites it', () => {
    const file = join(tmp, 'starter.yaml');
    const first = run(['init', file]);
    expect(first.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const written = readFileSync(file);

    const valid = run(['validate', file]);
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain('valid model');

    const second = run(['init', file]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already exists');
    expectNoStackTrace(second.stderr);
    expect(readFileSync(file).equals(written)).toBe(true);
    // No temporary files left behind.
    expect(readdirSync(tmp).filter((f) => f.startsWith('.threatkrew-tmp'))).toEqual([]);
  });

  it('writes threatkrew.yaml in the current folder by default', () => {
    const dir = mkdtempSync(join(tmp, 'default-'));
    expect(run(['init'], dir).code).toBe(0);
    expect(existsSync(join(dir, 'threatkrew.yaml'))).toBe(true);
    expect(run(['validate', 'threatkrew.yaml'], dir).code).toBe(0);
  });

  it('exits 2 when the folder does not exist', () => {
    const r = run(['init', join(tmp, 'no-such-folder', 'model.yaml')]);
    expect(r.code).toBe(2);
    expectNoStackTrace(r.stderr);
  });
});

describe('validate', () => {
  it('exits 2 on a bad model with path:line:col: message lines and no stack trace', () => {
    const file = join(ROOT, 'src', 'model', 'testdata', 'five-mistakes.yaml');
    const r = run(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStackTrace(r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines)
      expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: \\S`));
    expect(lines[0]).toBe(`${file}:10:5: unknown key 'exposur' in a component; did you mean 'exposure'?`);
  });

  it('exits 2 on a missing file with `path: message`', () => {
    const file = join(tmp, 'missing.yaml');
    const r = run(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}: no such file\n`);
  });

  it('exits 2 on a binary file and on a file over --max-input-mb', () => {
    const bin = join(tmp, 'binary.yaml');
    writeFileSync(bin, Buffer.from([0x74, 0x00, 0x01, 0x02]));
    const r = run(['validate', bin]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${bin}: this is a binary file, not YAML or JSON text\n`);

    const big = join(tmp, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(2 * 1024 * 1024)}\nthreatkrew: 1\nname: big\n`);
    const tooBig = run(['validate', '--max-input-mb', '1', big]);
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toContain('over the 1 MB input limit');
    expect(run(['validate', '--max-input-mb', '3', big]).code).toBe(0);
    expect(run(['validate', '--max-input-mb', 'lots', big]).code).toBe(2);
  });

  it('prints warnings and still exits 0', () => {
    const file = join(tmp, 'warn.yaml');
    writeFileSync(
      file,
      'threatkrew: 1\nname: W\ncomponents:\n  - { id: a, kind: service }\n  - { id: b, kind: service }\nflows:\n  - { from: a, to: b, protocol: https, encrypted: false }\n',
    );
    const r = run(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^.*warn\.yaml:7:40: warning: /);
  });

  it('joins several files into one model', () => {
    const a = join(tmp, 'part-a.yaml');
    const b = join(tmp, 'part-b.yaml');
    writeFileSync(a, 'threatkrew: 1\nname: Parts\ncomponents:\n  - { id: a, kind: service }\n');
    writeFileSync(
      b,
      'threatkrew: 1\ncomponents:\n  - { id: b, kind: service }\nflows:\n  - { from: a, to: b }\n',
    );
    const r = run(['validate', a, b]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 components, 1 flows');
    expect(run(['validate', b]).code).toBe(2);
  });

  it('validates every example in examples/', async () => {
    const dir = join(ROOT, 'examples');
    const examples = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
    expect(examples.length, 'examples/*.yaml is empty').toBeGreaterThan(0);
    const results = await Promise.all(examples.map((f) => runAsync(['validate', join('examples', f)])));
    for (const [i, f] of examples.entries()) {
      const r = results[i] as Run;
      expect(`${f}: exit ${r.code}\n${r.stderr}`).toBe(`${f}: exit 0\n${r.stderr}`);
    }
  });
});

describe('schema', () => {
  it('prints the committed JSON Schema', () => {
    const committed = join(ROOT, 'schema', 'threatkrew.schema.json');
    expect(existsSync(committed), 'schema/threatkrew.schema.json: run `npm run generate`').toBe(true);
    const r = run(['schema']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(committed, 'utf8')));
    expect(r.stdout).toBe(readFileSync(committed, 'utf8'));
  });
});
