/**
 * Puts change events on a Kinesis stream with PutRecords (at most 500 records and 5 MiB a
 * request), retrying only the entries that failed, with backoff, and telling the caller, in
 * binlog order, which transactions are fully acknowledged so it can store their position.
 *
 * Order: a request never holds two records of one partition key, and a key's next record waits
 * until the one in flight is acknowledged. PutRecords does not promise order within a request,
 * and a retried entry would otherwise land after a later record of the same order; this way each
 * order's events stay in binlog order on its shard, retries included, with several requests in
 * flight for different keys.
 *
 * Bounded: the queue is an array walked from a head index (a backlog of any size costs one pass
 * per request, never a copy or a spread of it), records that carry an `identity` replace a queued
 * record of the same identity (a metric's newer value makes the older one pointless), and callers
 * hold their input back with `whenBelow` while too much is unacknowledged.
 */
import type { PutRecordsRequestEntry, PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { backoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from '../lib/backoff';
import type { StreamRecord } from './stream';

export const MAX_RECORDS_PER_REQUEST = 500;
export const MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;
/** Kinesis's limit for one record, data plus partition key. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** One PutRecords call; resolves with one result entry per request entry, in order. */
export type PutRecordsFn = (
  entries: PutRecordsRequestEntry[],
) => Promise<readonly PutRecordsResultEntry[]>;

export type { StreamRecord };

/** What a thrown PutRecords error means: retry the whole request, or stop. */
export interface PutErrorVerdict {
  fatal: boolean;
  sentence: string;
}

export interface StreamWriterOptions<T> {
  put: PutRecordsFn;
  /** Called with the newest token whose transaction and all earlier ones are acknowledged. */
  onAcked: (token: T) => void;
  classify: (err: unknown) => PutErrorVerdict;
  /** A fatal error: the writer stops sending. */
  onFatal: (sentence: string) => void;
  /** A retry after a failed request or failed entries (for status lines). */
  onRetry?: (sentence: string) => void;
  maxInFlight?: number;
  maxRecords?: number;
  maxBytes?: number;
  backoff?: BackoffPolicy;
}

interface Txn<T> {
  token: T;
  remaining: number;
  /** Numbers transactions in push order. */
  seq: number;
}

interface Pending<T> {
  key: string;
  /** Set for records that a later one of the same identity supersedes while queued. */
  identity: string | undefined;
  data: Uint8Array;
  bytes: number;
  txn: Txn<T>;
}

export interface StreamWriterStats {
  /** Records acknowledged by the stream. */
  acked: number;
  requests: number;
  /** Entries put again after they failed (throttling, internal errors, whole-request errors). */
  retriedEntries: number;
  /** Queued records replaced by a newer record of the same identity before they were sent. */
  coalesced: number;
}

export class StreamWriter<T> {
  /** Records waiting to be sent, from `head` on; null: taken into a request. */
  private queue: (Pending<T> | null)[] = [];
  private head = 0;
  /** Queued (not in flight) records by identity, for coalescing. */
  private readonly queuedByIdentity = new Map<string, Pending<T>>();
  private lowWaters: { limit: number; resolve: () => void }[] = [];
  private readonly txns: Txn<T>[] = [];
  private readonly inFlightKeys = new Set<string>();
  private inFlight = 0;
  private pendingRecords = 0;
  private failures = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** drained() callers: each waits for the transactions pushed before it asked. */
  private waiters: { upTo: number; resolve: () => void }[] = [];
  private pushedSeq = 0;
  private ackedSeq = 0;
  private readonly counts: StreamWriterStats = {
    acked: 0,
    requests: 0,
    retriedEntries: 0,
    coalesced: 0,
  };
  private readonly encoder = new TextEncoder();

  constructor(private readonly opts: StreamWriterOptions<T>) {}

  /** Records not yet acknowledged (queued or in flight). */
  get unacked(): number {
    return this.pendingRecords;
  }

  stats(): StreamWriterStats {
    return { ...this.counts };
  }

  /**
   * Queues one transaction's records; `token` (its end position) is acknowledged once they and
   * every earlier transaction's are. An empty transaction still moves the position on.
   */
  push(records: readonly StreamRecord[], token: T): void {
    if (this.closed) return;
    const txn: Txn<T> = { token, remaining: records.length, seq: ++this.pushedSeq };
    this.txns.push(txn);
    this.pendingRecords += records.length;
    let superseded = false;
    for (const r of records) {
      const data = this.encoder.encode(r.data);
      const bytes = data.byteLength + Buffer.byteLength(r.partitionKey, 'utf8');
      if (bytes > MAX_RECORD_BYTES) {
        this.fail(`An event of ${bytes} bytes is over Kinesis's 1 MiB record limit.`);
        return;
      }
      const identity = r.identity;
      const queued = identity === undefined ? undefined : this.queuedByIdentity.get(identity);
      if (queued && queued.key === r.partitionKey) {
        // The queued record has not left yet: it takes the newer value and keeps its place (so
        // the key's order holds) and its transaction (so nothing up to that transaction counts
        // as acknowledged before the newer value is).
        txn.remaining--;
        this.pendingRecords--;
        this.counts.coalesced++;
        queued.data = data;
        queued.bytes = bytes;
        superseded = true;
        continue;
      }
      const p: Pending<T> = { key: r.partitionKey, identity, data, bytes, txn };
      if (identity !== undefined) this.queuedByIdentity.set(identity, p);
      this.queue.push(p);
    }
    if (records.length === 0 || superseded) this.advance();
    this.pump();
  }

  /**
   * Resolves once at most `limit` records are unacknowledged (or the writer closed): a reader
   * awaits it before taking more input, so an outage holds the input back instead of growing
   * the queue.
   */
  whenBelow(limit: number): Promise<void> {
    if (this.pendingRecords <= limit || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.lowWaters.push({ limit, resolve }));
  }

  /**
   * Resolves once everything pushed so far is acknowledged (or the writer closed). Records pushed
   * later do not hold it back, so a checkpoint completes under any steady input.
   */
  drained(): Promise<void> {
    if (this.txns.length === 0 || this.closed) return Promise.resolve();
    const upTo = this.pushedSeq;
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  /** Stops sending; requests in flight finish, nothing new starts. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.waiters.splice(0)) w.resolve();
    for (const w of this.lowWaters.splice(0)) w.resolve();
  }

  /** Records queued and not yet taken into a request. */
  private get queued(): number {
    return this.queue.length - this.head;
  }

  private pump(): void {
    const maxInFlight = this.opts.maxInFlight ?? 4;
    while (!this.closed && this.inFlight < maxInFlight && this.queued > 0) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
        return;
      }
      const batch = this.take();
      if (batch.length === 0) return; // every queued key waits for one in flight
      this.inFlight++;
      void this.send(batch);
    }
  }

  /** The next request: queue order, one record per key, no key that is in flight. */
  private take(): Pending<T>[] {
    const maxRecords = this.opts.maxRecords ?? MAX_RECORDS_PER_REQUEST;
    const maxBytes = this.opts.maxBytes ?? MAX_BYTES_PER_REQUEST;
    const blocked = new Set(this.inFlightKeys);
    const batch: Pending<T>[] = [];
    const queue = this.queue;
    let bytes = 0;
    for (let i = this.head; i < queue.length && batch.length < maxRecords; i++) {
      const p = queue[i];
      if (!p) continue;
      if (!blocked.has(p.key) && bytes + p.bytes <= maxBytes) {
        batch.push(p);
        bytes += p.bytes;
        queue[i] = null;
        if (p.identity !== undefined) this.queuedByIdentity.delete(p.identity);
      }
      // Whether taken or left, this key's later records must wait behind it.
      blocked.add(p.key);
    }
    while (this.head < queue.length && queue[this.head] === null) this.head++;
    // Drop the taken prefix once it is most of the array (amortised O(1) a record).
    if (this.head > 1024 && this.head * 2 > queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
    for (const p of batch) this.inFlightKeys.add(p.key);
    return batch;
  }

  private async send(batch: Pending<T>[]): Promise<void> {
    this.counts.requests++;
    let failed: Pending<T>[] = [];
    let reason = '';
    try {
      const results = await this.opts.put(
        batch.map((p) => ({ PartitionKey: p.key, Data: p.data })),
      );
      batch.forEach((p, i) => {
        const result = results[i];
        if (result && !result.ErrorCode && result.SequenceNumber !== undefined) {
          p.txn.remaining--;
          this.pendingRecords--;
          this.counts.acked++;
        } else {
          failed.push(p);
          reason ||= result?.ErrorCode ?? 'no result';
        }
      });
    } catch (err) {
      const verdict = this.opts.classify(err);
      if (verdict.fatal) {
        this.fail(verdict.sentence);
        failed = [];
      } else {
        failed = batch;
        reason = verdict.sentence;
      }
    } finally {
      this.inFlight--;
      for (const p of batch) this.inFlightKeys.delete(p.key);
    }
    if (failed.length > 0 && !this.closed) {
      // Back to the front, in their order: no queued record of their keys was taken past them.
      // A queued newer record of the same identity supersedes a failed one.
      const dropped = new Set<Pending<T>>();
      for (const p of failed) {
        if (p.identity === undefined) continue;
        const newer = this.queuedByIdentity.get(p.identity);
        if (newer) {
          // The failed record goes again with the newer value; the newer one leaves the queue.
          p.data = newer.data;
          p.bytes = newer.bytes;
          newer.txn.remaining--;
          this.pendingRecords--;
          this.counts.coalesced++;
          dropped.add(newer);
        }
        this.queuedByIdentity.set(p.identity, p);
      }
      const rest = this.queue.slice(this.head).filter((p) => p !== null && !dropped.has(p));
      this.queue = (failed as (Pending<T> | null)[]).concat(rest);
      this.head = 0;
      this.counts.retriedEntries += failed.length;
      this.pausedUntil =
        Date.now() + backoffMs(this.failures++, this.opts.backoff ?? DEFAULT_BACKOFF);
      this.opts.onRetry?.(
        `${failed.length} of ${batch.length} records were not accepted (${reason}); retrying them.`,
      );
    } else if (failed.length === 0) {
      this.failures = 0;
    }
    this.advance();
    this.pump();
  }

  private advance(): void {
    let newest: Txn<T> | undefined;
    while (this.txns.length > 0 && (this.txns[0] as Txn<T>).remaining === 0) {
      newest = this.txns.shift();
    }
    if (newest) {
      this.ackedSeq = newest.seq;
      this.opts.onAcked(newest.token);
    }
    if (this.waiters.length > 0) {
      const acked = this.txns.length === 0 ? this.pushedSeq : this.ackedSeq;
      this.waiters = this.waiters.filter((w) => {
        if (w.upTo > acked) return true;
        w.resolve();
        return false;
      });
    }
    if (this.lowWaters.length > 0) {
      const still: typeof this.lowWaters = [];
      for (const w of this.lowWaters) {
        if (this.pendingRecords <= w.limit) w.resolve();
        else still.push(w);
      }
      this.lowWaters = still;
    }
  }

  private fail(sentence: string): void {
    if (this.closed) return;
    this.close();
    this.opts.onFatal(sentence);
  }
}
