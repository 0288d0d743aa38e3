/**
 * The one bridge API the renderer talks to, whatever carries it (Electron IPC or WebSocket).
 */
import type { InvokeApi } from './contract';
import type { BurstProgress, FeedStatus, MetricBatch } from './schemas';

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

/**
 * The bridge API: one request method per channel of the contract table (contract.ts names them
 * and gives their types), and the pushes.
 */
export interface LivewallApi extends InvokeApi {
  /** Subscribes to metric pushes; returns the unsubscribe. */
  onMetrics(listener: (batch: MetricBatch) => void): () => void;
  /** Subscribes to status changes; returns the unsubscribe. */
  onStatus(listener: (status: FeedStatus) => void): () => void;
  /** Subscribes to burst progress; returns the unsubscribe. */
  onBurstProgress(listener: (progress: BurstProgress) => void): () => void;
}
