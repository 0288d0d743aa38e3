/**
 * `livewall engine [--source order_ds] [--metrics metric_ds] [--dwd dwd_customer_order_ds]
 * [--customers URL]`: the Flink job's work done right, until SIGINT or SIGTERM. State and stream
 * positions are checkpointed in --state-dir, so a restart resumes exactly.
 */
import { join } from 'node:path';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { isValidTimeZone } from '@shared/time';
import { announceEngine } from '../kinesis/engineTags';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { parseStartPosition } from '../kinesis/startPosition';
import { EngineRunner } from '../engine/engineRunner';
import {
  awsFlags,
  ENGINE_OPTIONS,
  commonConfig,
  customerDirectory,
  numberOption,
  UsageError,
  untilSignal,
} from './common';

const NAME = 'livewall engine';
const STREAM = /^[a-zA-Z0-9_.-]{1,128}$/;

export async function engine(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...ENGINE_OPTIONS,
    },
  });
  const config = commonConfig(values);
  const source = values.source ?? 'order_ds';
  const metrics = values.metrics ?? 'metric_ds';
  const dwd =
    values.dwd === undefined ? 'dwd_customer_order_ds' : values.dwd === '' ? null : values.dwd;
  for (const s of [source, metrics, dwd]) {
    if (s !== null && !STREAM.test(s)) throw new UsageError(`"${s}" is not a Kinesis stream name`);
  }
  const dbTimeZone = values['db-time-zone'] ?? config.timeZone;
  if (!isValidTimeZone(dbTimeZone)) throw new UsageError(`unknown time zone "${dbTimeZone}"`);
  const start = parseStartPosition(values.from ?? 'trim', { timeZone: config.timeZone });
  if (!start.ok) throw new UsageError(start.error);
  const retentionDays = numberOption(values['retention-days'], 'retention-days', 1, 366);
  const emitIntervalMs = numberOption(values['emit-interval'], 'emit-interval', 10, 60_000);
  const lookupBoundMs = numberOption(values['lookup-bound'], 'lookup-bound', 0, 60_000);
  const settings = kinesisSettings(awsFlags(values), process.env, config.aws);
  const target = describeTarget(settings);
  const customers = values.customers
    ? await customerDirectory(values.customers, (m) => process.stderr.write(`${NAME}: ${m}\n`))
    : null;
  const say = (line: string): void => void process.stderr.write(`${NAME}: ${line}\n`);
  const client = createKinesisClient(settings);
  const runner = new EngineRunner({
    client,
    orderStream: source,
    metrics,
    dwd,
    target,
    timeZone: config.timeZone,
    dbTimeZone,
    ...(retentionDays ? { retentionDays } : {}),
    ...(emitIntervalMs ? { emitIntervalMs } : {}),
    ...(lookupBoundMs !== undefined ? { lookupBoundMs } : {}),
    start: start.value,
    customers,
    checkpointPath: join(
      values['state-dir'] ?? '.livewall',
      'engine',
      `${source.replace(/[^A-Za-z0-9_.-]/g, '_')}.checkpoint.json`,
    ),
    onStatus: say,
  });
  // Screens and `livewall health` read these tags to name the engine that fills the streams:
  // written before the first record, so whoever sees a record can see who wrote it.
  for (const failure of await announceEngine(client, dwd ? [metrics, dwd] : [metrics], {
    kind: 'engine',
    detail: `Node ${process.versions.node} on ${hostname()}`,
    since: Date.now(),
  }))
    say(failure);
  await runner.start();
  say(
    `reading ${source} (${target}); metrics to ${metrics}${dwd ? `, wide rows to ${dwd}` : ''}${customers ? `, customers from ${customers.description}` : ', no customer dimension (levels are null)'}`,
  );
  await untilSignal();
  await runner.stop();
  const s = runner.stats();
  say(
    `stopped: ${s.engine.applied} changes applied, ${s.engine.malformed} malformed, ${s.emitted.metrics} metric records and ${s.emitted.wide} wide rows written`,
  );
  return 0;
}
