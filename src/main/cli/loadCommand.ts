/**
 * `livewall load --dwd-stream dwd_customer_order_ds --warehouse URL`: the workshop's last hop
 * (Firehose → Redshift) as one exact row per order, until SIGINT or SIGTERM, then one summary line.
 * The warehouse URL and the stream default to the config's `pipeline` block (as `health` reads
 * them); the password comes from LIVEWALL_WAREHOUSE_PASSWORD, PGPASSWORD or ~/.pgpass.
 */
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { parseStartPosition } from '../kinesis/startPosition';
import { urlHasPassword } from '../lib/redactUrl';
import { WarehouseLoader } from '../warehouse/loader';
import { parseWarehouseTarget } from '../warehouse/warehouseTarget';
import { initialPassword } from '../mysql/password';
import { accountPasswordSources } from '../mysql/secretPassword';
import {
  AWS_ENV,
  awsFlags,
  checkStreamName,
  COMMON_FLAGS,
  commonConfig,
  numberOption,
  UsageError,
  untilSignal,
} from './common';
import { parseCommand, type CommandSpec } from './usage';

const NAME = 'livewall load';

export const LOAD = {
  name: 'load',
  brief: 'wide rows into Redshift or PostgreSQL, one row per order',
  summary:
    'Load the wide rows of dwd_customer_order_ds into Redshift or PostgreSQL as one current row per order, exactly once (the shard positions are committed with the rows), until Ctrl-C; then one summary line.',
  flags: {
    'dwd-stream': {
      type: 'string',
      value: 'NAME',
      default: 'dwd_customer_order_ds',
      config: 'pipeline.dwdStream',
      help: 'the wide-row stream',
    },
    warehouse: {
      type: 'string',
      value: 'URL',
      config: 'pipeline.warehouse',
      help: 'postgres://user@host:5432/db, or Redshift on port 5439 (required)',
    },
    'warehouse-secret': {
      type: 'string',
      value: 'ID',
      config: 'pipeline.warehouseSecretId',
      help: "an AWS Secrets Manager secret holding the --warehouse account's password",
    },
    table: { type: 'string', value: 'NAME', default: 'customer_order', help: 'the table' },
    dialect: {
      type: 'string',
      value: 'KIND',
      default: 'postgres',
      help: 'postgres or redshift (Redshift has no ON CONFLICT)',
    },
    'create-table': {
      type: 'boolean',
      help: 'create the table and the position table when missing',
    },
    'buffer-interval': {
      type: 'string',
      value: 'SECONDS',
      default: '60',
      help: 'the longest a row waits before a flush',
    },
    'buffer-size': {
      type: 'string',
      value: 'MB',
      default: '5',
      help: 'a flush starts once this much is buffered',
    },
    from: {
      type: 'string',
      value: 'POS',
      default: 'trim',
      help: 'where a first run starts: trim, latest, today or an ISO time',
    },
    ...COMMON_FLAGS,
  },
  env: [
    ...AWS_ENV,
    ['LIVEWALL_WAREHOUSE_PASSWORD', "the --warehouse account's password"],
    ['PGPASSWORD, ~/.pgpass', "PostgreSQL's own, when the above is unset"],
  ],
  examples: [
    'livewall load --warehouse postgres://loader@127.0.0.1:5432/dev --create-table --endpoint http://127.0.0.1:4567',
  ],
  notes: ['Exit codes: 0 stopped by Ctrl-C, 1 the warehouse refused the rows, 2 bad usage.'],
} as const satisfies CommandSpec;

export async function load(args: string[]): Promise<number> {
  const { values } = parseCommand(LOAD, args);
  const config = commonConfig('load', values);
  const stream = values['dwd-stream'] ?? config.pipeline.dwdStream ?? 'dwd_customer_order_ds';
  checkStreamName(stream);
  const url = values.warehouse ?? config.pipeline.warehouse;
  const target = parseWarehouseTarget(url, {
    table: values.table ?? 'customer_order',
    dialect: values.dialect ?? 'postgres',
  });
  if (!target.ok) throw new UsageError(target.error);
  const start = parseStartPosition(values.from ?? 'trim', { timeZone: config.timeZone });
  if (!start.ok) throw new UsageError(start.error);
  const intervalS = numberOption(values['buffer-interval'], 'buffer-interval', 0.1, 900) ?? 60;
  const sizeMb = numberOption(values['buffer-size'], 'buffer-size', 0.001, 128) ?? 5;
  const say = (line: string): void => void process.stderr.write(`${NAME}: ${line}\n`);
  if (url && urlHasPassword(url)) {
    say(
      `the password in ${target.value.description} shows in the process list; prefer LIVEWALL_WAREHOUSE_PASSWORD`,
    );
  }
  const settings = kinesisSettings(awsFlags(values), process.env, config.aws);
  const kinesisTarget = describeTarget(settings);
  // Its own variable, then the secret named for it; PGPASSWORD and ~/.pgpass are pg's own.
  const password = (
    await initialPassword(
      { user: '', host: '', port: 0 },
      accountPasswordSources('warehouse', {
        secretId: values['warehouse-secret'] ?? config.pipeline.warehouseSecretId,
        aws: settings,
      }).filter((s) => !s.mysqlOnly),
    )
  )?.password;
  const loader = new WarehouseLoader({
    client: createKinesisClient(settings),
    stream,
    start: start.value,
    kinesisTarget,
    warehouse: target.value,
    createTable: values['create-table'] ?? false,
    bufferIntervalMs: Math.round(intervalS * 1000),
    bufferBytes: Math.round(sizeMb * 1024 * 1024),
    ...(password !== undefined ? { password } : {}),
    log: say,
  });
  await loader.start();
  say(
    `loading ${stream} (${kinesisTarget}) into ${target.value.table.sql} at ${target.value.description} (${target.value.dialect}), a flush every ${intervalS} s or ${sizeMb} MB`,
  );
  const failed = await Promise.race([untilSignal().then(() => null), loader.failed]);
  await loader.stop();
  const s = loader.stats();
  process.stdout.write(
    `${JSON.stringify({ flushes: s.flushes, upserted: s.upserted, deleted: s.deleted, records: s.records, malformed: s.malformed })}\n`,
  );
  if (failed) {
    say(failed.message);
    return 1;
  }
  return 0;
}
