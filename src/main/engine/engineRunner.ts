/**
 * The engine as a service on Kinesis: contract 1 from `order_ds` in, contract 2 records to
 * `metric_ds` (coalesced, one per identity per emit interval) and contract 3 rows to
 * `dwd_customer_order_ds` out, with the `customer` lookup in between and a durable checkpoint.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { OrderChange } from '@shared/contracts';
import { eachText } from '../kinesis/decode';
import { KinesisStream } from '../kinesis/kinesisStream';
import type { StartPosition } from '../kinesis/startPosition';
import { StreamReader, type ReaderStats, type ShardBatch } from '../kinesis/streamReader';
import { loadCheckpoint, writeCheckpoint, type ShardPositions } from './checkpoint';
import { CustomerCache, type CustomerCacheStats } from './customerCache';
import type { CustomerDirectory } from './customerDirectory';
import { EngineLoop } from './engineLoop';
import { MetricsEngine, type EngineStats } from './metricsEngine';

export interface EngineRunnerOptions {
  client: KinesisClient;
  /** The stream of contract 1 changes (the CLI's --source). */
  orderStream: string;
  metrics: string;
  /** The wide-row stream, or null for none. */
  dwd: string | null;
  /** Where the calls go, for messages. */
  target: string;
  timeZone: string;
  dbTimeZone: string;
  retentionDays?: number;
  /** The database whose events are folded (default `demo`). */
  database?: string;
  /** How far ahead of now a `ts` or `create_time` may be, ms (default one day). */
  maxFutureMs?: number;
  /** Wide rows put and not yet acknowledged above which reading pauses (default 20 000). */
  maxUnacked?: number;
  /** How long stop() waits for the outputs to acknowledge the last records (default 10 s). */
  stopTimeoutMs?: number;
  /** Where reading starts when there is no checkpoint. */
  start: StartPosition;
  customers: CustomerDirectory | null;
  /** The longest a batch waits for customer lookups before folding with what is known. */
  lookupBoundMs?: number;
  emitIntervalMs?: number;
  checkpointIntervalMs?: number;
  /** Null: no checkpoint (every start reads from `start`). */
  checkpointPath: string | null;
  onStatus?: (sentence: string) => void;
  /** Reader tuning, for tests. */
  pollIntervalMs?: number;
  listIntervalMs?: number;
}

export interface EngineRunnerStats {
  engine: EngineStats;
  /** Null before start(). */
  reader: ReaderStats | null;
  customers: CustomerCacheStats | null;
  emitted: { metrics: number; wide: number };
  acked: { metrics: number; wide: number };
  checkpoints: number;
  lastCheckpointAt: string | null;
  /** Shards whose next batch waits for the wide-row stream (reading paused). */
  waitingForOutput: number;
}

/** A promise resolved from outside, that knows whether it was. */
function settable(): { promise: Promise<void>; resolve: () => void; done: boolean } {
  let resolve = (): void => undefined;
  const out = {
    promise: new Promise<void>((r) => (resolve = r)),
    done: false,
    resolve: () => {
      out.done = true;
      resolve();
    },
  };
  return out;
}

export class EngineRunner {
  readonly engine: MetricsEngine;
  private reader: StreamReader | null = null;
  private readonly cache: CustomerCache | null;
  private readonly metricsOut: KinesisStream;
  private readonly wideOut: KinesisStream | null;
  private readonly loop: EngineLoop;
  /** Set while a checkpoint holds the input back; batches wait for it. */
  private gate: { promise: Promise<void>; open: () => void } | null = null;
  /** Batches being applied now (a checkpoint waits for them). */
  private busy = 0;
  /** Each shard's distance behind its newest record at its last batch, ms. */
  private readonly lags = new Map<string, [number, number]>();
  /** Batches waiting for the wide-row stream to take what it has. */
  private waiting = 0;
  /** Resolved by stop(): a batch waiting for room gives up, so a stop never waits on an outage. */
  private readonly stopping = settable();
  private idle: (() => void) | null = null;
  private readonly counts = {
    wide: 0,
    checkpoints: 0,
    lastCheckpointAt: null as string | null,
  };

  constructor(private readonly opts: EngineRunnerOptions) {
    this.cache = opts.customers
      ? new CustomerCache({
          directory: opts.customers,
          onResolved: (email, info) => this.engine.refreshCustomer(email, info),
          onError: (err) =>
            this.say(
              `The customer lookup (${opts.customers?.description}) failed: ${(err as Error).message}; orders flow with a null level meanwhile.`,
            ),
        })
      : null;
    this.engine = new MetricsEngine({
      timeZone: opts.timeZone,
      dbTimeZone: opts.dbTimeZone,
      ...(opts.retentionDays ? { retentionDays: opts.retentionDays } : {}),
      ...(opts.database ? { database: opts.database } : {}),
      ...(opts.maxFutureMs !== undefined ? { maxFutureMs: opts.maxFutureMs } : {}),
      ...(this.cache ? { customer: (m: string) => this.cache?.get(m) } : { customer: () => null }),
    });
    this.metricsOut = this.stream(opts.metrics);
    this.wideOut = opts.dwd ? this.stream(opts.dwd) : null;
    const path = opts.checkpointPath;
    this.loop = new EngineLoop({
      engine: this.engine,
      metrics: this.metricsOut,
      alsoAwait: this.wideOut ? [this.wideOut] : [],
      catchingUp: () => this.behind(),
      ...(opts.emitIntervalMs ? { emitIntervalMs: opts.emitIntervalMs } : {}),
      checkpoint: path
        ? {
            intervalMs: opts.checkpointIntervalMs ?? 5_000,
            pause: () => this.pause(),
            resume: () => this.resume(),
            write: async () =>
              this.reader
                ? writeCheckpoint(
                    path,
                    {
                      savedAt: new Date().toISOString(),
                      source: opts.orderStream,
                      positions: this.reader.positions(),
                    },
                    this.engine,
                  )
                : null,
            saved: () => {
              this.counts.checkpoints++;
              this.counts.lastCheckpointAt = new Date().toISOString();
            },
            failed: (sentence) => this.say(`${sentence}; retrying at the next one.`),
          }
        : null,
    });
  }

  /** Restores the checkpoint (if any) and starts reading; rejects on a checkpoint it cannot use. */
  async start(): Promise<void> {
    let resume: ShardPositions | undefined;
    if (this.opts.checkpointPath) {
      const loaded = await loadCheckpoint(
        this.opts.checkpointPath,
        this.opts.orderStream,
        this.engine,
      );
      if (loaded) {
        resume = loaded.positions;
        // Groups changed after the last emit before the checkpoint were not sent: send all.
        this.engine.reemitAll();
        // The run that left the checkpoint may have folded what is read again at other levels.
        this.engine.resumedFromCheckpoint();
        const pending = this.engine.pendingMails();
        if (this.cache && pending.length) void this.cache.ensure(pending, 0);
      }
    }
    this.reader = new StreamReader({
      client: this.opts.client,
      stream: this.opts.orderStream,
      start: this.opts.start,
      target: this.opts.target,
      ...(resume ? { resume } : {}),
      ...(this.opts.pollIntervalMs ? { pollIntervalMs: this.opts.pollIntervalMs } : {}),
      ...(this.opts.listIntervalMs ? { listIntervalMs: this.opts.listIntervalMs } : {}),
      onRecords: (batch) => this.handle(batch),
      onStatus: (s) => {
        if (s.state === 'error' && s.message) this.say(s.message);
      },
    });
    this.reader.start();
    this.loop.start();
  }

  /** Stops reading, emits and acknowledges what is left, and writes a last checkpoint. */
  async stop(): Promise<void> {
    this.loop.stopTimers();
    this.stopping.resolve();
    await this.reader?.stop();
    await this.loop.finalCheckpoint(this.opts.stopTimeoutMs ?? 10_000);
    this.metricsOut.close();
    this.wideOut?.close();
    await this.opts.customers?.close();
  }

  stats(): EngineRunnerStats {
    return {
      engine: this.engine.stats(),
      reader: this.reader?.stats() ?? null,
      customers: this.cache?.stats() ?? null,
      emitted: { metrics: this.loop.emitted, wide: this.counts.wide },
      acked: { metrics: this.metricsOut.stats().acked, wide: this.wideOut?.stats().acked ?? 0 },
      checkpoints: this.counts.checkpoints,
      lastCheckpointAt: this.counts.lastCheckpointAt,
      waitingForOutput: this.waiting,
    };
  }

  private async handle(batch: ShardBatch): Promise<void> {
    // Back-pressure: while the wide-row stream is far behind, this shard's reading waits (its
    // rows cannot be coalesced). Metrics need none: the engine coalesces them until the metric
    // stream has room (EngineLoop.emit), so reading goes on at full speed.
    if (this.wideOut && this.wideOut.unacked > (this.opts.maxUnacked ?? 20_000)) {
      this.waiting++;
      await Promise.race([
        this.wideOut.whenBelow(this.opts.maxUnacked ?? 20_000),
        this.stopping.promise,
      ]);
      this.waiting--;
      // Stopping while the wide-row stream is behind: the batch stays unread (a throw keeps the
      // reader's position before it), and the next start reads it again.
      if (this.stopping.done) throw new Error('livewall engine is stopping');
    }
    while (this.gate) await this.gate.promise;
    this.busy++;
    try {
      await this.applyBatch(batch);
    } finally {
      if (--this.busy === 0) this.idle?.();
    }
  }

  /** True while some shard's last batch was more than 30 s behind its stream's newest record. */
  private behind(): boolean {
    // A shard silent for 10 s has nothing more to read: its last lag is stale.
    const now = Date.now();
    for (const [lag, at] of this.lags.values()) if (lag > 30_000 && now - at < 10_000) return true;
    return false;
  }

  private async applyBatch(batch: ShardBatch): Promise<void> {
    if (batch.millisBehindLatest !== null) {
      this.lags.set(batch.shardId, [batch.millisBehindLatest, Date.now()]);
    }
    const changes: OrderChange[] = [];
    eachText(
      batch.records,
      (text) => {
        const change = this.engine.parse(text);
        if (change) changes.push(change);
      },
      (reason, record) =>
        this.engine.rejectUndecodable(
          `${batch.shardId} ${record.SequenceNumber ?? '?'}: ${reason}`,
        ),
    );
    // A slow dimension holds this batch back by the bound at most; later answers re-fold.
    if (this.cache)
      await this.cache.ensure(
        new Set(changes.map((c) => c.data.user_mail)),
        this.opts.lookupBoundMs ?? 200,
      );
    const wide = [];
    if (!this.wideOut) for (const c of changes) this.engine.foldChange(c);
    else
      for (const c of changes) {
        const row = this.engine.apply(c);
        if (row) wide.push({ partitionKey: String(row.order_id), data: JSON.stringify(row) });
      }
    if (this.wideOut && wide.length) {
      this.wideOut.put(wide);
      this.counts.wide += wide.length;
    }
  }

  /** Holds new batches back and resolves once none is being applied. */
  private pause(): Promise<void> {
    if (!this.gate) {
      let open = (): void => undefined;
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.gate = { promise, open };
    }
    const quiet =
      this.busy === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            this.idle = () => {
              this.idle = null;
              resolve();
            };
          });
    // The reader moves a shard's position on in the microtasks after a batch is handled: one
    // turn of the event loop lets them run, so the positions written match the state.
    return quiet.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  }

  private resume(): void {
    const gate = this.gate;
    this.gate = null;
    gate?.open();
  }

  private stream(name: string): KinesisStream {
    return new KinesisStream({
      client: this.opts.client,
      name,
      target: this.opts.target,
      onStatus: (sentence) => this.say(sentence),
    });
  }

  private say(sentence: string): void {
    this.opts.onStatus?.(sentence);
  }
}
