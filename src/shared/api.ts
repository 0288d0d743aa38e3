/**
 * The one bridge API the renderer talks to, whatever carries it (Electron IPC or WebSocket).
 */
import type { InvokeApi } from './contract';
import type { PushApi } from './pushes';

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
 * and gives their types), and `on` for each push of its push table (pushes.ts).
 */
export interface LivewallApi extends InvokeApi, PushApi {}
