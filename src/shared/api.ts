/**
 * The one bridge API the renderer talks to, whatever carries it (Electron IPC or WebSocket).
 */
import type { MetricRecord, Snapshot } from './contracts';
import type { BurstRequest } from './parse';

/** A push from main: only the identities that changed since the last push. */
export interface MetricBatch {
  records: MetricRecord[];
  lastRecordAt: number | null;
  stale: boolean;
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
}

export interface LivewallApi {
  getSnapshot(): Promise<Snapshot>;
  burst(request: BurstRequest): Promise<BurstSummary>;
  getStatus(): Promise<SourceStatus>;
  /** Subscribes to metric pushes; returns the unsubscribe. */
  onMetrics(listener: (batch: MetricBatch) => void): () => void;
  /** Subscribes to status changes; returns the unsubscribe. */
  onStatus(listener: (status: SourceStatus) => void): () => void;
}
