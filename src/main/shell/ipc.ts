/**
 * The main side of the typed IPC contract: the only file (with the preload) that touches ipcMain.
 * Every payload is parsed with the contract table's request schema before a service sees it.
 */
import {
  ipcMain as electronIpcMain,
  type IpcMain,
  type IpcMainInvokeEvent,
  type WebContents,
} from 'electron';
import type { PasswordSaved } from '@shared/contracts';
import {
  CHANNELS,
  INVOKE_CHANNELS,
  type ChannelHandlers,
  type InvokeChannel,
  type InvokeChannels,
  type PushChannel,
  type PushChannels,
} from '@shared/channels';
import { forwardPushes } from '@shared/pushes';
import type { Result } from '@shared/result';
import { parseWith } from '@shared/schemaKit';
import { feedHandlers } from '../app/feedHandlers';
import type { ScreenFeed } from '../app/screenSource';
import { isAllowedNavigation } from './navigation';

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

/** One validator per channel: the contract table's request schema. */
export function validate<C extends InvokeChannel>(
  channel: C,
  input: unknown,
): Result<InvokeChannels[C]['request']> {
  const { request, what } = CHANNELS[channel];
  return parseWith(request, input, what);
}

/** By default the app's page is the built out/renderer/index.html. */
const builtPage: TrustedPage = (url) => isAllowedNavigation(url);

export function handle<C extends InvokeChannel>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: C,
  handler: ChannelHandlers[C],
  trusted: TrustedPage = builtPage,
): void {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown) => {
    if (!isTrustedSender(event, trusted)) {
      throw new UntrustedSenderError(`${channel}: livewall answers only its own page`);
    }
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

/**
 * Registers every channel against the feed; returns the function that undoes it all. Electron's
 * ipcMain unless told otherwise: no other file needs to hold it (an ESLint rule keeps it so).
 */
export function registerIpc(
  feed: ScreenFeed,
  getTarget: () => Pick<WebContents, 'send' | 'isDestroyed'> | null,
  savePassword: (password: string) => Promise<PasswordSaved>,
  trusted: TrustedPage = builtPage,
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'> = electronIpcMain,
): () => void {
  const handlers = feedHandlers(feed, savePassword);
  for (const channel of INVOKE_CHANNELS) register(ipcMain, channel, handlers, trusted);
  const stopPushes = forwardPushes(feed, (channel, payload) => {
    const t = getTarget();
    if (t) emit(t, channel, payload);
  });
  return () => {
    stopPushes();
    for (const c of INVOKE_CHANNELS) ipcMain.removeHandler(c);
  };
}

function register<C extends InvokeChannel>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: C,
  handlers: ChannelHandlers,
  trusted: TrustedPage,
): void {
  handle(ipcMain, channel, handlers[channel], trusted);
}
