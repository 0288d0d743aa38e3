/**
 * The metric_ds consumer end to end on kinesalite: bad records among good ones, a replay from
 * `today` equal to live reading, and clear sentences for a missing stream or missing credentials.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import type { MetricRecord } from '../../../src/shared/contracts';
import { metricIdentity } from '../../../src/shared/identity';
import { MetricState } from '../../../src/shared/metricState';
import { dayStart } from '../../../src/shared/time';
import { createKinesisClient } from '../../../src/main/kinesis/kinesisClient';
import { aggregate } from '../../../src/main/kinesis/kpl';
import { MetricConsumer } from '../../../src/main/app/metricConsumer';
import type { StartPosition } from '../../../src/main/kinesis/startPosition';
import { MetricHub } from '../../../src/main/app/metricHub';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite } from '../../support/lifecycle';
import { waitFor } from '../../support/processes';
import { putMetrics, putRaw } from '../../support/metrics';

const TZ = 'Asia/Shanghai';
const kinesalite = useKinesalite({ shardLimit: 100 });
const enc = new TextEncoder();
let n = 0;

function consume(
  stream: string,
  start: StartPosition,
  endpoint = kinesalite().endpoint,
  profile?: string,
  requestTimeoutMs?: number,
): { consumer: MetricConsumer; hub: MetricHub } {
  const hub = new MetricHub('kinesis');
  const consumer = new MetricConsumer({
    client: createKinesisClient(
      { endpoint, region: 'us-east-1', ...(profile ? { profile } : {}) },
      requestTimeoutMs ? { requestTimeoutMs } : {},
    ),
    stream,
    start,
    target: `endpoint ${endpoint}`,
    timeZone: TZ,
    hub,
    pollIntervalMs: 50,
    listIntervalMs: 500,
    maxBackoffMs: 500,
  });
  consumer.start();
  onTestFinished(() => consumer.stop());
  return { consumer, hub };
}

/** Today's records: `ids` identities, each updated `times` times (values grow with occur). */
function todaysRecords(ids: number, times: number): MetricRecord[] {
  const day = dayStart(Date.now(), TZ);
  const out: MetricRecord[] = [];
  for (let t = 0; t < times; t++) {
    for (let i = 0; i < ids; i++) {
      out.push({
        name: i % 2 ? 'gmv' : 'orders',
        value: t * 10 + i,
        occur: day + 1000 * (t + 1),
        window: '1d',
        start: day,
        dims: { city: `c${i}` },
      });
    }
  }
  return out;
}

const sorted = (records: MetricRecord[]) =>
  [...records].sort((a, b) => metricIdentity(a).localeCompare(metricIdentity(b)));

describe('MetricConsumer', () => {
  test('10 000 malformed records among good ones are counted, kept for inspection and skipped', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    const stream = `consumer_${++n}`;
    await createStream(client, stream, 3);
    const good = todaysRecords(50, 10);
    const bad: { PartitionKey: string; Data: Uint8Array }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 5;
      const data =
        kind === 0
          ? enc.encode(`not json ${i}`)
          : kind === 1
            ? enc.encode(JSON.stringify({ name: 'amount', value: 'x', occur: 1 }))
            : kind === 2
              ? Uint8Array.of(0xff, 0xfe, i % 256)
              : kind === 3
                ? enc.encode(
                    JSON.stringify({ name: 'gmv', value: 1, occur: 1, window: '1h', start: 0 }),
                  )
                : enc.encode('[]');
      bad.push({ PartitionKey: `bad${i % 7}`, Data: data });
    }
    // Good records go in as plain records and as KPL aggregates, interleaved with the bad ones.
    const half = good.length / 2;
    const plain = good
      .slice(0, half)
      .map((r) => ({ PartitionKey: metricIdentity(r), Data: enc.encode(JSON.stringify(r)) }));
    const packed = [];
    for (let i = half; i < good.length; i += 25) {
      const group = good.slice(i, i + 25);
      packed.push({
        PartitionKey: metricIdentity(group[0] as MetricRecord),
        Data: aggregate(
          group.map((r) => ({
            partitionKey: metricIdentity(r),
            data: enc.encode(JSON.stringify(r)),
          })),
        ),
      });
    }
    const mixed = [];
    for (let i = 0; i < bad.length; i++) {
      mixed.push(bad[i] as (typeof bad)[number]);
      if (i % 40 === 0 && plain.length) mixed.push(plain.shift() as (typeof plain)[number]);
      if (i % 400 === 0 && packed.length) mixed.push(packed.shift() as (typeof packed)[number]);
    }
    mixed.push(...plain, ...packed);
    await putRaw(client, stream, mixed);

    const { consumer, hub } = consume(stream, { type: 'TRIM_HORIZON' });
    await waitFor(
      'every record',
      () => {
        const s = consumer.stats().records;
        return s.applied + s.malformed >= good.length + 10_000;
      },
      { timeoutMs: 60_000 },
    );
    const stats = consumer.stats();
    expect(stats.records).toEqual({ applied: good.length, malformed: 10_000 });
    expect(stats.lastMalformed).toHaveLength(20);
    expect(new Set(stats.lastMalformed.map((m) => m.reason.split(':')[0]))).not.toContain(
      undefined,
    );
    expect(
      stats.lastMalformed.every((m) => m.shardId.startsWith('shardId-') && m.sequenceNumber),
    ).toBe(true);
    const want = new MetricState();
    for (const r of good) want.apply(r);
    expect(sorted(hub.snapshot().metrics)).toEqual(sorted(want.records()));
  });

  test('a replay from today builds the same state that live reading did', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    const stream = `consumer_${++n}`;
    await createStream(client, stream, 4);
    const live = consume(stream, { type: 'LATEST' });
    await waitFor(
      'the live reader to be reading',
      () => live.consumer.stats().reader.calls.getRecords >= 4,
      { timeoutMs: 10_000 },
    );
    const records = todaysRecords(40, 5);
    // Repeats and an older record after a newer one: the identity rule must hold either way.
    await putMetrics(client, stream, [
      ...records,
      ...records.slice(0, 30),
      ...records.slice(0, 40).map((r) => ({ ...r, occur: r.occur - 500, value: -1 })),
    ]);
    const total = records.length + 30 + 40;
    await waitFor('live to read everything', () => live.consumer.stats().records.applied >= total, {
      timeoutMs: 20_000,
    });
    const replay = consume(stream, { type: 'AT_TIMESTAMP', timestamp: dayStart(Date.now(), TZ) });
    await waitFor(
      'the replay to read everything',
      () => replay.consumer.stats().records.applied >= total,
      { timeoutMs: 20_000 },
    );
    expect(sorted(replay.hub.snapshot().metrics)).toEqual(sorted(live.hub.snapshot().metrics));
    expect(live.hub.snapshot().metrics.every((m) => m.value >= 0)).toBe(true);
  });

  test('a missing stream is said plainly and retried until it appears', async () => {
    const stream = `consumer_${++n}`;
    const { consumer, hub } = consume(stream, { type: 'TRIM_HORIZON' });
    await waitFor('an error status', () => hub.status().state === 'error', { timeoutMs: 10_000 });
    expect(hub.status().message).toMatch(
      new RegExp(
        `^Stream "${stream}" was not found \\(endpoint http://127\\.0\\.0\\.1:\\d+\\): check the stream name and the region\\. Retrying in \\d+ s\\.$`,
      ),
    );
    const client = kinesisClient(kinesalite().endpoint);
    await createStream(client, stream, 1);
    await putMetrics(client, stream, todaysRecords(3, 1));
    await waitFor('the records', () => consumer.stats().records.applied === 3, {
      timeoutMs: 20_000,
    });
    expect(hub.status()).toEqual({ source: 'kinesis', state: 'ok', message: null, lagMs: 0 });
  });

  test('missing credentials are said plainly, never with a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwaws-'));
    writeFileSync(join(dir, 'config'), '');
    writeFileSync(join(dir, 'credentials'), '');
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const { hub } = consume(
      `consumer_${++n}`,
      { type: 'LATEST' },
      kinesalite().endpoint,
      'no-such-profile',
    );
    await waitFor('an error status', () => hub.status().state === 'error', { timeoutMs: 10_000 });
    expect(hub.status().message).toMatch(
      /^No usable AWS credentials \(endpoint .*\): set a profile \(--profile or AWS_PROFILE\), sign in with SSO, or set the AWS environment variables\. Retrying in \d+ s\.$/,
    );
  });

  test('a hung AT_TIMESTAMP request times out; the shard is read from its start, skipping what came before', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    const stream = `consumer_${++n}`;
    await createStream(client, stream, 1);
    const old = todaysRecords(5, 1);
    await putMetrics(client, stream, old);
    const from = Date.now() + 1;
    await waitFor('the clock to pass the old records', () => Date.now() > from + 5, {
      timeoutMs: 1_000,
      intervalMs: 2,
    });
    // kinesalite never answers AT_TIMESTAMP for a shard with nothing after the time.
    const { consumer, hub } = consume(
      stream,
      { type: 'AT_TIMESTAMP', timestamp: from },
      kinesalite().endpoint,
      undefined,
      500,
    );
    await waitFor('the timeout', () => consumer.stats().reader.errors.network > 0, {
      timeoutMs: 10_000,
    });
    const fresh = todaysRecords(3, 1).map((r) => ({ ...r, name: 'fresh', occur: r.occur + 10 }));
    await putMetrics(client, stream, fresh);
    await waitFor('the new records', () => consumer.stats().records.applied === 3, {
      timeoutMs: 15_000,
    });
    expect(hub.snapshot().metrics.map((m) => m.name)).toEqual(['fresh', 'fresh', 'fresh']);
    expect(hub.status()).toEqual({ source: 'kinesis', state: 'ok', message: null, lagMs: 0 });
  });

  test("the slowest shard's lag reaches the screen's status, in whole seconds", () => {
    const hub = new MetricHub('kinesis');
    const consumer = new MetricConsumer({
      client: { send: () => Promise.reject(new Error('not used')) },
      stream: 'lag',
      start: { type: 'LATEST' },
      target: 'nowhere',
      timeZone: TZ,
      hub,
    });
    const one = { Data: enc.encode(JSON.stringify(todaysRecords(1, 1)[0])), SequenceNumber: '1' };
    consumer.handle({ shardId: 'a', records: [one], millisBehindLatest: 12_345 });
    consumer.handle({ shardId: 'b', records: [one], millisBehindLatest: 400 });
    expect(hub.status()).toMatchObject({ lagMs: 12_000 });
    consumer.handle({ shardId: 'a', records: [one], millisBehindLatest: 0 });
    expect(hub.status()).toMatchObject({ lagMs: 0 });
  });
});
