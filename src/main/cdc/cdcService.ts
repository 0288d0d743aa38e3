/**
 * Maxwell's job as a livewall service: binlog → contract 1 → a Kinesis stream, at least once.
 *
 *   binlog reader ──whole transactions──▶ stream writer ──acks, in binlog order──▶ position file
 *
 * The position stored is always the end of a transaction whose records, and all before it, the
 * stream has acknowledged; so a restart (even after SIGKILL) resumes with no gap, repeating at
 * most the records that were sent but not yet stored as acknowledged. A lost MySQL connection is
 * retried from the end of the last whole transaction read; everything cdc cannot fix itself
 * (settings, privileges, a purged position, a missing stream) stops it with one sentence.
 */
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { describeAwsError } from '../kinesis/awsErrors';
import type { MySqlConnector } from '../mysql/connect';
import { describeMySqlError, isConnectionError } from '../mysql/errors';
import { backoffMs } from '../lib/backoff';
import { describeMySqlTarget } from '../mysql/target';
import { startBinlogReader, type BinlogReader, type CommittedTransaction } from './binlogReader';
import { preflight } from './preflight';
import {
  binaryLogs,
  currentPosition,
  formatPosition,
  PositionStore,
  purgedRefusal,
  type BinlogPosition,
} from './position';
import { putRecordsTo } from '../kinesis/kinesisStream';
import { StreamWriter, type PutRecordsFn } from '../kinesis/streamWriter';

export const CDC_TABLE = 'order';
/** The `order` table's primary key: the partition key, so one order stays on one shard. */
const KEY_COLUMN = 'order_id';

export interface CdcOptions {
  connector: MySqlConnector;
  kinesis: KinesisClient;
  stream: string;
  /** describeTarget(kinesis settings), for messages. */
  kinesisTarget: string;
  positionFile: string;
  /** Ignore the stored position and start at the server's current one. */
  fromCurrent?: boolean;
  /** Replica id for the binlog connection (default: random, so two cdcs never clash). */
  serverId?: number;
  /** Stop reading while this many records wait for the stream (resume at a quarter). */
  maxQueuedRecords?: number;
  /** How long stop() waits for records in flight to be acknowledged. */
  stopTimeoutMs?: number;
  /** Progress and trouble, as sentences without secrets. */
  onNotice?: (message: string) => void;
  /** Replaces PutRecords (a test slows the stream with it; the CLI never does). */
  put?: PutRecordsFn;
}

export interface CdcStats {
  transactions: number;
  events: number;
  /** Records the stream acknowledged. */
  acked: number;
  /** Records read but not yet acknowledged. */
  unacked: number;
  /** The stored (acknowledged) position. */
  position: string | null;
  reconnects: number;
  /** Times reading stopped because too many records waited for the stream. */
  pauses: number;
  retriedEntries: number;
}

export interface Cdc {
  /** Checks the server, picks the start position and starts reading; rejects with CdcError. */
  start(): Promise<BinlogPosition>;
  /** Stops reading, waits (bounded) for records in flight, stores the position. */
  stop(): Promise<void>;
  /** Settles when cdc has stopped: resolves after stop(), rejects with CdcError on a fatal error. */
  readonly done: Promise<void>;
  stats(): CdcStats;
}

/** A refusal or a fatal error: the message is the sentence to show, nothing else. */
export class CdcError extends Error {
  override readonly name = 'CdcError';
}

export function createCdc(opts: CdcOptions): Cdc {
  const target = opts.connector.target;
  const store = new PositionStore(opts.positionFile);
  const serverId = opts.serverId ?? 1_000_000 + Math.floor(Math.random() * 2_000_000_000);
  const maxQueued = opts.maxQueuedRecords ?? 20_000;
  const notice = (m: string): void => opts.onNotice?.(m);
  const counts = { transactions: 0, events: 0, reconnects: 0, pauses: 0 };

  let reader: BinlogReader | null = null;
  /** End of the last whole transaction read (where a reconnect resumes). */
  let readPosition: BinlogPosition | null = null;
  let storedPosition: BinlogPosition | null = null;
  let paused = false;
  let stopping = false;
  let failed = false;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectAttempt = 0;
  let settle: { resolve: () => void; reject: (err: Error) => void } | null = null;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => undefined); // a caller that only awaits stop() must not see an unhandled rejection

  const put: PutRecordsFn = opts.put ?? putRecordsTo(opts.kinesis, opts.stream);

  const writer = new StreamWriter<BinlogPosition>({
    put,
    onAcked: (position) => {
      storedPosition = position;
      store
        .save({
          ...position,
          server: `${target.host}:${target.port}`,
          database: target.database,
          savedAt: new Date().toISOString(),
        })
        .catch((err: unknown) =>
          fail(
            `Cannot store the binlog position in ${opts.positionFile}: ${(err as Error).message}`,
          ),
        );
      if (paused && writer.unacked <= maxQueued / 4) {
        paused = false;
        startReading();
      }
    },
    classify: (err) => {
      const verdict = kinesisVerdict(err);
      return { fatal: verdict.fatal, sentence: verdict.sentence };
    },
    onFatal: (sentence) => fail(sentence),
    onRetry: (sentence) => notice(sentence),
  });

  /** Which Kinesis errors cdc cannot wait out: a missing stream, credentials, region, a bad request. */
  function kinesisVerdict(err: unknown): { fatal: boolean; sentence: string } {
    const info = describeAwsError(err, { stream: opts.stream, target: opts.kinesisTarget });
    const fatal = ['not-found', 'credentials', 'region', 'invalid'].includes(info.kind);
    const sentence =
      info.kind === 'throttled'
        ? `Kinesis is throttling writes to ${opts.stream}; slowing down.`
        : info.sentence.replace(/^Reading /, 'Writing to ');
    return { fatal, sentence };
  }

  /** A missing stream or unusable credentials are said before reading, not at the first put. */
  async function checkStream(): Promise<void> {
    try {
      await opts.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: opts.stream }));
    } catch (err) {
      const verdict = kinesisVerdict(err);
      if (verdict.fatal && (err as Error).name !== 'AccessDeniedException') {
        throw new CdcError(verdict.sentence);
      }
      // Allowed to put but not to describe, or a passing network error: the puts will tell.
      notice(verdict.sentence);
    }
  }

  function onTransaction(txn: CommittedTransaction): void {
    readPosition = txn.position;
    counts.transactions++;
    counts.events += txn.events.length;
    writer.push(
      txn.events.map((e) => ({
        partitionKey: String(e.data[KEY_COLUMN]),
        data: JSON.stringify(e),
      })),
      txn.position,
    );
    if (writer.unacked > maxQueued && reader) {
      // Backpressure: stop reading and come back at the end of this transaction later.
      paused = true;
      counts.pauses++;
      reader.stop();
      reader = null;
    }
  }

  function startReading(): void {
    if (stopping || failed || !readPosition) return;
    const r = startBinlogReader({
      connection: opts.connector.connectionOptions(),
      serverId,
      start: readPosition,
      database: target.database,
      table: CDC_TABLE,
      onTransaction,
      onError: (err) => readerFailed(r, err),
    });
    reader = r;
    r.ready.then(
      () => {
        if (reconnectAttempt > 0)
          notice(`reading the binlog again from ${formatPosition(readPosition as BinlogPosition)}`);
        reconnectAttempt = 0;
      },
      (err: Error) => readerFailed(r, err),
    );
  }

  function readerFailed(r: BinlogReader, err: Error): void {
    if (reader !== r || stopping || failed) return;
    reader = null;
    r.stop();
    const refusal = readerRefusal(err);
    if (refusal) return fail(refusal);
    counts.reconnects++;
    const pause = backoffMs(reconnectAttempt++, { initialMs: 200, maxMs: 10_000 });
    notice(`${describeMySqlError(err, target)} Reconnecting in ${(pause / 1000).toFixed(1)} s.`);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      startReading();
    }, pause);
  }

  /** The sentence for a reader error cdc cannot fix by reconnecting, or null to reconnect. */
  function readerRefusal(err: Error): string | null {
    const e = err as Error & { errno?: number };
    if (isConnectionError(err) || /Control connection unavailable/.test(err.message)) return null;
    if (e.errno === 1236) {
      const from = readPosition ?? { file: '?', position: 0 };
      return (
        purgedRefusal(from, [], opts.positionFile, opts.stream) ?? describeMySqlError(err, target)
      );
    }
    return describeMySqlError(err, target);
  }

  function fail(sentence: string): void {
    if (failed || stopping) return;
    failed = true;
    halt();
    settle?.reject(new CdcError(sentence));
  }

  function halt(): void {
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    reader?.stop();
    reader = null;
  }

  async function choosePosition(): Promise<BinlogPosition> {
    const conn = await opts.connector.connect();
    try {
      const refusal = await preflight(conn, target.database, CDC_TABLE);
      if (refusal) throw new CdcError(refusal);
      const stored = opts.fromCurrent ? null : await store.load();
      if (stored) {
        const purged = purgedRefusal(
          stored,
          await binaryLogs(conn),
          opts.positionFile,
          opts.stream,
        );
        if (purged) throw new CdcError(purged);
        return { file: stored.file, position: stored.position };
      }
      const now = await currentPosition(conn);
      // Stored before the first event, so a crash before the first ack cannot skip anything.
      await store.save({
        ...now,
        server: `${target.host}:${target.port}`,
        database: target.database,
        savedAt: new Date().toISOString(),
      });
      return now;
    } finally {
      await conn.end().catch(() => conn.destroy());
    }
  }

  return {
    async start(): Promise<BinlogPosition> {
      let from: BinlogPosition;
      try {
        from = await choosePosition();
        if (!opts.put) await checkStream();
      } catch (err) {
        const e = err instanceof CdcError ? err : new CdcError(describeMySqlError(err, target));
        failed = true;
        writer.close();
        settle?.reject(e);
        throw e;
      }
      readPosition = from;
      storedPosition = from;
      startReading();
      const r = reader as BinlogReader | null;
      if (r) await Promise.race([r.ready, done]).catch(() => undefined);
      if (failed) await done; // rethrows the CdcError
      notice(
        `reading ${describeMySqlTarget(target)} table ${CDC_TABLE} from ${formatPosition(from)} into ${opts.stream}`,
      );
      return from;
    },

    async stop(): Promise<void> {
      if (stopping) return;
      if (failed) {
        await done.catch(() => undefined);
        return;
      }
      stopping = true;
      halt();
      const timeout = opts.stopTimeoutMs ?? 10_000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        writer.drained(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeout);
        }),
      ]);
      clearTimeout(timer);
      writer.close();
      // The last save queued by onAcked has finished once this one has.
      if (storedPosition) {
        await store
          .save({
            ...storedPosition,
            server: `${target.host}:${target.port}`,
            database: target.database,
            savedAt: new Date().toISOString(),
          })
          .catch(() => undefined);
      }
      settle?.resolve();
    },

    done,

    stats(): CdcStats {
      const w = writer.stats();
      return {
        transactions: counts.transactions,
        events: counts.events,
        acked: w.acked,
        unacked: writer.unacked,
        position: storedPosition ? formatPosition(storedPosition) : null,
        reconnects: counts.reconnects,
        pauses: counts.pauses,
        retriedEntries: w.retriedEntries,
      };
    },
  };
}
