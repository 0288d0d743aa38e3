/**
 * The one bridge API the renderer talks to, whatever carries it (Electron IPC or WebSocket).
 */
import type { MetricRecord, Snapshot } from './contracts';
import type { BurstRequest, PasswordRequest } from './parse';

export interface PasswordSaved {
  saved: boolean;
  /** A sentence for the panel (never the password). */
  message: string;
}

/** A push from main: only the identities that changed since the last push. */
export interface MetricBatch {
  records: MetricRecord[];
  lastRecordAt: number | null;
  stale: boolean;
}

/** Where a burst's orders go: the embedded demo table, or the configured MySQL. */
export type BurstTargetId = 'embedded' | 'mysql';

export interface BurstTarget {
  id: BurstTargetId;
  /** For the panel, e.g. "MySQL shop@10.0.0.5:3306/demo" (never a password). */
  label: string;
}

/** A running burst's progress, pushed while it runs (at most a few times a second). */
export interface BurstProgress {
  /** Numbers the bursts of one server, so a screen can follow its own or one fired elsewhere. */
  burstId: number;
  target: BurstTargetId;
  requested: number;
  inserted: number;
  updated: number;
  failed: number;
  /** Lifecycle steps still to run (MySQL bursts with lifecycle wait for them). */
  pendingSteps: number;
}

/** What a burst did; `failed` is 0 unless the target refused orders. */
export interface BurstSummary {
  inserted: number;
  updated: number;
  failed: number;
}

/** The source's own word on how it is doing, shown on screen (never credentials). */
export interface SourceStatus {
  /** `embedded` or `kinesis`. */
  source: string;
  /** `ok`, or a sentence on what is wrong and being retried. */
  state: 'ok' | 'connecting' | 'error';
  message: string | null;
  /** How far the slowest shard is behind the stream's newest record, ms (Kinesis sources). */
  lagMs?: number;
}

/** One probe of `livewall health` and the app's health panel. */
export interface HealthCheck {
  /** e.g. `kinesis metric_ds`. */
  stage: string;
  ok: boolean;
  /** What works, or what is wrong and what to do (never a secret). */
  detail: string;
  /** Age of the stage's newest data, ms (data stages: MySQL, the streams, the warehouse). */
  ageMs?: number;
}

export interface LivewallApi {
  getSnapshot(): Promise<Snapshot>;
  burst(request: BurstRequest): Promise<BurstSummary>;
  getStatus(): Promise<SourceStatus>;
  /** Probes every configured stage of the pipeline (may take a few seconds). */
  runHealth(): Promise<HealthCheck[]>;
  /** Where bursts can go; the first is the default. */
  getBurstTargets(): Promise<BurstTarget[]>;
  /**
   * Keeps the MySQL password in the OS keychain (the app only). It goes to main and is never
   * sent back; the answer says only whether it was saved.
   */
  setMySqlPassword(request: PasswordRequest): Promise<PasswordSaved>;
  /** Subscribes to metric pushes; returns the unsubscribe. */
  onMetrics(listener: (batch: MetricBatch) => void): () => void;
  /** Subscribes to status changes; returns the unsubscribe. */
  onStatus(listener: (status: SourceStatus) => void): () => void;
  /** Subscribes to burst progress; returns the unsubscribe. */
  onBurstProgress(listener: (progress: BurstProgress) => void): () => void;
}
