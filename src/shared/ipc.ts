/**
 * The IPC contract, keyed by channel (Heroic's pattern): request/response channels and
 * main→renderer pushes. Only src/main/shell/ipc.ts and src/preload touch ipcMain/ipcRenderer.
 */
import type { BurstSummary, MetricBatch, SourceStatus } from './api';
import type { Snapshot } from './contracts';
import type { BurstRequest } from './parse';

export interface InvokeChannels {
  'metrics.snapshot': { request: void; response: Snapshot };
  'burst.start': { request: BurstRequest; response: BurstSummary };
  'source.status': { request: void; response: SourceStatus };
}

export interface PushChannels {
  'metrics.batch': MetricBatch;
  'source.status': SourceStatus;
}

export type InvokeChannel = keyof InvokeChannels;
export type PushChannel = keyof PushChannels;

export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'metrics.snapshot',
  'burst.start',
  'source.status',
];
export const PUSH_CHANNELS: readonly PushChannel[] = ['metrics.batch', 'source.status'];
