/**
 * The newest records of a stream, within a bounded number of calls and never a busy loop:
 * per shard one GetShardIterator AT_TIMESTAMP (now − window) and at most `maxReadsPerShard`
 * GetRecords, stopping at the tip. kinesalite never answers AT_TIMESTAMP for a shard with no
 * record after the time (see streamReader.ts), so a request that does not answer within
 * `iteratorTimeoutMs` falls back to TRIM_HORIZON, read within the same bound and filtered to the
 * window: the honest way to learn the newest record without an index.
 */
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type _Record,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { sleep } from '../lib/backoff';

export interface StreamItem {
  /** Since the record arrived on the stream (its approximate arrival timestamp), ms. */
  ageMs: number;
  /** When the record arrived on the stream, epoch ms (to compare with a consumer's positions). */
  arrivalMs?: number;
  /** When the event it carries happened (a numeric `ts`: ms, or seconds for Maxwell), epoch ms. */
  eventMs?: number;
  /** A Maxwell record's `database.table`. */
  source?: string;
}

export interface StreamFreshness {
  status: string;
  shards: number;
  /** The newest record's age; null when none arrived within the window. */
  newestAgeMs: number | null;
  /** Records that arrived within the window (those read). */
  items: StreamItem[];
  /** Every shard was read to its tip; else the items are a lower bound. */
  complete: boolean;
  /** Calls made, for the README's cost figures and the tests. */
  calls: number;
}

export interface StreamProbeOptions {
  windowMs: number;
  maxReadsPerShard?: number;
  maxShards?: number;
  iteratorTimeoutMs?: number;
  /** Records per GetRecords (default 10 000, the most Kinesis returns). */
  recordsPerRead?: number;
  now?: () => number;
  signal?: AbortSignal;
}

/** Raised for a stream that is not ACTIVE (or UPDATING): its message is the sentence. */
export class StreamNotActive extends Error {}

export async function probeStream(
  client: Pick<KinesisClient, 'send'>,
  stream: string,
  opts: StreamProbeOptions,
): Promise<StreamFreshness> {
  const now = opts.now ?? Date.now;
  const maxReads = opts.maxReadsPerShard ?? 5;
  const limit = opts.recordsPerRead ?? 10_000;
  const signal = opts.signal;
  let calls = 0;
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }), {
    abortSignal: signal,
  });
  calls++;
  const status = summary.StreamDescriptionSummary?.StreamStatus ?? 'UNKNOWN';
  if (status !== 'ACTIVE' && status !== 'UPDATING') {
    throw new StreamNotActive(`Stream "${stream}" is ${status}: wait until it is ACTIVE.`);
  }
  const listed = await client.send(
    new ListShardsCommand({ StreamName: stream, MaxResults: opts.maxShards ?? 100 }),
    { abortSignal: signal },
  );
  calls++;
  const shards = listed.Shards ?? [];
  const since = now() - opts.windowMs;
  const items: StreamItem[] = [];
  let complete = listed.NextToken === undefined;

  /** One GetShardIterator call. */
  const iteratorAt = async (
    shardId: string,
    start:
      | { ShardIteratorType: 'AT_TIMESTAMP'; Timestamp: Date }
      | { ShardIteratorType: 'TRIM_HORIZON' },
    abortSignal: AbortSignal | undefined,
  ): Promise<string | undefined> => {
    calls++;
    const out = await client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ...start }),
      { abortSignal },
    );
    return out.ShardIterator;
  };

  const readShard = async (shardId: string): Promise<void> => {
    let iterator: string | undefined;
    let fromTrim = false;
    const hung = new AbortController();
    const timer = setTimeout(() => hung.abort(), opts.iteratorTimeoutMs ?? 3_000);
    const onOuter = (): void => hung.abort();
    signal?.addEventListener('abort', onOuter);
    try {
      iterator = await iteratorAt(
        shardId,
        { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(since) },
        hung.signal,
      );
    } catch (err) {
      if (signal?.aborted || !hung.signal.aborted) throw err;
      fromTrim = true;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onOuter);
    }
    if (fromTrim)
      iterator = await iteratorAt(shardId, { ShardIteratorType: 'TRIM_HORIZON' }, signal);
    for (let read = 0; iterator; read++) {
      if (read === maxReads) {
        complete = false;
        return;
      }
      // Kinesis allows 5 reads per second per shard, shared with the real consumers: pace ours.
      if (read > 0) await sleep(200, signal);
      const out = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }),
        {
          abortSignal: signal,
        },
      );
      calls++;
      const at = now();
      for (const r of out.Records ?? []) {
        const arrived = r.ApproximateArrivalTimestamp?.getTime();
        if (arrived === undefined || arrived < since) continue;
        items.push({ ageMs: Math.max(0, at - arrived), arrivalMs: arrived, ...eventTime(r) });
      }
      // At the tip (a short read with nothing behind), or a closed shard read to its end.
      const got = out.Records?.length ?? 0;
      if (!out.NextShardIterator) return;
      if (got < limit && (out.MillisBehindLatest ?? 0) === 0) return;
      iterator = out.NextShardIterator;
    }
  };
  await Promise.all(shards.map((s) => readShard(s.ShardId ?? '')));
  const newestAgeMs = items.reduce<number | null>(
    (least, i) => (least === null || i.ageMs < least ? i.ageMs : least),
    null,
  );
  return { status, shards: shards.length, newestAgeMs, items, complete, calls };
}

const TS = /"ts"\s*:\s*(\d+(?:\.\d+)?)/;
const DATABASE = /"database"\s*:\s*"([^"\\]*)"/;
const TABLE = /"table"\s*:\s*"([^"\\]*)"/;

/**
 * A record's event time from a numeric `ts` (contract 1: seconds; contract 3: ms), and a Maxwell
 * record's table. Read by pattern, not parsed: a probe may read 50,000 records.
 */
function eventTime(r: _Record): { eventMs?: number; source?: string } {
  try {
    const text = new TextDecoder().decode(r.Data);
    const m = TS.exec(text);
    if (!m) return {};
    const ts = Number(m[1]);
    const ms = ts > 1e11 ? ts : ts * 1000;
    const database = DATABASE.exec(text)?.[1];
    const table = TABLE.exec(text)?.[1];
    return {
      eventMs: ms,
      ...(database !== undefined && table !== undefined ? { source: `${database}.${table}` } : {}),
    };
  } catch {
    return {};
  }
}
