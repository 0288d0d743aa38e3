/**
 * What every command shares: usage errors (exit 2), the common flags (config file, time zone,
 * AWS settings) applied over the config file, and number parsing with a clear message.
 */
import { isValidTimeZone } from '@shared/time';
import type { LivewallConfig } from '../app/config';
import { loadCliConfig } from '../app/configFile';
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
import { ACCOUNT_PASSWORD_VARS, type AccountRole } from '../mysql/password';
import { urlWithPassword } from '../mysql/secretPassword';
import { UsageError } from './errors';
import type { Flags } from './usage';

export { UsageError };

/** The flags every command that talks to AWS or reads the config file takes. */
export const COMMON_FLAGS = {
  config: {
    type: 'string',
    value: 'FILE',
    default: 'LIVEWALL_CONFIG, else ./livewall.config.json',
    help: 'the config file to read',
  },
  'time-zone': {
    type: 'string',
    value: 'ZONE',
    default: "the machine's",
    config: 'timeZone',
    help: 'the time zone of "today" (IANA name, e.g. Asia/Shanghai)',
  },
  profile: { type: 'string', value: 'NAME', help: 'the AWS profile (over AWS_PROFILE)' },
  region: {
    type: 'string',
    value: 'NAME',
    config: 'aws.region',
    help: 'the AWS region (over AWS_REGION)',
  },
  endpoint: {
    type: 'string',
    value: 'URL',
    config: 'aws.endpoint',
    help: 'a Kinesis endpoint, e.g. a local kinesalite http://127.0.0.1:4567',
  },
} as const satisfies Flags;

/** The environment the AWS calls read (flags win over it, it wins over the config file). */
export const AWS_ENV: readonly (readonly [string, string])[] = [
  ['AWS_PROFILE, AWS_REGION', 'the AWS profile and region'],
  [
    'AWS_ACCESS_KEY_ID, …',
    "credentials, from the SDK's default chain (environment, profile, SSO, instance role)",
  ],
  ['LIVEWALL_CONFIG', 'the config file when --config is not given'],
];

/** The flags `engine` and `flink` share: one job, two runtimes. */
export const ENGINE_FLAGS = {
  source: { type: 'string', value: 'STREAM', default: 'order_ds', help: 'the change events' },
  metrics: {
    type: 'string',
    value: 'STREAM',
    default: 'metric_ds',
    help: 'where metric records go',
  },
  dwd: {
    type: 'string',
    value: 'STREAM',
    default: 'dwd_customer_order_ds',
    help: "where wide rows go ('' for none)",
  },
  customers: {
    type: 'string',
    value: 'URL',
    help: 'the customer dimension: mysql://reader@host/db or postgres://… (default none: levels are null)',
  },
  from: {
    type: 'string',
    value: 'POS',
    default: 'trim',
    help: 'where a first run starts: trim, latest, today or an ISO time',
  },
  'state-dir': {
    type: 'string',
    value: 'DIR',
    default: '.livewall',
    help: 'where checkpoints live (a restart resumes from them)',
  },
  'db-time-zone': {
    type: 'string',
    value: 'ZONE',
    default: '--time-zone',
    help: "the time zone of MySQL's DATETIME columns",
  },
  'retention-days': {
    type: 'string',
    value: 'N',
    default: '2',
    help: 'days of windows kept in state',
  },
  'emit-interval': {
    type: 'string',
    value: 'MS',
    default: '500',
    help: 'how often changed metrics are written',
  },
  'lookup-bound': {
    type: 'string',
    value: 'MS',
    default: '200',
    help: 'how long a customer lookup may hold a wide row',
  },
  database: {
    type: 'string',
    value: 'NAME',
    default: 'demo',
    config: 'engine.database',
    help: 'the MySQL database whose orders are folded (others are skipped and counted)',
  },
  'customers-secret': {
    type: 'string',
    value: 'ID',
    help: "an AWS Secrets Manager secret holding the --customers account's password",
  },
  'max-future-hours': {
    type: 'string',
    value: 'H',
    default: '24',
    config: 'engine.maxFutureHours',
    help: 'rows further ahead of the clock are skipped and counted',
  },
} as const satisfies Flags;

export const ENGINE_ENV: readonly (readonly [string, string])[] = [
  ...AWS_ENV,
  ['LIVEWALL_CUSTOMERS_PASSWORD', "the --customers account's password (MySQL or PostgreSQL)"],
  ['MYSQL_PWD, PGPASSWORD', "each client's own password variable, when the above is unset"],
];

/**
 * The config file by the lookup rule (--config, LIVEWALL_CONFIG, ./livewall.config.json), named
 * on stderr as the command's first line, so nobody edits the wrong file.
 */
export function commandConfig(command: string, file: string | undefined): LivewallConfig {
  const { line, result } = loadCliConfig(file);
  process.stderr.write(`livewall ${command}: ${line}\n`);
  if (!result.ok) throw new UsageError(result.error);
  return result.value.config;
}

/** The config file with the common flags applied. */
export function commonConfig(command: string, values: Record<string, unknown>): LivewallConfig {
  const config = commandConfig(command, values.config as string | undefined);
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

/** The flags of ENGINE_FLAGS, checked once for `engine` and `flink` alike. */
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
  command: string,
  values: Partial<
    Record<keyof typeof ENGINE_FLAGS | keyof typeof COMMON_FLAGS, string | undefined>
  >,
): EngineSettings {
  const config = commonConfig(command, values);
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
    retentionDays: wholeNumberOption(values['retention-days'], 'retention-days', 1, 366),
    emitIntervalMs: wholeNumberOption(values['emit-interval'], 'emit-interval', 10, 60_000),
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

/** A decimal number as the Flink job reads one too (no hex, no `1d`): test/vectors/options.json. */
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;
const WHOLE = /^\s*[+-]?\d+\s*$/;

export function numberOption(
  value: unknown,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && !DECIMAL.test(value) ? NaN : Number(value);
  if (value === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
  }
  return n;
}

/** numberOption for a whole number (the Flink job reads these as integers). */
export function wholeNumberOption(
  value: unknown,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const n = numberOption(value, name, min, max);
  if (
    n !== undefined &&
    (!Number.isInteger(n) || (typeof value === 'string' && !WHOLE.test(value)))
  ) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
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
  role: AccountRole = 'mysql',
): Result<MySqlTarget> {
  if (!url) {
    return fail(
      `--mysql URL is required, e.g. mysql://${exampleUser}@127.0.0.1:3306/demo (password in LIVEWALL_MYSQL_PASSWORD or MYSQL_PWD)`,
    );
  }
  const parsed = parseMySqlUrl(url);
  if (parsed.ok && parsed.value.password) {
    warn(
      `the password in ${redactUrl(url)} shows in the process list; prefer ${ACCOUNT_PASSWORD_VARS[role]}`,
    );
  }
  return parsed;
}

/** The dimension named by --customers: mysql:// (or mariadb://), or postgres:// (Redshift too). */
export async function customerDirectory(
  url: string,
  warn: (message: string) => void,
  secret: { secretId?: string | undefined; aws?: AwsSettings } = {},
): Promise<CustomerDirectory> {
  if (/^(mysql|mariadb):/.test(url)) {
    const target = mysqlOption(url, 'reader', warn, 'customers');
    if (!target.ok) throw new UsageError(target.error);
    try {
      const connector = await createMySqlConnector(target.value, {
        passwords: cliPasswordSources('customers', secret),
      });
      return mysqlCustomerDirectory(connector, describeMySqlTarget(target.value));
    } catch (err) {
      throw new Error(describeMySqlError(err, target.value), { cause: err });
    }
  }
  if (/^(postgres|postgresql|redshift):/.test(url)) {
    const pgUrl = url.replace(/^redshift:/, 'postgres:');
    try {
      const dir = await postgresCustomerDirectory(
        await urlWithPassword(pgUrl, cliPasswordSources('customers', secret)),
      );
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
