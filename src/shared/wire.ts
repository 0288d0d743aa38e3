/**
 * The WebSocket transport of the bridge API (path `/ws`): the server pushes what IPC pushes.
 * Requests go over HTTP (`GET /api/snapshot`, `POST /api/burst`, `GET /api/status`).
 */
import type { MetricBatch, SourceStatus } from './api';
import type { Snapshot } from './contracts';

export type ServerMessage =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'batch'; batch: MetricBatch }
  | { type: 'status'; status: SourceStatus };

export const WS_PATH = '/ws';
