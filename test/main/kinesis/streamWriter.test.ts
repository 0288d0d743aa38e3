/**
 * The writer's batching, retry and ordering rules against a fake PutRecords that behaves as the
 * API documents (per-entry ErrorCode, whole-request errors). kinesalite cannot be told to fail
 * one entry, and the cdc tests run the writer against it for real.
 */
import type { PutRecordsRequestEntry, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { describe, expect, test } from 'vitest';
import {
  StreamWriter,
  type PutErrorVerdict,
  type StreamRecord,
} from '../../../src/main/kinesis/streamWriter';
import { waitFor } from '../../support/processes';

interface Fake {
  requests: { key: string; data: string }[][];
  /** Accepted records in the order the "stream" took them. */
  accepted: { key: string; data: string }[];
  acked: string[];
  fatal: string[];
  writer: StreamWriter<string>;
}

function fakeWriter(
  decide: (entry: { key: string; data: string }, request: number) => 'ok' | 'throttle',
  options: { throwOn?: (request: number) => Error | null; maxInFlight?: number } = {},
): Fake {
  const fake: Omit<Fake, 'writer'> = { requests: [], accepted: [], acked: [], fatal: [] };
  const decoder = new TextDecoder();
  const put = async (entries: PutRecordsRequestEntry[]): Promise<PutRecordsResultEntry[]> => {
    const request = fake.requests.length;
    const decoded = entries.map((e) => ({
      key: String(e.PartitionKey),
      data: decoder.decode(e.Data),
    }));
    fake.requests.push(decoded);
    await new Promise((r) => setTimeout(r, 1));
    const thrown = options.throwOn?.(request);
    if (thrown) throw thrown;
    return decoded.map((entry) => {
      if (decide(entry, request) === 'throttle') {
        return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' };
      }
      fake.accepted.push(entry);
      return { SequenceNumber: String(fake.accepted.length), ShardId: 'shardId-000000000000' };
    });
  };
  const classify = (err: unknown): PutErrorVerdict => ({
    fatal: (err as Error).name === 'ResourceNotFoundException',
    sentence: (err as Error).message,
  });
  const writer = new StreamWriter<string>({
    put,
    classify,
    onAcked: (token) => fake.acked.push(token),
    onFatal: (sentence) => fake.fatal.push(sentence),
    backoff: { initialMs: 1, maxMs: 5 },
    ...(options.maxInFlight ? { maxInFlight: options.maxInFlight } : {}),
  });
  return { ...fake, writer };
}

const records = (n: number, prefix = 'k', from = 0): StreamRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    partitionKey: `${prefix}${from + i}`,
    data: `${prefix}${from + i}`,
  }));

describe('StreamWriter', () => {
  test('at most 500 records a request; positions acknowledged in order once every record is in', async () => {
    const f = fakeWriter(() => 'ok', { maxInFlight: 1 });
    f.writer.push(records(700, 'a'), 'pos-1');
    f.writer.push([], 'pos-2'); // a transaction with no order rows still moves the position on
    f.writer.push(records(500, 'b'), 'pos-3');
    await f.writer.drained();
    expect(f.requests.map((r) => r.length)).toEqual([500, 500, 200]);
    expect(f.accepted).toHaveLength(1_200);
    expect(f.acked.at(-1)).toBe('pos-3');
    expect(f.acked).toEqual([...f.acked].sort()); // never backwards
    expect(f.writer.unacked).toBe(0);
  });

  test('at most 5 MiB a request', async () => {
    const f = fakeWriter(() => 'ok', { maxInFlight: 1 });
    const big = 'x'.repeat(1024 * 1024 - 100);
    f.writer.push(
      Array.from({ length: 12 }, (_, i) => ({ partitionKey: `k${i}`, data: big })),
      'pos',
    );
    await f.writer.drained();
    expect(f.requests.map((r) => r.length)).toEqual([5, 5, 2]);
  });

  test('retries only the entries that failed', async () => {
    const f = fakeWriter((e, request) =>
      request === 0 && ['a3', 'a7'].includes(e.key) ? 'throttle' : 'ok',
    );
    f.writer.push(records(10, 'a'), 'pos');
    await f.writer.drained();
    expect(f.requests.map((r) => r.map((e) => e.key))).toEqual([
      records(10, 'a').map((r) => r.partitionKey),
      ['a3', 'a7'],
    ]);
    expect(f.writer.stats()).toMatchObject({ acked: 10, retriedEntries: 2 });
    expect(f.acked).toEqual(['pos']);
  });

  test("one key's records keep their order through failures and retries", async () => {
    let throttled = 0;
    // Every first attempt of o1's records fails once.
    const seen = new Set<string>();
    const f = fakeWriter((e) => {
      if (e.key === 'o1' && !seen.has(e.data)) {
        seen.add(e.data);
        throttled++;
        return 'throttle';
      }
      return 'ok';
    });
    const txn = (i: number): StreamRecord[] => [
      { partitionKey: 'o1', data: `o1-${i}` },
      { partitionKey: 'o2', data: `o2-${i}` },
      { partitionKey: `n${i}`, data: `n${i}` },
    ];
    for (let i = 0; i < 5; i++) f.writer.push(txn(i), `pos-${i}`);
    await f.writer.drained();
    expect(throttled).toBe(5);
    const order = (key: string) => f.accepted.filter((e) => e.key === key).map((e) => e.data);
    expect(order('o1')).toEqual(['o1-0', 'o1-1', 'o1-2', 'o1-3', 'o1-4']);
    expect(order('o2')).toEqual(['o2-0', 'o2-1', 'o2-2', 'o2-3', 'o2-4']);
    for (const request of f.requests) {
      expect(new Set(request.map((e) => e.key)).size).toBe(request.length);
    }
    expect(f.acked.at(-1)).toBe('pos-4');
  });

  test('a later transaction acked first is not stored before an earlier one', async () => {
    let open = false;
    const f = fakeWriter((e) => (e.key === 'slow' && !open ? 'throttle' : 'ok'));
    f.writer.push([{ partitionKey: 'slow', data: 's' }], 'pos-1');
    f.writer.push([{ partitionKey: 'fast', data: 'f' }], 'pos-2');
    await waitFor(
      'the fast record to be accepted',
      () => f.accepted.some((e) => e.key === 'fast'),
      {
        timeoutMs: 5_000,
        intervalMs: 2,
      },
    );
    expect(f.acked).toEqual([]);
    open = true;
    await f.writer.drained();
    expect(f.acked).toEqual(['pos-2']);
  });

  test('a whole request that fails is retried; a fatal error stops the writer', async () => {
    const network = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const f = fakeWriter(() => 'ok', { throwOn: (r) => (r === 0 ? network : null) });
    f.writer.push(records(3), 'pos');
    await f.writer.drained();
    expect(f.requests).toHaveLength(2);
    expect(f.accepted).toHaveLength(3);
    expect(f.acked).toEqual(['pos']);

    const missing = Object.assign(new Error('Stream order_ds was not found'), {
      name: 'ResourceNotFoundException',
    });
    const g = fakeWriter(() => 'ok', { throwOn: () => missing });
    g.writer.push(records(3), 'pos');
    await waitFor('the fatal error', () => g.fatal.length > 0, { timeoutMs: 5_000, intervalMs: 2 });
    expect(g.fatal).toEqual(['Stream order_ds was not found']);
    expect(g.requests).toHaveLength(1);
    expect(g.acked).toEqual([]);
  });

  test('an event over the 1 MiB record limit is fatal, not retried forever', () => {
    const f = fakeWriter(() => 'ok');
    f.writer.push([{ partitionKey: 'k', data: 'x'.repeat(1024 * 1024) }], 'pos');
    expect(f.fatal[0]).toMatch(/over Kinesis's 1 MiB record limit/);
  });
});
