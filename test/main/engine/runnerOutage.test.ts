/**
 * The engine on kinesalite while its wide-row stream cannot take anything (here: it does not
 * exist): reading waits instead of queueing, the metrics still flow, and a SIGTERM-style stop
 * returns at once, keeping the previous checkpoint and the unread batch for the next start.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createKinesisClient } from '../../../src/main/kinesis/kinesisClient';
import { EngineRunner } from '../../../src/main/engine/engineRunner';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite } from '../../support/lifecycle';
import { makeTempDir, waitFor } from '../../support/processes';
import { putRaw } from '../../support/metrics';
import { paidInsert } from '../../support/changeEvents';

const kinesalite = useKinesalite();
const enc = new TextEncoder();

const event = (id: number): { PartitionKey: string; Data: Uint8Array } => {
  const now = Date.now();
  return { PartitionKey: String(id), Data: enc.encode(paidInsert(id, now, now)) };
};

describe('an output that takes nothing', () => {
  test('reading waits, the metrics flow, and stop returns at once with the unread batch kept', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    for (const s of ['out_order_ds', 'out_metric_ds']) await createStream(client, s, 1);
    const dir = await makeTempDir('livewall-outage-');
    onTestFinished(() => dir.remove());
    const runner = new EngineRunner({
      client: createKinesisClient({ endpoint: kinesalite().endpoint, region: 'us-east-1' }),
      orderStream: 'out_order_ds',
      metrics: 'out_metric_ds',
      dwd: 'out_missing_dwd_ds',
      target: 'kinesalite',
      timeZone: 'UTC',
      dbTimeZone: 'UTC',
      start: { type: 'TRIM_HORIZON' },
      customers: null,
      checkpointPath: join(dir.path, 'engine.checkpoint.json'),
      maxUnacked: 1,
      stopTimeoutMs: 200,
      pollIntervalMs: 50,
      emitIntervalMs: 50,
    });
    await runner.start();
    await putRaw(client, 'out_order_ds', [event(1), event(2)]);
    const wait = { timeoutMs: 30_000 };
    await waitFor('the first batch to be folded', () => runner.stats().engine.applied === 2, wait);
    await putRaw(client, 'out_order_ds', [event(3)]);
    // The metrics of the first batch reach metric_ds although the wide rows cannot leave.
    await waitFor(
      'metric records to be acknowledged',
      () => runner.stats().acked.metrics > 0,
      wait,
    );
    await waitFor(
      'the next batch to wait for the wide rows',
      () => runner.stats().waitingForOutput === 1,
      wait,
    );
    expect(runner.stats().engine.applied).toBe(2);
    await runner.stop();
    // The wide rows were never acknowledged: no checkpoint claims them.
    expect(existsSync(join(dir.path, 'engine.checkpoint.json'))).toBe(false);
  });
});
