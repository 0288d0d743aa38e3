/**
 * `livewall load`: contract 3's wide rows from `dwd_customer_order_ds` into a warehouse table, one
 * current row per order, exactly once. The workshop's last hop (Firehose's COPY) appends every
 * version of an order and keeps deleted ones; this keeps the newest version and removes deleted
 * orders, and stores each shard's position in the same transaction as the rows it produced, so a
 * SIGKILL anywhere loses nothing and applies nothing twice.
 *
 * Rows gather like Firehose's buffer (until an interval passes or a size is reached) and are written
 * in one transaction per flush. While the warehouse is away the flush is retried with backoff and
 * the reader is held once the next buffer is full, so memory stays bounded and nothing is dropped.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { backoffMs, sleep } from '../lib/backoff';
import { eachText } from '../kinesis/decode';
import type { StartPosition } from '../kinesis/startPosition';
import { StreamReader, type ReaderStats, type ShardBatch } from '../kinesis/streamReader';
import { LoadBuffer } from './loadBuffer';
import { decodeStart, encodeStart, nextPositions, samePositions } from './loadPositions';
import { fitRow, type LoadRow } from './rowFit';
import type { TableFit } from './tableShape';
import { describeWarehouseError, isTransient } from './warehouseErrors';
import {
  LoaderConflict,
  TableMisfit,
  WarehouseWriter,
  type CommittedShard,
  type Flush,
} from './warehouseWriter';
import type { WarehouseTarget } from './warehouseTarget';

export interface LoaderOptions {
  client: Pick<KinesisClient, 'send'>;
  stream: string;
  /** Where the first run starts; later runs resume from the stored positions. */
  start: StartPosition;
  /** Where Kinesis calls go, for messages. */
  kinesisTarget: string;
  warehouse: WarehouseTarget;
  createTable: boolean;
  bufferIntervalMs: number;
  bufferBytes: number;
  /** The password for the warehouse (undefined: the driver's PGPASSWORD and ~/.pgpass). */
  password?: string;
  /** A sentence for the operator (stderr in the CLI). */
  log: (line: string) => void;
  /** How long stop() keeps trying to commit the last buffer (default 10 s). */
  stopGraceMs?: number;
  /** The reader's tuning (tests read faster). */
  pollIntervalMs?: number;
  listIntervalMs?: number;
}

export interface MalformedRecord {
  shardId: string;
  sequenceNumber: string;
  reason: string;
}

export interface LoaderStats {
  state: 'starting' | 'ok' | 'retrying' | 'stopped';
  /** The current problem, as a sentence, or null. */
  message: string | null;
  flushes: number;
  /** Order rows written (upserted) and removed, after keeping each order's newest per flush. */
  upserted: number;
  deleted: number;
  /** Records read that made rows. */
  records: number;
  malformed: number;
  /** The newest malformed records, named by shard and sequence number. */
  lastMalformed: MalformedRecord[];
  bufferedRows: number;
  reader: ReaderStats | null;
}

const KEEP_MALFORMED = 10;

export class WarehouseLoader {
  private readonly writer: WarehouseWriter;
  private reader: StreamReader | null = null;
  private fit: TableFit | null = null;
  private buffer = new LoadBuffer();
  private committed = new Map<string, CommittedShard>();
  private startFrom = 'trim';
  private lastStamp = 0;
  /** The stamp of the last flush this loader committed, or the one found at start. */
  private committedStamp: number | null = null;
  private readonly stopping = new AbortController();
  private resolveFailed: (err: Error) => void = () => undefined;
  /** Settles when the loader cannot go on (another loader writes the same table). */
  readonly failed = new Promise<Error>((resolve) => (this.resolveFailed = resolve));
  private running = false;
  private giveUpAt: number | null = null;
  /**
   * A flush was given up (at stop, or another loader took over): nothing is committed after it,
   * since later positions would step over its records.
   */
  private abandoned = false;
  private wake: (() => void) | null = null;
  private flusher: Promise<void> | null = null;
  private readonly counts: Omit<LoaderStats, 'state' | 'message' | 'bufferedRows' | 'reader'> = {
    flushes: 0,
    upserted: 0,
    deleted: 0,
    records: 0,
    malformed: 0,
    lastMalformed: [],
  };
  private state: LoaderStats['state'] = 'starting';
  private message: string | null = null;

  constructor(private readonly opts: LoaderOptions) {
    this.writer = new WarehouseWriter(opts.warehouse, opts.stream, {
      ...(opts.password !== undefined ? { password: opts.password } : {}),
    });
  }

  /**
   * Connects (retrying while the warehouse is away), checks the table, reads the stored positions
   * and starts reading. Rejects with TableMisfit, or the warehouse's refusal, when retrying cannot help.
   */
  async start(): Promise<void> {
    this.running = true;
    let attempt = 0;
    let committed;
    for (;;) {
      try {
        this.fit = await this.writer.prepare(this.opts.createTable);
        committed = await this.writer.committed();
        break;
      } catch (err) {
        await this.writer.reset();
        if (err instanceof TableMisfit || !isTransient(err) || !this.running) {
          this.running = false;
          if (err instanceof TableMisfit) throw err;
          throw new Error(describeWarehouseError(err, this.opts.warehouse.description), {
            cause: err,
          });
        }
        await this.retryPause(err, attempt++);
      }
    }
    this.committed = committed.shards;
    this.lastStamp = committed.stamp ?? 0;
    this.committedStamp = committed.stamp;
    const firstRun = committed.startFrom === null;
    this.startFrom = committed.startFrom ?? encodeStart(this.opts.start, Date.now());
    this.reader = new StreamReader({
      client: this.opts.client,
      stream: this.opts.stream,
      // --from is for the first run; later the stored start covers shards never read from.
      start: firstRun ? this.opts.start : decodeStart(this.startFrom),
      target: this.opts.kinesisTarget,
      onRecords: (batch) => this.take(batch),
      ...(firstRun ? {} : { resume: resumeOf(this.committed) }),
      onStatus: (s) => {
        if (s.state === 'error' && s.message) this.opts.log(s.message);
      },
      ...(this.opts.pollIntervalMs !== undefined
        ? { pollIntervalMs: this.opts.pollIntervalMs }
        : {}),
      ...(this.opts.listIntervalMs !== undefined
        ? { listIntervalMs: this.opts.listIntervalMs }
        : {}),
    });
    this.setState('ok', null);
    this.reader.start();
    this.flusher = this.runFlusher();
  }

  /** Stops reading, commits what is buffered (for up to stopGraceMs), and closes. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.giveUpAt = Date.now() + (this.opts.stopGraceMs ?? 10_000);
    this.stopping.abort();
    const readerStopped = this.reader?.stop();
    // A batch held back by a full buffer lets go, so the reader can stop; it is in the buffer.
    this.buffer.settle();
    await readerStopped;
    this.wake?.();
    await this.flusher;
    await this.flushOnce();
    await this.writer.close();
    this.setState('stopped', this.message);
  }

  stats(): LoaderStats {
    return {
      state: this.state,
      message: this.message,
      ...this.counts,
      lastMalformed: [...this.counts.lastMalformed],
      bufferedRows: this.buffer.rows.size,
      reader: this.reader?.stats() ?? null,
    };
  }

  /** The positions last committed, per shard. */
  committedPositions(): ReadonlyMap<string, CommittedShard> {
    return this.committed;
  }

  /** One batch of one shard into the buffer; held while the buffer is full. */
  private async take(batch: ShardBatch): Promise<void> {
    const fit = this.fit;
    if (!fit) return;
    const rows: LoadRow[] = [];
    let skipped = 0;
    let newest: number | null = null;
    const bad = (reason: string, seq: string | undefined): void => {
      skipped++;
      this.malformed({ shardId: batch.shardId, sequenceNumber: seq ?? '?', reason });
    };
    eachText(
      batch.records,
      (text, r) => {
        const row = fitRow(text, fit, this.opts.warehouse.dialect);
        if (row.ok) rows.push(row.value);
        else bad(row.error, r.SequenceNumber);
      },
      (reason, r) => bad(reason, r.SequenceNumber),
    );
    for (const r of batch.records) {
      const at = r.ApproximateArrivalTimestamp?.getTime();
      if (at !== undefined && (newest === null || at > newest)) newest = at;
    }
    const last = batch.records[batch.records.length - 1]?.SequenceNumber;
    if (last === undefined) return;
    const buffer = this.buffer;
    buffer.add(batch.shardId, { rows, skipped, lastSequenceNumber: last, newestArrivalMs: newest });
    this.counts.records += rows.length;
    if (buffer.bytes >= this.opts.bufferBytes) {
      this.wake?.();
      await buffer.done;
    }
  }

  private malformed(m: MalformedRecord): void {
    this.counts.malformed++;
    this.counts.lastMalformed.push(m);
    if (this.counts.lastMalformed.length > KEEP_MALFORMED) this.counts.lastMalformed.shift();
    this.opts.log(`skipped a malformed record (${m.shardId}, ${m.sequenceNumber}): ${m.reason}`);
  }

  private async runFlusher(): Promise<void> {
    while (this.running) {
      if (this.buffer.bytes < this.opts.bufferBytes) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, this.opts.bufferIntervalMs);
          function done(): void {
            clearTimeout(timer);
            resolve();
          }
          this.wake = done;
        });
        this.wake = null;
      }
      if (!this.running) break;
      await this.flushOnce();
    }
  }

  /** Swaps the buffer out and commits it with its positions; false if given up at stop. */
  private async flushOnce(): Promise<boolean> {
    const buffer = this.buffer;
    this.buffer = new LoadBuffer();
    if (this.abandoned) {
      buffer.settle();
      return false;
    }
    // Taken in the same tick as the swap: every batch the reader has handed over is in `buffer`
    // or was committed before.
    const positions = nextPositions(this.committed, this.reader?.positions() ?? {}, buffer.shards);
    if (buffer.empty && samePositions(positions, this.committed)) {
      buffer.settle();
      return true;
    }
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    const flush: Flush = {
      rows: buffer.values(),
      shards: positions,
      startFrom: this.startFrom,
      stamp: this.lastStamp,
      previousStamp: this.committedStamp,
    };
    const done = await this.commit(flush);
    if (done) {
      this.committed = positions;
      this.committedStamp = flush.stamp;
      this.counts.flushes++;
      for (const row of buffer.rows.values()) {
        if (row.op === 'delete') this.counts.deleted++;
        else this.counts.upserted++;
      }
    }
    buffer.settle();
    return done;
  }

  /** Writes a flush, retrying with backoff until it is committed (or stop gives up). */
  private async commit(flush: Flush): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        // After a failure the COMMIT may have landed with its answer lost: the stamp tells.
        const landed = attempt > 0 && (await this.writer.committed()).stamp === flush.stamp;
        if (!landed) await this.writer.write(flush);
        if (attempt > 0) this.opts.log(`the warehouse answers again; the held rows are written`);
        if (this.state !== 'stopped') this.setState('ok', null);
        return true;
      } catch (err) {
        await this.writer.reset();
        if (err instanceof LoaderConflict) {
          this.abandoned = true;
          this.setState('stopped', err.message);
          this.resolveFailed(err);
          this.giveUpAt ??= Date.now();
          return false;
        }
        if (this.giveUpAt !== null && Date.now() >= this.giveUpAt) {
          this.abandoned = true;
          this.opts.log(
            `gave up writing ${flush.rows.length} row(s) at stop: ${describeWarehouseError(err, this.opts.warehouse.description)}; they are read again at the next start`,
          );
          return false;
        }
        await this.retryPause(err, attempt);
      }
    }
  }

  private async retryPause(err: unknown, attempt: number): Promise<void> {
    let delay = backoffMs(attempt, { initialMs: 500, maxMs: 30_000 });
    if (this.giveUpAt !== null) delay = Math.max(0, Math.min(delay, this.giveUpAt - Date.now()));
    const sentence = describeWarehouseError(err, this.opts.warehouse.description);
    this.setState('retrying', sentence);
    this.opts.log(`${sentence}; retrying in ${Math.max(1, Math.round(delay / 1000))} s`);
    // Stopping: short pauses until the grace runs out, never a busy loop.
    const stopping = this.stopping.signal.aborted;
    await sleep(
      stopping ? Math.min(delay, 500) : delay,
      stopping ? undefined : this.stopping.signal,
    );
  }

  private setState(state: LoaderStats['state'], message: string | null): void {
    this.state = state;
    this.message = message;
  }
}

function resumeOf(
  committed: ReadonlyMap<string, CommittedShard>,
): Record<string, { sequenceNumber: string | null; finished: boolean }> {
  const out: Record<string, { sequenceNumber: string | null; finished: boolean }> = {};
  for (const [id, s] of committed)
    out[id] = { sequenceNumber: s.sequenceNumber, finished: s.finished };
  return out;
}
