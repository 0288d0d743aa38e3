/**
 * The main side of the typed IPC contract: the only file (with the preload) that touches ipcMain.
 * Every payload is parsed with the shared parser before a service sees it.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { InvokeChannel, InvokeChannels, PushChannel, PushChannels } from '@shared/ipc';
import type { PasswordSaved } from '@shared/api';
import { parseBurstRequest, parsePasswordRequest } from '@shared/parse';
import type { Result } from '@shared/result';
import type { ScreenFeed } from '../app/screenSource';

type Handler<C extends InvokeChannel> = (
  request: InvokeChannels[C]['request'],
) => Promise<InvokeChannels[C]['response']> | InvokeChannels[C]['response'];

/** A request that failed validation; the renderer receives its message, main keeps running. */
export class InvalidRequestError extends Error {}

const noArgs = (input: unknown): Result<void> =>
  input === undefined || input === null
    ? { ok: true, value: undefined }
    : { ok: false, error: 'this request takes no arguments' };

/** One validator per channel: the contract's parser for the request's payload. */
export const VALIDATORS: {
  [C in InvokeChannel]: (input: unknown) => Result<InvokeChannels[C]['request']>;
} = {
  'metrics.snapshot': noArgs,
  'burst.start': parseBurstRequest,
  'source.status': noArgs,
  'burst.targets': noArgs,
  'mysql.password': parsePasswordRequest,
  'health.run': noArgs,
};

export function handle<C extends InvokeChannel>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: C,
  handler: Handler<C>,
): void {
  ipcMain.handle(channel, async (_event: IpcMainInvokeEvent, input: unknown) => {
    const parsed = VALIDATORS[channel](input);
    if (!parsed.ok) throw new InvalidRequestError(parsed.error);
    return handler(parsed.value);
  });
}

export function emit<C extends PushChannel>(
  webContents: Pick<WebContents, 'send' | 'isDestroyed'>,
  channel: C,
  payload: PushChannels[C],
): void {
  if (!webContents.isDestroyed()) webContents.send(channel, payload);
}

/** Registers every channel against the feed; returns the function that undoes it all. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  feed: ScreenFeed,
  getTarget: () => Pick<WebContents, 'send' | 'isDestroyed'> | null,
  savePassword: (password: string) => Promise<PasswordSaved>,
): () => void {
  handle(ipcMain, 'metrics.snapshot', () => feed.snapshot());
  handle(ipcMain, 'burst.start', (req) => feed.burst(req));
  handle(ipcMain, 'source.status', () => feed.status());
  handle(ipcMain, 'burst.targets', () => feed.burstTargets());
  handle(ipcMain, 'mysql.password', (req) => savePassword(req.password));
  handle(ipcMain, 'health.run', () => feed.health());
  const offBatch = feed.onBatch((batch) => {
    const t = getTarget();
    if (t) emit(t, 'metrics.batch', batch);
  });
  const offStatus = feed.onStatus((status) => {
    const t = getTarget();
    if (t) emit(t, 'source.status', status);
  });
  const offProgress = feed.onBurstProgress((progress) => {
    const t = getTarget();
    if (t) emit(t, 'burst.progress', progress);
  });
  return () => {
    offBatch();
    offStatus();
    offProgress();
    for (const c of Object.keys(VALIDATORS)) ipcMain.removeHandler(c);
  };
}
