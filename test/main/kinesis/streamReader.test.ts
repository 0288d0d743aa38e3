/**
 * The stream reader against a real Kinesis-compatible server (kinesalite): every shard, resharding
 * while reading, a server restart, throttling and expired iterators (made by a fault-injecting
 * HTTP hop, not by mocking the SDK).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteStreamCommand,
  ListShardsCommand,
  MergeShardsCommand,
  SplitShardCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { MetricRecord } from '../../../src/shared/contracts';
import { createKinesisClient } from '../../../src/main/kinesis/kinesisClient';
import {
  StreamReader,
  streamRecreated,
  type ReaderStatus,
  type ShardBatch,
} from '../../../src/main/kinesis/streamReader';
import type { StartPosition } from '../../../src/main/kinesis/startPosition';
import { startFaultProxy } from '../../support/kinesisFaultProxy';
import { createStream, kinesisClient, startKinesalite } from '../../support/kinesalite';
import { useKinesalite } from '../../support/lifecycle';
import { waitFor } from '../../support/processes';
import { metricSeries, orderProblems, putMetrics } from '../../support/metrics';

const kinesalite = useKinesalite({ shardLimit: 100 });
let streams = 0;

async function newStream(client: KinesisClient, shards: number): Promise<string> {
  const name = `reader_${++streams}`;
  await createStream(client, name, shards);
  return name;
}

/** Where the stream's first shard starts: kinesalite stamps it with the shard's creation second. */
async function firstShardStart(client: KinesisClient, stream: string): Promise<string> {
  const { Shards } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const start = Shards?.[0]?.SequenceNumberRange?.StartingSequenceNumber;
  if (!start) throw new Error(`stream ${stream} lists no first shard`);
  return start;
}

/**
 * Waits until a stream created now starts at another sequence number than `oldStart`, so one
 * created again under the old name is told apart (as on AWS): probe streams are created (and
 * deleted) until one is stamped with a later second than the old stream's.
 */
async function waitForNewShardStamp(client: KinesisClient, oldStart: string): Promise<void> {
  await waitFor(
    'a shard stamped with a later second',
    async () => {
      const probe = `stamp_${++streams}`;
      await createStream(client, probe, 1);
      const start = await firstShardStart(client, probe);
      await client.send(new DeleteStreamCommand({ StreamName: probe }));
      return start !== oldStart;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
}

interface Run {
  reader: StreamReader;
  got: MetricRecord[];
  deliveries: { shardId: string; at: number }[];
  statuses: ReaderStatus[];
}

/** The production client (no SDK retries: the reader's own backoff is under test). */
const readerClient = (endpoint: string): KinesisClient =>
  createKinesisClient({ endpoint, region: 'us-east-1' });

function read(
  client: KinesisClient,
  stream: string,
  start: StartPosition = { type: 'TRIM_HORIZON' },
  extra: { maxBackoffMs?: number; listIntervalMs?: number } = {},
): Run {
  const got: MetricRecord[] = [];
  const deliveries: Run['deliveries'] = [];
  const statuses: ReaderStatus[] = [];
  const reader = new StreamReader({
    client,
    stream,
    start,
    target: 'kinesalite',
    pollIntervalMs: 50,
    listIntervalMs: extra.listIntervalMs ?? 1_000,
    maxBackoffMs: extra.maxBackoffMs ?? 1_000,
    onRecords: (b: ShardBatch) => {
      deliveries.push({ shardId: b.shardId, at: deliveries.length });
      for (const r of b.records)
        got.push(JSON.parse(new TextDecoder().decode(r.Data)) as MetricRecord);
    },
    onStatus: (s) => statuses.push(s),
  });
  reader.start();
  onTestFinished(() => reader.stop());
  return { reader, got, deliveries, statuses };
}

describe('StreamReader', () => {
  test('reads every shard of a four-shard stream, each record once, per-key order kept', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    const stream = await newStream(client, 4);
    const sent = metricSeries(40, 50);
    await putMetrics(client, stream, sent);
    const run = read(readerClient(kinesalite().endpoint), stream);
    await waitFor('2 000 records', () => run.got.length >= sent.length, { timeoutMs: 20_000 });
    expect(orderProblems(sent, run.got)).toBeNull();
    const shards = new Set(run.deliveries.map((d) => d.shardId));
    expect(shards.size).toBe(4);
    expect(run.reader.stats().shards.every((s) => s.records > 0)).toBe(true);
  });

  test('a split and a merge while reading lose nothing, repeat nothing, and read parents first', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    const stream = await newStream(client, 4);
    const run = read(
      readerClient(kinesalite().endpoint),
      stream,
      { type: 'TRIM_HORIZON' },
      { listIntervalMs: 300 },
    );
    const sent: MetricRecord[] = [];
    const listShards = async () =>
      (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
    const waitActive = () =>
      waitFor('the stream to be active', async () => (await listShards()).length > 0, {
        timeoutMs: 10_000,
      });
    for (let batch = 0; batch < 30; batch++) {
      const records = metricSeries(60, 1, Date.now() + batch * 1000).map((r) => ({
        ...r,
        occur: batch,
      }));
      await putMetrics(client, stream, records);
      sent.push(...records);
      if (batch === 10) {
        const s0 = (await listShards())[0];
        const lo = BigInt(s0?.HashKeyRange?.StartingHashKey ?? '0');
        const hi = BigInt(s0?.HashKeyRange?.EndingHashKey ?? '0');
        await client.send(
          new SplitShardCommand({
            StreamName: stream,
            ShardToSplit: s0?.ShardId,
            NewStartingHashKey: String((lo + hi) / 2n),
          }),
        );
        await waitActive();
      }
      if (batch === 20) {
        const open = (await listShards()).filter(
          (s) => !s.SequenceNumberRange?.EndingSequenceNumber,
        );
        open.sort((a, b) =>
          BigInt(a.HashKeyRange?.StartingHashKey ?? 0) <
          BigInt(b.HashKeyRange?.StartingHashKey ?? 0)
            ? -1
            : 1,
        );
        // Two neighbours in hash-key order: the last two.
        const [a, b] = open.slice(-2);
        await client.send(
          new MergeShardsCommand({
            StreamName: stream,
            ShardToMerge: a?.ShardId,
            AdjacentShardToMerge: b?.ShardId,
          }),
        );
        await waitActive();
      }
    }
    await waitFor('every record', () => run.got.length >= sent.length, { timeoutMs: 30_000 });
    expect(orderProblems(sent, run.got)).toBeNull();

    // Parents are read to their end before a child's first record.
    const stats = run.reader.stats();
    expect(stats.shards.length).toBe(4 + 2 + 1);
    for (const s of stats.shards) {
      const first = run.deliveries.find((d) => d.shardId === s.shardId)?.at;
      for (const p of s.parents) {
        const lastOfParent = run.deliveries.filter((d) => d.shardId === p).at(-1)?.at ?? -1;
        if (first !== undefined)
          expect(first, `${s.shardId} after ${p}`).toBeGreaterThan(lastOfParent);
      }
    }
  });

  test('a server stopped and restarted mid-stream: the reader says so, then resumes where it was', async () => {
    const server = await startKinesalite({ path: mkdtempSync(join(tmpdir(), 'lwkin-')) });
    onTestFinished(() => server.dispose());
    const client = kinesisClient(server.endpoint);
    const stream = await newStream(client, 2);
    const first = metricSeries(20, 25);
    await putMetrics(client, stream, first);
    const run = read(readerClient(server.endpoint), stream);
    await waitFor('the first 500', () => run.got.length >= 500, { timeoutMs: 20_000 });
    await server.stop();
    await waitFor('an error status', () => run.statuses.some((s) => s.state === 'error'), {
      timeoutMs: 10_000,
    });
    expect(run.statuses.find((s) => s.state === 'error')?.message).toMatch(
      /^Cannot reach Kinesis \(kinesalite\): .*Retrying in \d+ s\.$/,
    );
    await server.restart();
    const second = metricSeries(20, 25, Date.now() + 10_000);
    await putMetrics(client, stream, second);
    await waitFor('all 1 000', () => run.got.length >= 1_000, { timeoutMs: 30_000 });
    expect(orderProblems([...first, ...second], run.got)).toBeNull();
    expect(run.statuses.at(-1)?.state).toBe('ok');
  });

  test('throttling is survived quietly, and each shard is asked at most five times a second', async () => {
    const proxy = await startFaultProxy(kinesalite().endpoint);
    onTestFinished(() => proxy.stop());
    let getRecords = 0;
    proxy.setRule((call) =>
      call.op === 'GetRecords' && ++getRecords % 2 === 1
        ? {
            status: 400,
            type: 'ProvisionedThroughputExceededException',
            message: 'Rate exceeded for shard',
          }
        : undefined,
    );
    const direct = kinesisClient(kinesalite().endpoint);
    const stream = await newStream(direct, 2);
    const run = read(readerClient(proxy.endpoint), stream);
    const sent: MetricRecord[] = [];
    for (let i = 0; i < 10; i++) {
      const batch = metricSeries(10, 10, Date.now() + i * 100).map((r) => ({
        ...r,
        occur: r.occur + i * 1000,
      }));
      await putMetrics(direct, stream, batch);
      sent.push(...batch);
    }
    await waitFor('every record', () => run.got.length >= sent.length, { timeoutMs: 30_000 });
    expect(orderProblems(sent, run.got)).toBeNull();
    expect(run.reader.stats().errors.throttled).toBeGreaterThan(0);
    expect(run.statuses.some((s) => s.state === 'error')).toBe(false);
    const callsByShard = (): Map<string, number[]> => {
      const byShard = new Map<string, number[]>();
      for (const c of proxy.calls)
        if (c.op === 'GetRecords' && c.shardId)
          byShard.set(c.shardId, [...(byShard.get(c.shardId) ?? []), c.at]);
      return byShard;
    };
    // The reader keeps polling: wait until each shard was asked often enough to judge the rate.
    await waitFor(
      'seven GetRecords per shard',
      () => {
        const counts = [...callsByShard().values()].map((t) => t.length);
        return counts.length === 2 && Math.min(...counts) >= 7;
      },
      { timeoutMs: 30_000 },
    );
    const byShard = callsByShard();
    for (const [shard, times] of byShard) {
      // Five a second: any six consecutive calls span a second. The client spaces call starts
      // 200 ms apart; arrival at the hop jitters (tens of ms on a busy machine), hence 900.
      const spans = times.slice(5).map((t, i) => t - (times[i] as number));
      expect(spans.length, shard).toBeGreaterThan(0);
      expect(Math.min(...spans), shard).toBeGreaterThanOrEqual(900);
    }
  });

  test('an expired iterator is renewed from the last sequence number: nothing lost or repeated', async () => {
    const proxy = await startFaultProxy(kinesalite().endpoint);
    onTestFinished(() => proxy.stop());
    let getRecords = 0;
    proxy.setRule((call) =>
      call.op === 'GetRecords' && ++getRecords % 4 === 0
        ? { status: 400, type: 'ExpiredIteratorException', message: 'Iterator expired.' }
        : undefined,
    );
    const direct = kinesisClient(kinesalite().endpoint);
    const stream = await newStream(direct, 1);
    const run = read(readerClient(proxy.endpoint), stream);
    const sent: MetricRecord[] = [];
    for (let i = 0; i < 8; i++) {
      const batch = metricSeries(5, 4).map((r) => ({ ...r, occur: i * 10 + r.value }));
      await putMetrics(direct, stream, batch);
      sent.push(...batch);
      await waitFor('the batch', () => run.got.length >= sent.length, { timeoutMs: 10_000 });
    }
    expect(orderProblems(sent, run.got)).toBeNull();
    expect(run.reader.stats().errors['expired-iterator']).toBeGreaterThan(0);
    const renewals = proxy.calls.filter((c) => c.op === 'GetShardIterator').length;
    expect(renewals).toBeGreaterThan(1);
  });

  test('a stream deleted and created again (kinesalite restarted without data) is read from its start', async () => {
    const server = await startKinesalite();
    onTestFinished(() => server.dispose());
    const client = kinesisClient(server.endpoint);
    const stream = await newStream(client, 1);
    const oldStart = await firstShardStart(client, stream);
    const before = metricSeries(3, 2);
    await putMetrics(client, stream, before);
    const run = read(readerClient(server.endpoint), stream);
    await waitFor('the first records', () => run.got.length >= before.length, {
      timeoutMs: 10_000,
    });
    await server.restart(); // in memory: the stream is gone
    await waitForNewShardStamp(client, oldStart);
    await createStream(client, stream, 1);
    const after = metricSeries(4, 1, Date.now() + 60_000);
    await putMetrics(client, stream, after);
    await waitFor(
      'the records of the new stream',
      () => run.got.length >= before.length + after.length,
      { timeoutMs: 30_000 },
    );
    expect(orderProblems([...before, ...after], run.got)).toBeNull();
    expect(run.statuses.at(-1)?.state).toBe('ok');
  });

  test('a read in flight while the stream is deleted and created again writes nothing back', async () => {
    const server = await startKinesalite();
    onTestFinished(() => server.dispose());
    const proxy = await startFaultProxy(server.endpoint);
    onTestFinished(() => proxy.stop());
    const client = kinesisClient(server.endpoint);
    const stream = await newStream(client, 1);
    const oldStart = await firstShardStart(client, stream);
    const before = metricSeries(3, 2);
    await putMetrics(client, stream, before);
    const run = read(readerClient(proxy.endpoint), stream);
    await waitFor('the first records', () => run.got.length >= before.length, {
      timeoutMs: 10_000,
    });

    // The next answer that carries records is held: that read stays in flight.
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let heldSeqs: string[] = [];
    proxy.setHold((call, answer) => {
      if (call.op !== 'GetRecords' || heldSeqs.length > 0) return undefined;
      const records = (JSON.parse(answer) as { Records?: { SequenceNumber: string }[] }).Records;
      if (!records?.length) return undefined;
      heldSeqs = records.map((r) => r.SequenceNumber);
      return released;
    });
    const mid = metricSeries(2, 1, Date.now() + 30_000);
    await putMetrics(client, stream, mid);
    await waitFor('a read in flight', () => heldSeqs.length === mid.length, { timeoutMs: 10_000 });

    await server.restart(); // in memory: the stream is gone
    await waitForNewShardStamp(client, oldStart);
    await createStream(client, stream, 1);
    const callsThen = proxy.calls.length;
    // Two listings started after it: the first of them has seen the new stream.
    await waitFor(
      'a listing of the new stream',
      () => proxy.calls.slice(callsThen).filter((c) => c.op === 'ListShards').length >= 2,
      { timeoutMs: 10_000 },
    );

    // Now the old read answers: records and iterator of the deleted stream.
    const callsBefore = proxy.calls.length;
    release();
    await waitFor(
      'two more reads after the old answer',
      () => proxy.calls.slice(callsBefore).filter((c) => c.op === 'GetRecords').length >= 2,
      { timeoutMs: 10_000 },
    );
    const position = (): string | null | undefined =>
      Object.values(run.reader.positions())[0]?.sequenceNumber;
    expect(heldSeqs).not.toContain(position());
    const after = metricSeries(4, 1, Date.now() + 60_000);
    await putMetrics(client, stream, after);
    await waitFor('the new stream read', () => run.got.length >= before.length + after.length, {
      timeoutMs: 15_000,
    });

    // The deleted stream's late answer is neither delivered nor kept as the position.
    expect(orderProblems([...before, ...after], run.got)).toBeNull();
    expect(heldSeqs).not.toContain(position());
    expect(run.reader.stats().shards).toHaveLength(1);
    expect(run.reader.stats().recreations).toBe(1);
    expect(run.statuses.at(-1)?.state).toBe('ok');
  });
});

describe('streamRecreated', () => {
  const held = new Map([
    ['shardId-000000000000', { startSeq: '100', closed: true }],
    ['shardId-000000000001', { startSeq: '200', closed: false }],
  ]);
  const shard = (id: string, start: string, end?: string): Shard => ({
    ShardId: id,
    HashKeyRange: undefined,
    SequenceNumberRange: { StartingSequenceNumber: start, EndingSequenceNumber: end },
  });
  test.each<[string, Shard[], boolean]>([
    [
      'the same shards',
      [shard('shardId-000000000000', '100', '150'), shard('shardId-000000000001', '200')],
      false,
    ],
    ['a child born by resharding', [shard('shardId-000000000002', '300')], false],
    ['a shard starting at another sequence number', [shard('shardId-000000000001', '900')], true],
    ['a closed shard open again', [shard('shardId-000000000000', '100')], true],
    ['nothing listed (the stream is gone)', [], false],
  ])('%s', (_, listed, want) => {
    expect(streamRecreated(held, listed)).toBe(want);
  });
});
