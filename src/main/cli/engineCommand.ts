/**
 * `livewall engine [--source order_ds] [--metrics metric_ds] [--dwd dwd_customer_order_ds]
 * [--customers URL]`: the Flink job's work done right, until SIGINT or SIGTERM. State and stream
 * positions are checkpointed in --state-dir, so a restart resumes exactly.
 */
import { join } from 'node:path';
import { hostname } from 'node:os';
import { announceEngine, tagSkipped } from '../kinesis/engineTags';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget } from '../kinesis/settings';
import { EngineRunner } from '../engine/engineRunner';
import type { EngineStats } from '../engine/metricsEngine';
import {
  COMMON_FLAGS,
  ENGINE_ENV,
  ENGINE_FLAGS,
  engineSettings,
  customerDirectory,
  untilSignal,
} from './common';
import { parseCommand, type CommandSpec } from './usage';

export const ENGINE = {
  name: 'engine',
  brief: 'change events → metric records and wide rows',
  summary:
    "Fold change events into metric records and wide rows (the Flink job's work, in Node), until Ctrl-C. State and stream positions are checkpointed, so a restart resumes exactly.",
  flags: { ...ENGINE_FLAGS, ...COMMON_FLAGS },
  env: ENGINE_ENV,
  examples: [
    'livewall engine --customers mysql://reader@127.0.0.1:3306/demo --endpoint http://127.0.0.1:4567',
  ],
} as const satisfies CommandSpec;

const NAME = 'livewall engine';

export async function engine(args: string[]): Promise<number> {
  const { values } = parseCommand(ENGINE, args);
  const settings = engineSettings('engine', values);
  const { source, metrics, dwd, database, aws } = settings;
  const target = describeTarget(aws);
  const customers = values.customers
    ? await customerDirectory(values.customers, (m) => process.stderr.write(`${NAME}: ${m}\n`), {
        secretId: values['customers-secret'],
        aws,
      })
    : null;
  const say = (line: string): void => void process.stderr.write(`${NAME}: ${line}\n`);
  const client = createKinesisClient(aws);
  const runner = new EngineRunner({
    client,
    orderStream: source,
    metrics,
    dwd,
    target,
    timeZone: settings.config.timeZone,
    dbTimeZone: settings.dbTimeZone,
    ...(settings.retentionDays ? { retentionDays: settings.retentionDays } : {}),
    ...(settings.emitIntervalMs ? { emitIntervalMs: settings.emitIntervalMs } : {}),
    ...(settings.lookupBoundMs !== undefined ? { lookupBoundMs: settings.lookupBoundMs } : {}),
    start: settings.start,
    customers,
    database,
    maxFutureMs: settings.maxFutureMs,
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
    `reading ${source} (${target}), database ${database}; metrics to ${metrics}${dwd ? `, wide rows to ${dwd}` : ''}${customers ? `, customers from ${customers.description}` : ', no customer dimension (levels are null)'}`,
  );
  // Skipped records are named as they come, at most one line every 10 s (poison cannot flood).
  let told = '';
  const tell = (): void => {
    const line = skippedLine(runner.stats().engine);
    if (line && line !== told) say((told = line));
  };
  // Screens and health read the counts from a tag on the streams, kept current once a minute.
  let tagged = '';
  const tagger = setInterval(() => {
    const counts = runner.stats().engine.rejected;
    const key = JSON.stringify(counts);
    if (key === tagged) return;
    tagged = key;
    void tagSkipped(client, dwd ? [metrics, dwd] : [metrics], counts);
  }, 60_000);
  const teller = setInterval(tell, 10_000);
  await untilSignal();
  clearInterval(teller);
  clearInterval(tagger);
  await runner.stop();
  tell();
  await tagSkipped(client, dwd ? [metrics, dwd] : [metrics], runner.stats().engine.rejected);
  const s = runner.stats();
  say(
    `stopped: ${s.engine.applied} changes applied, ${s.engine.malformed} malformed, ${skippedTotal(s.engine)} skipped, ${s.emitted.metrics} metric records and ${s.emitted.wide} wide rows written`,
  );
  return 0;
}

const skippedTotal = (e: EngineStats): number =>
  Object.values(e.rejected).reduce((a, b) => a + b, 0);

/** "skipped 3 records (create-time-future 1, ts-out-of-range 2); the last: …", or null. */
export function skippedLine(e: EngineStats): string | null {
  const total = skippedTotal(e);
  if (total === 0) return null;
  const parts = Object.entries(e.rejected)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason} ${n}`);
  return `skipped ${total} record${total === 1 ? '' : 's'} it cannot trust (${parts.join(', ')}); the last: ${e.lastRejected ?? '?'}`;
}
