/**
 * Reads every shard of a Kinesis stream the way a production consumer must (the opposite of the
 * workshop's read_kinesis.py, which read one shard from LATEST in a tight loop and died on the
 * first throttle):
 * - lists shards, follows resharding, and reads a child only after its parents are finished, so
 *   records of one partition key arrive in order;
 * - at most one GetRecords per shard every `minCallIntervalMs` (5 per second by default);
 * - backs off with jitter on throttling and network errors, renews expired iterators, and always
 *   resumes from the last sequence number it delivered, never from the start;
 * - reports its state as a sentence a person can act on.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type _Record,
  type GetShardIteratorCommandInput,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { describeAwsError, type AwsErrorKind } from './awsErrors';
import { backoffMs, sleep } from '../lib/backoff';
import type { StartPosition } from './startPosition';

export interface ShardBatch {
  shardId: string;
  records: _Record[];
  millisBehindLatest: number | null;
}

export interface ReaderStatus {
  state: 'connecting' | 'ok' | 'error';
  message: string | null;
}

export interface StreamReaderOptions {
  client: Pick<KinesisClient, 'send'>;
  stream: string;
  start: StartPosition;
  /** Where the calls go, for messages (describeTarget). */
  target: string;
  /**
   * Called in shard order; the next read of that shard waits for it. A shard's position moves
   * past the batch only when this returns (or its promise settles), so a checkpoint taken between
   * two batches never holds a record that was not handled.
   */
  onRecords: (batch: ShardBatch) => void | Promise<void>;
  /** Where to resume, per shard (from a checkpoint): shards read to the end, last sequence numbers. */
  resume?: Record<string, ShardPosition>;
  onStatus?: (status: ReaderStatus) => void;
  /** Wait after an empty read (default 250 ms). */
  pollIntervalMs?: number;
  /** Least time between two GetRecords on one shard (default 200 ms: Kinesis allows 5/s). */
  minCallIntervalMs?: number;
  /** Shards are listed again this often, and whenever a shard ends (default 30 s). */
  listIntervalMs?: number;
  maxBackoffMs?: number;
  limit?: number;
}

interface ShardState {
  id: string;
  /** The shard's first sequence number: a new one means the stream was created again. */
  startSeq: string | undefined;
  parents: string[];
  closed: boolean;
  /** First seen after the first listing: a child born while we read, read from its start. */
  discovered: boolean;
  lastSeq?: string;
  iterator?: string;
  /** For LATEST: when we started, so a renewed iterator does not skip what came since. */
  latestFrom?: number;
  /**
   * Read from the trim horizon and drop records that arrived before this time: the fallback when
   * an AT_TIMESTAMP iterator request hangs (kinesalite never answers one for a shard with no
   * record after the time). Cleared at the first record at or after it.
   */
  skipBefore?: number;
  /** An AT_TIMESTAMP iterator request of this shard timed out. */
  timestampHung?: boolean;
  finished: boolean;
  running: boolean;
  lag: number | null;
  records: number;
  lastCallAt: number;
  /**
   * Records asked for per GetRecords: quartered after a call that timed out (a slow endpoint,
   * such as a local one under a day's backlog, answers a smaller read in time), doubled again
   * after calls that answer quickly.
   */
  limit: number;
}

export interface ShardPosition {
  sequenceNumber: string | null;
  finished: boolean;
}

export interface ShardStats {
  shardId: string;
  parents: string[];
  finished: boolean;
  millisBehindLatest: number | null;
  records: number;
  lastSequenceNumber: string | null;
}

export interface ReaderStats {
  shards: ShardStats[];
  calls: { getRecords: number; listShards: number };
  /** Listings that found the stream deleted and created again. */
  recreations: number;
  errors: Record<AwsErrorKind, number>;
  lastError: string | null;
}

export class StreamReader {
  private readonly shards = new Map<string, ShardState>();
  private readonly loops = new Set<Promise<void>>();
  private abort = new AbortController();
  private running = false;
  private listedOnce = false;
  private wakeLister: (() => void) | null = null;
  private listLoop: Promise<void> | null = null;
  private status: ReaderStatus = { state: 'connecting', message: null };
  private readonly counts: ReaderStats = {
    shards: [],
    calls: { getRecords: 0, listShards: 0 },
    recreations: 0,
    errors: {
      throttled: 0,
      'expired-iterator': 0,
      'not-found': 0,
      credentials: 0,
      region: 0,
      network: 0,
      invalid: 0,
      other: 0,
    },
    lastError: null,
  };

  constructor(private readonly opts: StreamReaderOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.listLoop = this.runLister();
  }

  /** Stops every loop and waits for them; positions are kept, so start() resumes. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    this.wakeLister?.();
    await Promise.all([this.listLoop, ...this.loops]);
  }

  stats(): ReaderStats {
    return {
      ...this.counts,
      shards: [...this.shards.values()].map((s) => ({
        shardId: s.id,
        parents: s.parents,
        finished: s.finished,
        millisBehindLatest: s.lag,
        records: s.records,
        lastSequenceNumber: s.lastSeq ?? null,
      })),
      calls: { ...this.counts.calls },
      errors: { ...this.counts.errors },
    };
  }

  /** Every shard's position, for a checkpoint. */
  positions(): Record<string, ShardPosition> {
    const out: Record<string, ShardPosition> = {};
    for (const s of this.shards.values()) {
      out[s.id] = { sequenceNumber: s.lastSeq ?? null, finished: s.finished };
    }
    return out;
  }

  currentStatus(): ReaderStatus {
    return this.status;
  }

  private setStatus(state: ReaderStatus['state'], message: string | null): void {
    if (this.status.state === state && this.status.message === message) return;
    this.status = { state, message };
    this.opts.onStatus?.(this.status);
  }

  private async runLister(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.listShards();
        failures = 0;
        if (this.status.state === 'connecting') this.setStatus('ok', null);
        this.launchEligible();
        await this.waitForRelist(this.opts.listIntervalMs ?? 30_000);
      } catch (err) {
        if (!this.running) break;
        failures++;
        await this.failed(err, failures);
      }
    }
  }

  private waitForRelist(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeLister = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeLister = done;
    });
  }

  private async listShards(): Promise<void> {
    const seen: Shard[] = [];
    let token: string | undefined;
    do {
      this.counts.calls.listShards++;
      const out = await this.opts.client.send(
        new ListShardsCommand(token ? { NextToken: token } : { StreamName: this.opts.stream }),
        { abortSignal: this.abort.signal },
      );
      seen.push(...(out.Shards ?? []));
      token = out.NextToken;
    } while (token);
    const recreated = streamRecreated(this.shards, seen);
    if (recreated) {
      // The stream was deleted and created again under the same name: positions and iterators
      // of the old one name nothing here. New state objects, never edits of the old ones: a read
      // still in flight holds the old object, sees it is no longer current, and writes nothing.
      this.shards.clear();
      this.counts.recreations++;
    }
    for (const shard of seen) {
      const id = shard.ShardId;
      if (!id) continue;
      const held = this.shards.get(id);
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      const startSeq = shard.SequenceNumberRange?.StartingSequenceNumber;
      if (held) {
        held.closed = closed;
        continue;
      }
      // A recreated stream is read from its start; the checkpoint's positions name the old one.
      const resumed = recreated ? undefined : this.opts.resume?.[id];
      this.shards.set(id, {
        id,
        startSeq,
        parents: [shard.ParentShardId, shard.AdjacentParentShardId].filter((p): p is string => !!p),
        closed,
        // A shard the checkpoint does not know was born after it: read it from its start.
        discovered: recreated || this.listedOnce || (this.opts.resume !== undefined && !resumed),
        finished: resumed?.finished ?? false,
        ...(resumed?.sequenceNumber ? { lastSeq: resumed.sequenceNumber } : {}),
        running: false,
        lag: null,
        records: 0,
        lastCallAt: 0,
        limit: this.opts.limit ?? 10_000,
      });
    }
    this.listedOnce = true;
  }

  /** A shard is read once every parent we know of has been read to its end. */
  private launchEligible(): void {
    for (const s of this.shards.values()) {
      if (s.finished || s.running) continue;
      // A parent missing from the listing has aged out of the stream's retention: nothing to wait for.
      if (s.parents.some((p) => this.shards.has(p) && !this.shards.get(p)?.finished)) continue;
      s.running = true;
      const loop = this.readShard(s).finally(() => {
        s.running = false;
        this.loops.delete(loop);
      });
      this.loops.add(loop);
    }
  }

  /** False once a listing replaced this shard's state (the stream was created again). */
  private isCurrent(s: ShardState): boolean {
    return this.shards.get(s.id) === s;
  }

  private iteratorRequest(s: ShardState): GetShardIteratorCommandInput | null {
    const base = { StreamName: this.opts.stream, ShardId: s.id };
    if (s.lastSeq) {
      return {
        ...base,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        StartingSequenceNumber: s.lastSeq,
      };
    }
    if (s.discovered) return { ...base, ShardIteratorType: 'TRIM_HORIZON' };
    const start = this.opts.start;
    switch (start.type) {
      case 'TRIM_HORIZON':
        return { ...base, ShardIteratorType: 'TRIM_HORIZON' };
      case 'AT_TIMESTAMP':
        if (s.timestampHung) {
          s.skipBefore = start.timestamp;
          return { ...base, ShardIteratorType: 'TRIM_HORIZON' };
        }
        return { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(start.timestamp) };
      case 'LATEST':
        // A closed shard gets nothing new; a renewal before the first record must not skip ahead.
        if (s.closed) return null;
        if (s.latestFrom !== undefined) {
          return { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(s.latestFrom) };
        }
        s.latestFrom = Date.now();
        return { ...base, ShardIteratorType: 'LATEST' };
    }
  }

  private async readShard(s: ShardState): Promise<void> {
    const signal = this.abort.signal;
    const pollMs = this.opts.pollIntervalMs ?? 250;
    const minGapMs = this.opts.minCallIntervalMs ?? 200;
    let failures = 0;
    /** The iterator type being asked for, while a GetShardIterator call is out. */
    let asking: string | null = null;
    // Every await may end with the stream recreated: then this loop ends and writes nothing back
    // (the new state's own loop reads the new stream).
    while (this.running && this.isCurrent(s)) {
      try {
        if (!s.iterator) {
          const request = this.iteratorRequest(s);
          if (!request) {
            s.finished = true;
            break;
          }
          asking = request.ShardIteratorType ?? null;
          const out = await this.opts.client.send(new GetShardIteratorCommand(request), {
            abortSignal: signal,
          });
          asking = null;
          if (!this.isCurrent(s)) break;
          s.iterator = out.ShardIterator;
          if (!s.iterator) {
            s.finished = true;
            break;
          }
        }
        const wait = s.lastCallAt + minGapMs - Date.now();
        if (wait > 0) await sleep(wait, signal);
        if (!this.running || !this.isCurrent(s)) break;
        s.lastCallAt = Date.now();
        this.counts.calls.getRecords++;
        asking = 'GetRecords';
        const out = await this.opts.client.send(
          new GetRecordsCommand({ ShardIterator: s.iterator, Limit: s.limit }),
          { abortSignal: signal },
        );
        asking = null;
        const most = this.opts.limit ?? 10_000;
        if (s.limit < most && Date.now() - s.lastCallAt < 1_000) {
          s.limit = Math.min(most, s.limit * 2);
        }
        // An answer about the stream as it was before it was deleted: neither delivered nor kept.
        if (!this.isCurrent(s)) break;
        failures = 0;
        if (this.status.state !== 'ok') this.setStatus('ok', null);
        const all = out.Records ?? [];
        s.lag = out.MillisBehindLatest ?? null;
        const records = s.skipBefore === undefined ? all : this.dropEarly(s, all);
        if (records.length > 0) {
          await this.opts.onRecords({ shardId: s.id, records, millisBehindLatest: s.lag });
          s.records += records.length;
        }
        // Dropped records move the position on too.
        if (all.length > 0) s.lastSeq = all[all.length - 1]?.SequenceNumber ?? s.lastSeq;
        if (!out.NextShardIterator) {
          // The shard is closed and read to its end: its children may start.
          s.finished = true;
          s.iterator = undefined;
          this.wakeLister?.();
          break;
        }
        s.iterator = out.NextShardIterator;
        if (records.length === 0) await sleep(pollMs, signal);
      } catch (err) {
        if (!this.running) break;
        const timedOut = (err as { name?: string }).name === 'TimeoutError';
        if (asking === 'AT_TIMESTAMP' && timedOut) s.timestampHung = true;
        if (asking === 'GetRecords' && timedOut) s.limit = Math.max(100, Math.floor(s.limit / 4));
        const wasAfter = asking === 'AFTER_SEQUENCE_NUMBER';
        asking = null;
        const kind = await this.failed(err, failures + 1);
        if (!this.isCurrent(s)) break;
        if (wasAfter && kind === 'invalid') {
          // The stream was deleted and created again: our sequence numbers name nothing in it,
          // so read the new shard from its start.
          s.lastSeq = undefined;
          s.discovered = true;
        }
        if (kind === 'expired-iterator') {
          s.iterator = undefined; // renewed from the last sequence number, at once
          continue;
        }
        failures++;
        // Keep the iterator through throttling; after anything else get a fresh one.
        if (kind !== 'throttled') s.iterator = undefined;
        if (kind === 'not-found') this.wakeLister?.();
      }
    }
  }

  /** The records at or after skipBefore; the first one found ends the skipping. */
  private dropEarly(s: ShardState, records: _Record[]): _Record[] {
    const from = s.skipBefore ?? 0;
    const i = records.findIndex((r) => (r.ApproximateArrivalTimestamp?.getTime() ?? 0) >= from);
    if (i === -1) return [];
    s.skipBefore = undefined;
    return records.slice(i);
  }

  /** Counts and reports an error, waits out its backoff, and says what kind it was. */
  private async failed(err: unknown, attempt: number): Promise<AwsErrorKind> {
    const info = describeAwsError(err, { stream: this.opts.stream, target: this.opts.target });
    this.counts.errors[info.kind]++;
    this.counts.lastError = info.sentence;
    if (info.kind === 'expired-iterator') return info.kind;
    const delay = backoffMs(attempt - 1, {
      initialMs: 250,
      maxMs: this.opts.maxBackoffMs ?? 30_000,
    });
    // Throttling is Kinesis working as designed: slow down, but do not alarm the screen.
    if (info.kind !== 'throttled') {
      this.setStatus(
        'error',
        `${info.sentence} Retrying in ${Math.max(1, Math.round(delay / 1000))} s.`,
      );
    }
    await sleep(delay, this.abort.signal);
    return info.kind;
  }
}

/**
 * True when a listing shows the stream was deleted and created again under the same name: a shard
 * we hold starts at another sequence number, or a shard we saw closed is open again (a closed
 * shard never reopens; a new stream's shard ids start again from 0).
 */
export function streamRecreated(held: ReadonlyMap<string, ShardLike>, listed: Shard[]): boolean {
  for (const shard of listed) {
    const h = shard.ShardId ? held.get(shard.ShardId) : undefined;
    if (!h) continue;
    const startSeq = shard.SequenceNumberRange?.StartingSequenceNumber;
    if (h.startSeq !== undefined && startSeq !== undefined && startSeq !== h.startSeq) return true;
    if (h.closed && shard.SequenceNumberRange?.EndingSequenceNumber === undefined) return true;
  }
  return false;
}

/** What streamRecreated reads of a held shard. */
export interface ShardLike {
  startSeq: string | undefined;
  closed: boolean;
}
