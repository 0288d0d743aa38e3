/**
 * The main side of the typed IPC contract: the only file (with the preload) that touches ipcMain.
 * Every payload is parsed with the shared parser before a service sees it.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { InvokeChannel, InvokeChannels, PushChannel, PushChannels } from '@shared/ipc';
import type { PasswordSaved } from '@shared/api';
import { parseBurstRequest, parsePasswordRequest } from '@shared/parse';
import type { Result } from '@shared/result';
import type { ScreenSource } from '../app/screenSource';
import { isAllowedNavigation } from './navigation';

type Handler<C extends InvokeChannel> = (
  request: InvokeChannels[C]['request'],
) => Promise<InvokeChannels[C]['response']> | InvokeChannels[C]['response'];

/** A request that failed validation; the renderer receives its message, main keeps running. */
export class InvalidRequestError extends Error {}

/** A request from a frame that is not livewall's own page (an iframe, a page navigated to). */
export class UntrustedSenderError extends Error {}

/** Says whether a frame's URL is livewall's own page (navigation.ts's isAllowedNavigation). */
export type TrustedPage = (url: string) => boolean;

/**
 * Only the app's own top-level page may call main, whatever it sends: a frame elsewhere (an
 * iframe, or a page the window was somehow led to) gets nothing.
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  trusted: TrustedPage,
): boolean {
  const frame = event.senderFrame;
  if (!frame || typeof frame.url !== 'string') return false;
  if ((frame.parent ?? null) !== null) return false;
  return trusted(frame.url);
}

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

/** By default the app's page is the built out/renderer/index.html. */
const builtPage: TrustedPage = (url) => isAllowedNavigation(url);

export function handle<C extends InvokeChannel>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: C,
  handler: Handler<C>,
  trusted: TrustedPage = builtPage,
): void {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown) => {
    if (!isTrustedSender(event, trusted)) {
      throw new UntrustedSenderError(`${channel}: livewall answers only its own page`);
    }
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

/** Registers every channel against the source; returns the function that undoes it all. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  source: ScreenSource,
  getTarget: () => Pick<WebContents, 'send' | 'isDestroyed'> | null,
  savePassword: (password: string) => Promise<PasswordSaved>,
  trusted: TrustedPage = builtPage,
): () => void {
  handle(ipcMain, 'metrics.snapshot', () => source.snapshot(), trusted);
  handle(ipcMain, 'burst.start', (req) => source.burst(req), trusted);
  handle(ipcMain, 'source.status', () => source.status(), trusted);
  handle(ipcMain, 'burst.targets', () => source.burstTargets(), trusted);
  handle(ipcMain, 'mysql.password', (req) => savePassword(req.password), trusted);
  handle(ipcMain, 'health.run', () => source.health(), trusted);
  const offBatch = source.onBatch((batch) => {
    const t = getTarget();
    if (t) emit(t, 'metrics.batch', batch);
  });
  const offStatus = source.onStatus((status) => {
    const t = getTarget();
    if (t) emit(t, 'source.status', status);
  });
  const offProgress = source.onBurstProgress((progress) => {
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
