/**
 * The main side of the typed IPC contract: the only file (with the preload) that touches ipcMain.
 * Every payload is parsed with the shared parser before a service sees it.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { PasswordSaved } from '@shared/api';
import {
  CHANNELS,
  INVOKE_CHANNELS,
  type ChannelHandlers,
  type InvokeChannel,
  type InvokeChannels,
  type PushChannel,
  type PushChannels,
} from '@shared/contract';
import type { Result } from '@shared/result';
import { parseWith } from '@shared/schema';
import { feedHandlers } from '../app/feedHandlers';
import type { ScreenFeed } from '../app/screenSource';

/** A request that failed validation; the renderer receives its message, main keeps running. */
export class InvalidRequestError extends Error {}

/** One validator per channel: the contract table's request schema. */
export function validate<C extends InvokeChannel>(
  channel: C,
  input: unknown,
): Result<InvokeChannels[C]['request']> {
  const { request, what } = CHANNELS[channel];
  return parseWith(request, input, what);
}

export function handle<C extends InvokeChannel>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: C,
  handler: ChannelHandlers[C],
): void {
  ipcMain.handle(channel, async (_event: IpcMainInvokeEvent, input: unknown) => {
    const parsed = validate(channel, input);
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
  const handlers = feedHandlers(feed, savePassword);
  for (const channel of INVOKE_CHANNELS) register(ipcMain, channel, handlers);
  const push =
    <C extends PushChannel>(channel: C) =>
    (payload: PushChannels[C]): void => {
      const t = getTarget();
      if (t) emit(t, channel, payload);
    };
  const offs = [
    feed.onBatch(push('metrics.batch')),
    feed.onStatus(push('source.status')),
    feed.onBurstProgress(push('burst.progress')),
  ];
  return () => {
    for (const off of offs) off();
    for (const c of INVOKE_CHANNELS) ipcMain.removeHandler(c);
  };
}

function register<C extends InvokeChannel>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: C,
  handlers: ChannelHandlers,
): void {
  handle(ipcMain, channel, handlers[channel]);
}
