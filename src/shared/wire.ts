/**
 * The WebSocket transport of the bridge API (path `/ws`): the server pushes what IPC pushes.
 * Requests go over HTTP (`GET /api/snapshot`, `POST /api/burst`, `GET /api/burst/targets`,
 * `GET /api/status`, `GET /api/health`). The MySQL password is set in the app only, never over
 * the web.
 */
import type { BurstProgress, MetricBatch, FeedStatus } from './api';
import type { Snapshot } from './contracts';

export type ServerMessage =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'batch'; batch: MetricBatch }
  | { type: 'status'; status: FeedStatus }
  | { type: 'burstProgress'; progress: BurstProgress };

export const WS_PATH = '/ws';
