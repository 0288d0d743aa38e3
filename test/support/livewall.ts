/** `bin/livewall` as a user runs it: a child process of the built CLI. */
import { join } from 'node:path';
import { spawnManaged, type ManagedProcess } from './processes';

export const ROOT = join(__dirname, '..', '..');

/**
 * The environment for a bin/livewall under test: fake AWS keys (kinesalite takes any), and no
 * profile or MySQL password inherited from the developer's shell.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['AWS_PROFILE', 'LIVEWALL_MYSQL_PASSWORD', 'MYSQL_PWD']) delete base[k];
  return {
    ...base,
    AWS_ACCESS_KEY_ID: 'AKIDLIVEWALLTEST',
    AWS_SECRET_ACCESS_KEY: 'livewall-test-secret',
    AWS_REGION: 'us-east-1',
    ...extra,
  };
}

export interface LivewallRun {
  /** Working folder (where livewall.config.json and .livewall/ are looked for); default the repo. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The process's name in messages and output (default `livewall <command>`). */
  name?: string;
}

/** Starts `bin/livewall ...args`; the caller stops it (or it is killed when the runner exits). */
export function spawnLivewall(args: readonly string[], opts: LivewallRun = {}): ManagedProcess {
  return spawnManaged(
    opts.name ?? `livewall ${args[0] ?? ''}`.trim(),
    process.execPath,
    [join(ROOT, 'bin', 'livewall'), ...args],
    { cwd: opts.cwd ?? ROOT, ...(opts.env ? { env: opts.env } : {}) },
  );
}

/** Runs `bin/livewall ...args` to its exit: the exit code and what it printed. */
export async function runLivewall(
  args: readonly string[],
  opts: LivewallRun = {},
): Promise<{ code: number | null; output: string }> {
  const p = spawnLivewall(args, opts);
  const exit = await p.exited;
  return { code: exit.code, output: p.output() };
}

/** `livewall cdc` from the current binlog position, as the pipeline tests start it. */
export function cdcArgs(o: {
  mysql: string;
  stream: string;
  endpoint: string;
  positionFile: string;
}): string[] {
  return [
    'cdc',
    '--mysql',
    o.mysql,
    '--stream',
    o.stream,
    '--endpoint',
    o.endpoint,
    '--position-file',
    o.positionFile,
    '--from-current',
  ];
}

/**
 * The flags `livewall engine` and `livewall flink` share in the pipeline tests: emit every
 * 100 ms; `customers` and `timeZone` (also the database's) only when given.
 */
export function engineFlags(o: {
  source: string;
  metrics: string;
  dwd: string;
  endpoint: string;
  stateDir: string;
  /** The MySQL database whose events the engine folds. */
  database: string;
  customers?: string;
  timeZone?: string;
}): string[] {
  return [
    '--database',
    o.database,
    '--source',
    o.source,
    '--metrics',
    o.metrics,
    '--dwd',
    o.dwd,
    ...(o.customers ? ['--customers', o.customers] : []),
    '--endpoint',
    o.endpoint,
    '--state-dir',
    o.stateDir,
    ...(o.timeZone ? ['--time-zone', o.timeZone, '--db-time-zone', o.timeZone] : []),
    '--emit-interval',
    '100',
  ];
}

/** `health`'s (and `web`'s) stream flags for the streams `<name>_order_ds`, `_metric_ds`, `_dwd_ds`. */
export function streamFlags(name: string): string[] {
  return [
    '--order-stream',
    `${name}_order_ds`,
    '--metric-stream',
    `${name}_metric_ds`,
    '--dwd-stream',
    `${name}_dwd_ds`,
  ];
}
