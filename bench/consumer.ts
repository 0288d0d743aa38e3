/**
 * Issue 3's figures: decode-and-apply speed of the metric_ds consumer, freshness from PutRecord
 * to the state update at 1, 10 and 100 records/s, and the time to catch up on 1 000 000 records.
 */
import type { _Record } from '@aws-sdk/client-kinesis';
import type { MetricRecord } from '../src/shared/contracts';
import { metricPartitionKey } from '../src/shared/identity';
import { dayStart } from '../src/shared/time';
import { createKinesisClient } from '../src/main/kinesis/kinesisClient';
import { aggregate } from '../src/main/kinesis/kpl';
import { MetricConsumer } from '../src/main/app/metricConsumer';
import { MetricHub } from '../src/main/app/metricHub';
import { createStream, kinesisClient, startKinesalite } from '../test/support/kinesalite';
import { putRaw } from '../test/support/metrics';
import { percentile } from './stats';

const TZ = 'Asia/Shanghai';
const enc = new TextEncoder();
type Report = (name: string, value: string) => void;

/** A realistic mix: many identities (minutes × cities), values updated over time. */
function record(i: number, occur: number): MetricRecord {
  const day = dayStart(occur, TZ);
  return {
    name: i % 3 ? 'orders' : 'gmv',
    value: i,
    occur,
    window: i % 2 ? '1m' : '1d',
    start: i % 2 ? day + (i % 1440) * 60_000 : day,
    dims: { city: `city${i % 40}` },
  };
}

function consumerFor(
  endpoint: string,
  stream: string,
  hub: MetricHub,
  from: 'TRIM_HORIZON' | 'LATEST',
): MetricConsumer {
  return new MetricConsumer({
    client: createKinesisClient({ endpoint, region: 'us-east-1' }),
    stream,
    start: { type: from },
    target: 'kinesalite',
    timeZone: TZ,
    hub,
  });
}

export async function consumerBench(report: Report): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  // 1. Decode and apply, in process: the consumer's own path without the network.
  {
    const hub = new MetricHub('kinesis');
    const consumer = consumerFor('http://127.0.0.1:1', 'bench', hub, 'LATEST');
    const now = Date.now();
    const batches: _Record[][] = [];
    for (let b = 0; b < 100; b++) {
      const records: _Record[] = [];
      for (let i = 0; i < 10_000; i++) {
        const r = record(b * 10_000 + i, now + b);
        records.push({
          Data: enc.encode(JSON.stringify(r)),
          PartitionKey: metricPartitionKey(r),
          SequenceNumber: String(b * 10_000 + i),
          ApproximateArrivalTimestamp: new Date(),
        });
      }
      batches.push(records);
    }
    consumer.handle({ shardId: 'warm', records: batches[0] as _Record[], millisBehindLatest: 0 });
    const t0 = performance.now();
    for (const records of batches)
      consumer.handle({ shardId: 'shardId-000000000000', records, millisBehindLatest: 0 });
    const s = (performance.now() - t0) / 1000;
    hub.stop();
    report(
      'consumer: decode + apply records/s (1 core)',
      Math.round(1_000_000 / s).toLocaleString('en-US'),
    );
  }

  const server = await startKinesalite({ shardLimit: 50 });
  try {
    const put = kinesisClient(server.endpoint);
    // 2. Freshness at 1, 10 and 100 records/s, default poll interval.
    for (const [rate, seconds] of [
      [1, 20],
      [10, 10],
      [100, 5],
    ] as const) {
      const stream = `fresh_${rate}`;
      await createStream(put, stream, 2);
      const lags: number[] = [];
      const hub = new (class extends MetricHub {
        override apply(records: readonly MetricRecord[]): void {
          const at = Date.now();
          for (const r of records) lags.push(at - r.occur);
          super.apply(records);
        }
      })('kinesis');
      const consumer = consumerFor(server.endpoint, stream, hub, 'LATEST');
      consumer.start();
      while (consumer.stats().reader.calls.getRecords < 2)
        await new Promise((r) => setTimeout(r, 20));
      const total = rate * seconds;
      const t0 = Date.now();
      for (let i = 0; i < total; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const r = record(i, Date.now());
        await putRaw(put, stream, [
          { PartitionKey: metricPartitionKey(r), Data: enc.encode(JSON.stringify(r)) },
        ]);
      }
      const deadline = Date.now() + 10_000;
      while (lags.length < total && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await consumer.stop();
      report(
        `consumer: freshness at ${rate} rec/s, PutRecord→state p50 / p99 (ms)`,
        `${percentile(lags, 50)} / ${percentile(lags, 99)} (${lags.length} of ${total})`,
      );
    }

    // 3. Catch-up on 1 000 000 records, KPL-aggregated 500 to a Kinesis record, 4 shards.
    const stream = 'catchup';
    await createStream(put, stream, 4);
    const now = Date.now();
    const entries = [];
    for (let b = 0; b < 2_000; b++) {
      const users = [];
      for (let i = 0; i < 500; i++) {
        const r = record(b * 500 + i, now);
        users.push({ partitionKey: metricPartitionKey(r), data: enc.encode(JSON.stringify(r)) });
      }
      entries.push({ PartitionKey: `agg${b}`, Data: aggregate(users) });
    }
    const tPut = performance.now();
    await putRaw(put, stream, entries);
    report(
      'kinesalite: put 1 000 000 records as 2 000 KPL aggregates (s)',
      ((performance.now() - tPut) / 1000).toFixed(1),
    );
    const hub = new MetricHub('kinesis');
    const consumer = consumerFor(server.endpoint, stream, hub, 'TRIM_HORIZON');
    const t0 = performance.now();
    consumer.start();
    while (consumer.stats().records.applied < 1_000_000)
      await new Promise((r) => setTimeout(r, 50));
    const s = (performance.now() - t0) / 1000;
    await consumer.stop();
    report('consumer: catch up on 1 000 000 records, 4 shards (s)', s.toFixed(1));
    report(
      'consumer: catch-up rate (records/s)',
      Math.round(1_000_000 / s).toLocaleString('en-US'),
    );
  } finally {
    await server.dispose();
  }
}
