/**
 * The stream probe on kinesalite: the newest record within a bounded number of calls per shard,
 * a quiet shard answered through the TRIM_HORIZON fallback (kinesalite hangs on AT_TIMESTAMP
 * there), and a lower bound, never a busy loop, when the bound is reached first.
 */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, test } from 'vitest';
import { probeStream, StreamNotActive } from '../../../src/main/health/streamProbe';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite } from '../../support/lifecycle';

const kinesalite = useKinesalite();
let client: KinesisClient;
beforeAll(() => {
  client = kinesisClient(kinesalite().endpoint);
});

async function put(stream: string, n: number, ts?: number): Promise<void> {
  await client.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: Array.from({ length: n }, (_, i) => ({
        PartitionKey: `k${i}`,
        Data: new TextEncoder().encode(JSON.stringify({ order_id: i, ...(ts ? { ts } : {}) })),
      })),
    }),
  );
}

describe('probeStream', () => {
  test(
    'finds the newest record in few calls; a quiet shard falls back to TRIM_HORIZON',
    { timeout: 30_000 },
    async () => {
      await createStream(client, 'probe_ds', 3);
      const ts = Date.now() - 5_000;
      await put('probe_ds', 40, ts);
      const r = await probeStream(client, 'probe_ds', {
        windowMs: 900_000,
        iteratorTimeoutMs: 1_000,
      });
      expect(r.status).toBe('ACTIVE');
      expect(r.shards).toBe(3);
      expect(r.items).toHaveLength(40);
      expect(r.complete).toBe(true);
      expect(r.newestAgeMs).toBeGreaterThanOrEqual(0);
      expect(r.newestAgeMs).toBeLessThan(10_000);
      expect(r.items.every((i) => i.eventMs === ts)).toBe(true);
      // Describe + ListShards + per shard at most 2 iterators and 5 reads.
      expect(r.calls).toBeLessThanOrEqual(2 + 3 * 7);
    },
  );

  test("a Maxwell record's table is read with its event time", { timeout: 30_000 }, async () => {
    await createStream(client, 'maxwell_ds', 1);
    const record = {
      database: 'demo',
      table: 'order',
      type: 'insert',
      ts: 1_700_000_000,
      data: { table: 'x' },
    };
    await client.send(
      new PutRecordsCommand({
        StreamName: 'maxwell_ds',
        Records: [{ PartitionKey: 'k', Data: new TextEncoder().encode(JSON.stringify(record)) }],
      }),
    );
    const r = await probeStream(client, 'maxwell_ds', {
      windowMs: 60_000,
      iteratorTimeoutMs: 1_000,
    });
    expect(r.items.map((i) => [i.eventMs, i.source])).toEqual([[1_700_000_000_000, 'demo.order']]);
  });

  test('an empty stream: no newest record, and few calls', { timeout: 30_000 }, async () => {
    await createStream(client, 'quiet_ds', 2);
    const r = await probeStream(client, 'quiet_ds', { windowMs: 60_000, iteratorTimeoutMs: 500 });
    expect(r.newestAgeMs).toBeNull();
    expect(r.items).toEqual([]);
    expect(r.calls).toBeLessThanOrEqual(2 + 2 * 7);
  });

  test(
    'the read bound reached first: a lower bound, marked incomplete',
    { timeout: 30_000 },
    async () => {
      await createStream(client, 'busy_ds', 1);
      await put('busy_ds', 30);
      const r = await probeStream(client, 'busy_ds', {
        windowMs: 900_000,
        iteratorTimeoutMs: 1_000,
        maxReadsPerShard: 2,
        recordsPerRead: 5,
      });
      expect(r.items).toHaveLength(10);
      expect(r.complete).toBe(false);
      expect(r.calls).toBeLessThanOrEqual(2 + 2 + 2);
    },
  );

  test('a missing stream throws the SDK error; a stream being deleted is a sentence', async () => {
    await expect(probeStream(client, 'nope_ds', { windowMs: 1_000 })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const deleting = {
      send: async () => ({ StreamDescriptionSummary: { StreamStatus: 'DELETING' } }),
    } as unknown as KinesisClient;
    await expect(probeStream(deleting, 'x', { windowMs: 1_000 })).rejects.toThrow(
      new StreamNotActive('Stream "x" is DELETING: wait until it is ACTIVE.'),
    );
  });
});
