/**
 * What every command shares: usage errors (exit 2), the common flags (config file, time zone,
 * AWS settings) applied over the config file, and number parsing with a clear message.
 */
import { isValidTimeZone } from '@shared/time';
import { loadConfig, type LivewallConfig } from '../app/config';
import { kinesisSettings, type AwsSettings } from '../kinesis/settings';
import { parseStartPosition, type StartPosition } from '../kinesis/startPosition';
import { fail, type Result } from '@shared/result';
import { describeMySqlTarget, parseMySqlUrl, redactUrl, type MySqlTarget } from '../mysql/target';
import {
  mysqlCustomerDirectory,
  postgresCustomerDirectory,
  type CustomerDirectory,
} from '../engine/customerDirectory';
import { createMySqlConnector } from '../mysql/connect';
import { describeMySqlError } from '../mysql/errors';
import { cliPasswordSources } from '../mysql/ttyPassword';

/** Bad usage or configuration: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export const COMMON_OPTIONS = {
  config: { type: 'string' },
  'time-zone': { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
} as const;

/** The flags `engine` and `flink` share: one job, two runtimes. */
export const ENGINE_OPTIONS = {
  ...COMMON_OPTIONS,
  source: { type: 'string' },
  metrics: { type: 'string' },
  dwd: { type: 'string' },
  customers: { type: 'string' },
  from: { type: 'string' },
  'state-dir': { type: 'string' },
  'db-time-zone': { type: 'string' },
  'retention-days': { type: 'string' },
  'emit-interval': { type: 'string' },
  'lookup-bound': { type: 'string' },
  database: { type: 'string' },
  'max-future-hours': { type: 'string' },
} as const;

/** The config file with the common flags applied. */
export function commonConfig(values: Record<string, unknown>): LivewallConfig {
  const loaded = loadConfig(values.config as string | undefined);
  if (!loaded.ok) throw new UsageError(loaded.error);
  const config = loaded.value;
  const tz = values['time-zone'];
  if (typeof tz === 'string') {
    if (!isValidTimeZone(tz)) throw new UsageError(`unknown time zone "${tz}"`);
    config.timeZone = tz;
  }
  return config;
}

/** The AWS flags given on the command line (they win over the config file and environment). */
export function awsFlags(values: Record<string, unknown>): AwsSettings {
  const out: AwsSettings = {};
  for (const k of ['profile', 'region', 'endpoint'] as const) {
    const v = values[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  if (out.endpoint && !/^https?:\/\/[^/]/.test(out.endpoint)) {
    throw new UsageError(
      `--endpoint must be a URL such as http://127.0.0.1:4567, not "${redactUrl(out.endpoint)}"`,
    );
  }
  return out;
}

const STREAM = /^[a-zA-Z0-9_.-]{1,128}$/;

/** A usage error unless `name` is a Kinesis stream name. */
export function checkStreamName(name: string): void {
  if (!STREAM.test(name)) throw new UsageError(`"${name}" is not a Kinesis stream name`);
}

/** The flags of ENGINE_OPTIONS, checked once for `engine` and `flink` alike. */
export interface EngineSettings {
  config: LivewallConfig;
  source: string;
  metrics: string;
  /** The wide-row stream, or null for none (`--dwd ''`). */
  dwd: string | null;
  dbTimeZone: string;
  start: StartPosition;
  retentionDays: number | undefined;
  emitIntervalMs: number | undefined;
  lookupBoundMs: number | undefined;
  /** The MySQL database whose events are folded (others are skipped and counted). */
  database: string;
  /** How far ahead of now a `create_time` or `ts` may be, ms; later rows are skipped and counted. */
  maxFutureMs: number;
  /** The AWS flags over the environment and the config file. */
  aws: AwsSettings;
}

export function engineSettings(
  values: Partial<Record<keyof typeof ENGINE_OPTIONS, string | undefined>>,
): EngineSettings {
  const config = commonConfig(values);
  const source = values.source ?? 'order_ds';
  const metrics = values.metrics ?? 'metric_ds';
  const dwd = values.dwd === undefined ? 'dwd_customer_order_ds' : values.dwd || null;
  for (const s of [source, metrics, dwd]) if (s !== null) checkStreamName(s);
  const dbTimeZone = values['db-time-zone'] ?? config.timeZone;
  if (!isValidTimeZone(dbTimeZone)) throw new UsageError(`unknown time zone "${dbTimeZone}"`);
  const start = parseStartPosition(values.from ?? 'trim', { timeZone: config.timeZone });
  if (!start.ok) throw new UsageError(start.error);
  return {
    config,
    source,
    metrics,
    dwd,
    dbTimeZone,
    start: start.value,
    retentionDays: numberOption(values['retention-days'], 'retention-days', 1, 366),
    emitIntervalMs: numberOption(values['emit-interval'], 'emit-interval', 10, 60_000),
    lookupBoundMs: numberOption(values['lookup-bound'], 'lookup-bound', 0, 60_000),
    database: databaseName(values.database ?? config.engine.database),
    maxFutureMs:
      (numberOption(values['max-future-hours'], 'max-future-hours', 0, 24 * 366) ??
        config.engine.maxFutureHours) * 3_600_000,
    aws: kinesisSettings(awsFlags(values), process.env, config.aws),
  };
}

function databaseName(name: string): string {
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(name)) {
    throw new UsageError(`--database must be a MySQL database name, not "${name}"`);
  }
  return name;
}

export function numberOption(
  value: unknown,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
  }
  return n;
}

/** Resolves on Ctrl-C or a termination signal. */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/**
 * `--mysql URL`, parsed. A password inside the URL works but shows in the process list, so it is
 * warned about (and never printed: messages use the redacted URL).
 */
export function mysqlOption(
  url: string | undefined,
  exampleUser: string,
  warn: (message: string) => void,
): Result<MySqlTarget> {
  if (!url) {
    return fail(
      `--mysql URL is required, e.g. mysql://${exampleUser}@127.0.0.1:3306/demo (password in LIVEWALL_MYSQL_PASSWORD or MYSQL_PWD)`,
    );
  }
  const parsed = parseMySqlUrl(url);
  if (parsed.ok && parsed.value.password) {
    warn(
      `the password in ${redactUrl(url)} shows in the process list; prefer LIVEWALL_MYSQL_PASSWORD`,
    );
  }
  return parsed;
}

/** The dimension named by --customers: mysql:// (or mariadb://), or postgres:// (Redshift too). */
export async function customerDirectory(
  url: string,
  warn: (message: string) => void,
): Promise<CustomerDirectory> {
  if (/^(mysql|mariadb):/.test(url)) {
    const target = mysqlOption(url, 'reader', warn);
    if (!target.ok) throw new UsageError(target.error);
    try {
      const connector = await createMySqlConnector(target.value, {
        passwords: cliPasswordSources(),
      });
      return mysqlCustomerDirectory(connector, describeMySqlTarget(target.value));
    } catch (err) {
      throw new Error(describeMySqlError(err, target.value), { cause: err });
    }
  }
  if (/^(postgres|postgresql|redshift):/.test(url)) {
    const pgUrl = url.replace(/^redshift:/, 'postgres:');
    try {
      const dir = await postgresCustomerDirectory(pgUrl);
      await dir.lookup(['livewall-connection-check']);
      return dir;
    } catch (err) {
      throw new Error(
        `cannot reach the customer table at ${redactUrl(url)}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  throw new UsageError(`--customers ${redactUrl(url)}: use a mysql:// or postgres:// URL`);
}
