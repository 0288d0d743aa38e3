/**
 * The one bridge API the renderer talks to, whatever carries it (Electron IPC or WebSocket).
 */
import type {
  BurstProgress,
  BurstRequest,
  BurstSummary,
  BurstTarget,
  FeedStatus,
  HealthCheck,
  MetricBatch,
  PasswordRequest,
  PasswordSaved,
  Snapshot,
} from './schemas';

export { MAX_BURST_ORDERS } from './schemas';
export type {
  BurstProgress,
  BurstRequest,
  BurstSummary,
  BurstTarget,
  BurstTargetId,
  FeedStatus,
  HealthCheck,
  MetricBatch,
  PasswordRequest,
  PasswordSaved,
} from './schemas';

export interface LivewallApi {
  getSnapshot(): Promise<Snapshot>;
  burst(request: BurstRequest): Promise<BurstSummary>;
  getStatus(): Promise<FeedStatus>;
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
  onStatus(listener: (status: FeedStatus) => void): () => void;
  /** Subscribes to burst progress; returns the unsubscribe. */
  onBurstProgress(listener: (progress: BurstProgress) => void): () => void;
}

/** @deprecated Old name of FeedStatus, kept while branches that use it are merged. */
export type SourceStatus = FeedStatus;
