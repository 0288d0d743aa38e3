/**
 * The metric state in main, between whatever reads metric_ds and whoever shows it: applies
 * contract 2's identity rule, batches pushes (at most one per `pushIntervalMs`, carrying only the
 * identities that changed) and keeps freshness: the newest record's time and a stale flag.
 */
import type { MetricBatch, FeedStatus, MetricRecord, Snapshot } from '@shared/contracts';
import { MetricState } from '@shared/metricState';

export interface MetricHubOptions {
  /** Minimum time between two pushes (default 100 ms: at most 10 per second). */
  pushIntervalMs?: number;
  /** Silence after which the screen is told the data is stale (default 60 s). */
  staleAfterMs?: number;
  now?: () => number;
}

export type BatchListener = (batch: MetricBatch) => void;
export type StatusListener = (status: FeedStatus) => void;

export class MetricHub {
  readonly state = new MetricState();
  private changed = new Set<string>();
  private readonly listeners = new Set<BatchListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private pushTimer: NodeJS.Timeout | null = null;
  private staleTimer: NodeJS.Timeout | null = null;
  private lastPushAt = -Infinity;
  private lastReceivedAt: number;
  private staleNow = false;
  private currentStatus: FeedStatus;
  private readonly pushIntervalMs: number;
  private readonly staleAfterMs: number;
  private readonly now: () => number;
  /** Records received, and those that changed nothing (older or repeated). */
  readonly counts = { received: 0, unchanged: 0 };

  constructor(source: string, opts: MetricHubOptions = {}) {
    this.pushIntervalMs = opts.pushIntervalMs ?? 100;
    this.staleAfterMs = opts.staleAfterMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.lastReceivedAt = this.now();
    this.currentStatus = { source, state: 'connecting', message: null };
  }

  /** Folds records in and schedules a push of what changed. */
  apply(records: readonly MetricRecord[]): void {
    this.counts.received += records.length;
    for (const r of records) {
      const id = this.state.apply(r);
      if (id) this.changed.add(id);
      else this.counts.unchanged++;
    }
    if (records.length > 0) this.lastReceivedAt = this.now();
    if (this.staleNow && records.length > 0) this.staleNow = this.isStale();
    this.schedulePush();
  }

  snapshot(): Snapshot {
    return {
      metrics: this.state.records(),
      lastRecordAt: this.state.lastRecordAt,
      stale: this.isStale(),
    };
  }

  /**
   * Stale when nothing arrived for `staleAfterMs`, or when what arrived is that old (a replay or a
   * lagging pipeline): the banner then agrees with the header's "updated N s ago".
   */
  isStale(): boolean {
    const now = this.now();
    const newest = this.state.lastRecordAt;
    return (
      now - this.lastReceivedAt > this.staleAfterMs ||
      (newest !== null && now - newest > this.staleAfterMs)
    );
  }

  status(): FeedStatus {
    return this.currentStatus;
  }

  setStatus(status: FeedStatus): void {
    const s = this.currentStatus;
    if (
      s.state === status.state &&
      s.message === status.message &&
      s.source === status.source &&
      s.lagMs === status.lagMs &&
      sameEngine(s.engine, status.engine)
    )
      return;
    this.currentStatus = status;
    for (const l of this.statusListeners) l(status);
  }

  onBatch(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  /** Starts watching for silence; a change of the stale flag is pushed like data. */
  start(): void {
    if (this.staleTimer) return;
    this.staleTimer = setInterval(() => {
      const stale = this.isStale();
      if (stale !== this.staleNow) {
        this.staleNow = stale;
        this.push();
      }
    }, 1000);
    this.staleTimer.unref();
  }

  stop(): void {
    if (this.staleTimer) clearInterval(this.staleTimer);
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.staleTimer = this.pushTimer = null;
  }

  private schedulePush(): void {
    if (this.pushTimer || this.changed.size === 0) return;
    const wait = Math.max(0, this.lastPushAt + this.pushIntervalMs - this.now());
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      this.push();
    }, wait);
  }

  /** Sends what changed since the last push (possibly nothing but the freshness fields). */
  push(): void {
    const records: MetricRecord[] = [];
    for (const id of this.changed) {
      const r = this.state.get(id);
      if (r) records.push(r);
    }
    this.changed = new Set();
    this.lastPushAt = this.now();
    const batch: MetricBatch = {
      records,
      lastRecordAt: this.state.lastRecordAt,
      stale: this.isStale(),
    };
    for (const l of this.listeners) l(batch);
  }
}

function sameEngine(a: FeedStatus['engine'], b: FeedStatus['engine']): boolean {
  return (
    a === b || (!!a && !!b && a.kind === b.kind && a.detail === b.detail && a.since === b.since)
  );
}
