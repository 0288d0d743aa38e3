/**
 * The writer under a backlog and an outage (issue 24): a million records cost no stack and no
 * copy of the queue, a metric's newer value replaces a queued older one, drained() covers what
 * was put so far however steady the input, and whenBelow holds a reader back.
 */
import type { PutRecordsRequestEntry, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { describe, expect, test } from 'vitest';
import { StreamWriter } from '../../../src/main/kinesis/streamWriter';

type Put = (entries: PutRecordsRequestEntry[]) => Promise<PutRecordsResultEntry[]>;

const okPut: Put = async (entries) =>
  entries.map((_, i) => ({ SequenceNumber: String(i), ShardId: 'shardId-000000000000' }));

function writer(put: Put): StreamWriter<number> & { acked: number[] } {
  const acked: number[] = [];
  const w = new StreamWriter<number>({
    put,
    onAcked: (t) => acked.push(t),
    classify: (err) => ({ fatal: false, sentence: (err as Error).message }),
    onFatal: () => undefined,
    backoff: { initialMs: 1, maxMs: 2 },
  });
  return Object.assign(w, { acked });
}

/** A put that fails every request until `up()` is called. */
function outage(): { put: Put; up: () => void; sent: string[] } {
  let down = true;
  const sent: string[] = [];
  const decoder = new TextDecoder();
  return {
    put: async (entries) => {
      if (down) throw new Error('metric_ds is unreachable');
      for (const e of entries) sent.push(decoder.decode(e.Data));
      return okPut(entries);
    },
    up: () => {
      down = false;
    },
    sent,
  };
}

describe('StreamWriter bounds', () => {
  test('a backlog of 1 000 000 records in one transaction goes out whole', async () => {
    const w = writer(okPut);
    const records = Array.from({ length: 1_000_000 }, (_, i) => ({
      partitionKey: `k${i % 5000}`,
      data: 'x',
    }));
    w.push(records, 1);
    await w.drained();
    expect(w.stats().acked).toBe(1_000_000);
    expect(w.acked).toEqual([1]);
  });

  test('through an outage, a metric identity holds one queued record: the newest value', async () => {
    const o = outage();
    const w = writer(o.put);
    for (let round = 0; round < 50; round++) {
      w.push(
        Array.from({ length: 100 }, (_, i) => ({
          partitionKey: `id${i}`,
          identity: `id${i}`,
          data: `id${i}=${round}`,
        })),
        round,
      );
      // At most one request in flight (failing) and one queued record per identity.
      expect(w.unacked).toBeLessThanOrEqual(200);
    }
    o.up();
    await w.drained();
    // Every identity's last value was sent, and the transactions were acknowledged in order.
    for (let i = 0; i < 100; i++)
      expect(o.sent.filter((d) => d.startsWith(`id${i}=`)).at(-1)).toBe(`id${i}=49`);
    expect(w.acked.at(-1)).toBe(49);
    expect(w.acked).toEqual([...w.acked].sort((a, b) => a - b));
    expect(w.stats().coalesced).toBeGreaterThanOrEqual(4_900);
  });

  test('drained() resolves for what was put before it, while input keeps coming', async () => {
    const w = writer(okPut);
    let n = 0;
    const feed = setInterval(() => w.push([{ partitionKey: `k${n}`, data: 'x' }], n++), 0);
    try {
      w.push([{ partitionKey: 'first', data: 'x' }], -1);
      await w.drained();
      expect(w.acked[0]).toBe(-1);
    } finally {
      clearInterval(feed);
    }
  });

  test('whenBelow resolves once the unacknowledged records fall to the limit', async () => {
    const o = outage();
    const w = writer(o.put);
    w.push(
      Array.from({ length: 300 }, (_, i) => ({ partitionKey: `k${i}`, data: 'x' })),
      1,
    );
    let resolved = false;
    const below = w.whenBelow(100).then(() => (resolved = true));
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    o.up();
    await below;
    expect(w.unacked).toBeLessThanOrEqual(100);
  });
});
