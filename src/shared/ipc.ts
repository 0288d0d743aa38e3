/**
 * The IPC contract, keyed by channel (Heroic's pattern): request/response channels and
 * main→renderer pushes. Only src/main/shell/ipc.ts and src/preload touch ipcMain/ipcRenderer.
 */
import type {
  BurstProgress,
  BurstSummary,
  BurstTarget,
  HealthCheck,
  MetricBatch,
  PasswordSaved,
  FeedStatus,
} from './api';
import type { Snapshot } from './contracts';
import type { BurstRequest, PasswordRequest } from './parse';

export interface InvokeChannels {
  'metrics.snapshot': { request: void; response: Snapshot };
  'burst.start': { request: BurstRequest; response: BurstSummary };
  'source.status': { request: void; response: FeedStatus };
  'burst.targets': { request: void; response: BurstTarget[] };
  'mysql.password': { request: PasswordRequest; response: PasswordSaved };
  'health.run': { request: void; response: HealthCheck[] };
}

export interface PushChannels {
  'metrics.batch': MetricBatch;
  'source.status': FeedStatus;
  'burst.progress': BurstProgress;
}

export type InvokeChannel = keyof InvokeChannels;
export type PushChannel = keyof PushChannels;

export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'metrics.snapshot',
  'burst.start',
  'source.status',
  'burst.targets',
  'mysql.password',
  'health.run',
];
export const PUSH_CHANNELS: readonly PushChannel[] = [
  'metrics.batch',
  'source.status',
  'burst.progress',
];
