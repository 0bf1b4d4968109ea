/**
 * The `threatkrew` command line (DESIGN §8). Parsing and the clock/env/network edge only: each command
 * is a module under `commands/` that receives its arguments and a CliIO and returns an exit code.
 * Exit codes: 0 done; 1 a finding at or above --fail-on; 2 bad input or usage; 3 an internal error.
 */
import { Command, CommanderError, Option } from 'commander';
import { registerCommands } from './commands/index.js';
import { type CliIO, processIO, toolVersion, UsageError } from './io.js';

export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

/** Builds the program; each command's action stores its exit code in `result`. */
export function buildProgram(io: CliIO, result: { code: number }): Command {
  const program = new Command('threatkrew')
    .description('Automated design-time threat modeling: describe an architecture, get its threat model.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(s) })
    .showSuggestionAfterError(true)
    .addOption(new Option('-V, --version', 'print the version and exit'))
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText(
      'after',
      '\nExit codes: 0 done; 1 an open finding at or above --fail-on; 2 bad input or usage; 3 an internal error.',
    );
  registerCommands(program, io, result);
  for (const cmd of program.commands) {
    cmd
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(s) })
      .showSuggestionAfterError(true);
    if (!cmd.options.some((o) => o.long === '--version')) {
      cmd.addOption(new Option('-V, --version', 'print the version and exit'));
    }
  }
  return program;
}

function wantsVersion(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--version' || a === '-V') return true;
  }
  return false;
}

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  try {
    if (wantsVersion(argv) && !argv.includes('--help') && !argv.includes('-h')) {
      io.stdout(`${toolVersion()}\n`);
      return EXIT.ok;
    }
    const result = { code: EXIT.ok };
    const program = buildProgram(io, result);
    if (argv.length === 0) {
      io.stderr(program.helpInformation());
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.help' ||
        e.code === 'commander.version'
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      for (const line of e.lines) io.stderr(`${line}\n`);
      return EXIT.usage;
    }
    const err = e as Error;
    if (io.env.THREATKREW_DEBUG === '1') io.stderr(`${err.stack ?? String(err)}\n`);
    else {
      io.stderr(
        `threatkrew: internal error: ${err?.message ?? String(e)} (this is a bug; rerun with THREATKREW_DEBUG=1 for details)\n`,
      );
    }
    return EXIT.internal;
  }
}
