/**
 * `bin/livewall <command>` (docs/cli.md). Each command runs the same services as the app,
 * headless. Exit codes: 0 ok, 1 a check failed or a run ended in error, 2 bad usage/config.
 * Each command is one row of COMMANDS: its table of flags (the parser and the help read it) and
 * the function that runs it. A new command is one new row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_FLAGS, UsageError } from './common';
import { PIPELINE_FLAGS } from './pipelineFlags';
import { closest, commandHelp, type CommandSpec, type Flags } from './usage';
import { tail, TAIL } from './tailCommand';
import { engine, ENGINE } from './engineCommand';
import { flink, FLINK } from './flinkCommand';
import { health, HEALTH } from './healthCommand';
import { simulate, SIMULATE } from './simulateCommand';
import { cdc, CDC } from './cdcCommand';
import { web, WEB } from './webCommand';
import { streams, STREAMS } from './streamsCommand';
import { up, UP } from './upCommand';
import { load, LOAD } from './loadCommand';

interface Command {
  spec: CommandSpec;
  run: (args: string[]) => Promise<number>;
}

const COMMANDS: readonly Command[] = [
  { spec: WEB, run: web },
  { spec: TAIL, run: tail },
  { spec: SIMULATE, run: simulate },
  { spec: CDC, run: cdc },
  { spec: ENGINE, run: engine },
  { spec: FLINK, run: flink },
  { spec: LOAD, run: load },
  { spec: HEALTH, run: health },
  { spec: STREAMS, run: streams },
  { spec: UP, run: up },
];

/** Flag groups several commands share, shown under their own heading in each command's help. */
const SHARED: readonly [string, Flags][] = [
  ['Pipeline options (override the config\'s "pipeline" block)', PIPELINE_FLAGS],
  ['Common options', COMMON_FLAGS],
];

/** package.json's version: out/main/cli.js → ../../package.json, in a clone and in the app. */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    'Usage: livewall <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.brief}`),
    '',
    'livewall help <command> (or livewall <command> --help): its options, defaults, config keys,',
    'environment variables and an example. livewall --version: the version.',
    '',
  ].join('\n');
}

/** The help of a command by name, or null when there is no such command. */
export function helpFor(name: string): string | null {
  const command = COMMANDS.find((c) => c.spec.name === name);
  return command ? commandHelp(command.spec, SHARED) : null;
}

function unknownCommand(name: string): UsageError {
  const near = closest(
    name,
    COMMANDS.map((c) => c.spec.name),
  );
  return new UsageError(`unknown command "${name}"${near ? `: did you mean ${near}?` : ''}`);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`livewall ${version()}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(usage());
    return command ? 0 : 2;
  }
  try {
    if (command === 'help') {
      const [topic] = rest;
      if (!topic) {
        process.stdout.write(usage());
        return 0;
      }
      const text = helpFor(topic);
      if (!text) throw unknownCommand(topic);
      process.stdout.write(text);
      return 0;
    }
    const found = COMMANDS.find((c) => c.spec.name === command);
    if (!found) throw unknownCommand(command);
    // Before parsing: `--help` wins over any other flag, right or wrong.
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(commandHelp(found.spec, SHARED));
      return 0;
    }
    return await found.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      const known = COMMANDS.some((c) => c.spec.name === command);
      process.stderr.write(
        `livewall ${command}: ${err.message}\n(${known ? `livewall ${command} --help` : 'livewall --help'} lists ${known ? 'its options' : 'the commands'})\n`,
      );
      return 2;
    }
    process.stderr.write(`livewall ${command}: ${(err as Error).message}\n`);
    return 1;
  }
}

// bin/livewall sets LIVEWALL_CLI; tests import main() without running it.
if (process.env.LIVEWALL_CLI === '1') {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`livewall: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
