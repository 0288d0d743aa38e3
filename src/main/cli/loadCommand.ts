/**
 * `livewall load --dwd-stream dwd_customer_order_ds --warehouse URL`: the workshop's last hop
 * (Firehose → Redshift) as one exact row per order, until SIGINT or SIGTERM, then one summary line.
 * The warehouse URL and the stream default to the config's `pipeline` block (as `health` reads
 * them); the password comes from LIVEWALL_WAREHOUSE_PASSWORD, PGPASSWORD or ~/.pgpass.
 */
import { parseArgs } from 'node:util';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { parseStartPosition } from '../kinesis/startPosition';
import { urlHasPassword } from '../lib/redactUrl';
import { WarehouseLoader } from '../warehouse/loader';
import { parseWarehouseTarget, warehousePassword } from '../warehouse/warehouseTarget';
import {
  awsFlags,
  checkStreamName,
  COMMON_OPTIONS,
  commonConfig,
  numberOption,
  UsageError,
  untilSignal,
} from './common';

const NAME = 'livewall load';

export async function load(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON_OPTIONS,
      'dwd-stream': { type: 'string' },
      warehouse: { type: 'string' },
      table: { type: 'string' },
      dialect: { type: 'string' },
      'create-table': { type: 'boolean' },
      'buffer-interval': { type: 'string' },
      'buffer-size': { type: 'string' },
      from: { type: 'string' },
    },
  });
  const config = commonConfig(values);
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
  const password = warehousePassword();
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
