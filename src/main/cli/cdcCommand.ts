/**
 * `livewall cdc --mysql URL [--stream order_ds] [--position-file F] [--from-current]`: the binlog
 * of the `order` table as Maxwell's JSON on a Kinesis stream, until SIGINT or SIGTERM.
 * Exit codes: 0 stopped cleanly, 1 a refusal or fatal error (one sentence on stderr), 2 bad usage.
 */
import { join } from 'node:path';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { CdcError, createCdc } from '../cdc/cdcService';
import { AWS_ENV, awsFlags, COMMON_FLAGS, commandConfig, mysqlOption } from './common';
import { parseCommand, type CommandSpec } from './usage';
import { createMySqlConnector } from '../mysql/connect';
import { describeMySqlError } from '../mysql/errors';
import type { MySqlTarget } from '../mysql/target';
import { cliPasswordSources } from '../mysql/ttyPassword';

const NAME = 'livewall cdc';

export const CDC = {
  name: 'cdc',
  brief: "MySQL's binlog → Maxwell's JSON on a stream",
  summary:
    "Read MySQL's binlog of the order table and write it as Maxwell's JSON to a Kinesis stream, until Ctrl-C. The position is saved after each acknowledged write, so a restart loses and repeats nothing.",
  flags: {
    mysql: {
      type: 'string',
      value: 'URL',
      help: 'the binlog reader account, e.g. mysql://maxwell@127.0.0.1:3306/demo (required)',
    },
    stream: { type: 'string', value: 'NAME', default: 'order_ds', help: 'where changes go' },
    'position-file': {
      type: 'string',
      value: 'FILE',
      default: '.livewall/cdc/<host>_<port>_<db>_<stream>.json',
      help: 'where the binlog position is kept',
    },
    'mysql-secret': {
      type: 'string',
      value: 'ID',
      help: "an AWS Secrets Manager secret holding the --mysql account's password",
    },
    'from-current': {
      type: 'boolean',
      help: "a first run starts at the server's current position (else it refuses without one)",
    },
    'server-id': {
      type: 'string',
      value: 'N',
      default: 'random',
      help: "the replica server id (unique among the server's replicas)",
    },
    ...COMMON_FLAGS,
  },
  env: [
    ...AWS_ENV,
    ['LIVEWALL_MYSQL_PASSWORD', "the --mysql account's password (else MYSQL_PWD, else a prompt)"],
  ],
  examples: [
    'livewall cdc --mysql mysql://maxwell@127.0.0.1:3306/demo --from-current --endpoint http://127.0.0.1:4567',
  ],
  notes: ['Exit codes: 0 stopped cleanly, 1 a refusal or fatal error, 2 bad usage.'],
} as const satisfies CommandSpec;

/** Where the position lives unless --position-file says: one file per server, database, stream. */
export function defaultPositionFile(target: MySqlTarget, stream: string): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(
    '.livewall',
    'cdc',
    `${safe(target.host)}_${target.port}_${safe(target.database)}_${safe(stream)}.json`,
  );
}

export async function cdc(args: string[]): Promise<number> {
  const { values } = parseCommand(CDC, args);
  const err = (message: string): void => void process.stderr.write(`${NAME}: ${message}\n`);
  const config = commandConfig('cdc', values.config);
  const parsed = mysqlOption(values.mysql, 'maxwell', err);
  if (!parsed.ok) {
    err(parsed.error);
    return 2;
  }
  const target = parsed.value;
  const stream = values.stream ?? 'order_ds';
  if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(stream)) {
    err('--stream must be a Kinesis stream name');
    return 2;
  }
  let serverId: number | undefined;
  if (values['server-id'] !== undefined) {
    serverId = Number(values['server-id']);
    if (!Number.isInteger(serverId) || serverId < 1 || serverId > 4_294_967_295) {
      err('--server-id must be an integer from 1 to 4294967295');
      return 2;
    }
  }
  // Flags over the environment over the config file, as `tail` and `web` do.
  const settings = kinesisSettings(awsFlags(values), process.env, config.aws);

  let connector;
  try {
    connector = await createMySqlConnector(target, {
      passwords: cliPasswordSources('mysql', { secretId: values['mysql-secret'], aws: settings }),
      selectDatabase: false,
    });
  } catch (e) {
    err(describeMySqlError(e, target));
    return 1;
  }
  const service = createCdc({
    connector,
    kinesis: createKinesisClient(settings),
    stream,
    kinesisTarget: describeTarget(settings),
    positionFile: values['position-file'] ?? defaultPositionFile(target, stream),
    fromCurrent: values['from-current'] === true,
    ...(serverId !== undefined ? { serverId } : {}),
    onNotice: err,
  });
  const stop = (): void => void service.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await service.start();
    await service.done;
    const s = service.stats();
    err(`stopped at ${s.position ?? 'no position'} after ${s.acked} records`);
    return 0;
  } catch (e) {
    err(e instanceof CdcError ? e.message : describeMySqlError(e, target));
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
