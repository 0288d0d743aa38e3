/**
 * LivewallApi for a plain browser, where no preload exists: requests over HTTP, pushes over the
 * WebSocket at /ws (src/shared/wire.ts). The snapshot is the one the server sends first on the
 * socket, so it comes once and no push falls between it and the pushes after it. Reconnects with
 * backoff and completes the state again from the snapshot of the new connection.
 */
import {
  CHANNELS,
  invokeApi,
  type InvokeChannel,
  type LivewallApi,
  type InvokeChannels,
  type PushChannel,
  type PushChannels,
} from '@shared/channels';
import type { FeedStatus, Snapshot } from '@shared/contracts';
import { pushListeners } from '@shared/pushes';
import { firstIssue, isObj } from '@shared/schemaKit';
import { WS_PATH } from '@shared/wire';
import {
  RECONNECT_BASE_MS,
  RECONNECT_MAX_MS,
  backoffDelay,
  createMessageRouter,
  lostConnectionStatus,
} from './serverMessage';

/** Why a browser cannot set the password: it would cross the network to reach the keychain. */
export const PASSWORD_APP_ONLY =
  'The MySQL password can be set in the livewall app only; for a browser, set LIVEWALL_MYSQL_PASSWORD where livewall web runs.';

export type LocationLike = Pick<Location, 'protocol' | 'host'>;

/** The part of a WebSocket this transport uses (a browser's, or `ws` in tests). */
export interface SocketLike {
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export interface WebSocketApiOptions {
  openSocket?: (url: string) => SocketLike;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  random?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  log?: Pick<Console, 'warn' | 'error'>;
}

export interface WebSocketApi extends LivewallApi {
  /** Messages skipped because they did not parse. */
  readonly malformed: number;
  /** Closes the socket and stops reconnecting. */
  close(): void;
}

export function createWebSocketApi(
  base: LocationLike,
  options: WebSocketApiOptions = {},
): WebSocketApi {
  const httpOrigin = `${base.protocol}//${base.host}`;
  const wsUrl = `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}${WS_PATH}`;
  const openSocket = options.openSocket ?? ((url: string): SocketLike => new WebSocket(url));
  // Called unbound, window.fetch throws "Illegal invocation".
  const doFetch = options.fetch ?? ((url: string, init?: RequestInit) => fetch(url, init));
  const random = options.random ?? Math.random;
  const baseDelay = options.baseDelayMs ?? RECONNECT_BASE_MS;
  const maxDelay = options.maxDelayMs ?? RECONNECT_MAX_MS;
  const log = options.log ?? console;

  const pushes = pushListeners((error) => log.error('livewall: a listener failed', error));
  /** getSnapshot calls waiting for the snapshot that starts the next connection. */
  const snapshotWaiters: { resolve: (s: Snapshot) => void; reject: (e: Error) => void }[] = [];
  /** Whether the current socket has sent its snapshot (a later ask goes over HTTP). */
  let snapshotSent = false;
  let socket: SocketLike | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let countdown: ReturnType<typeof setInterval> | null = null;
  let closed = false;
  // Bumped by every pushed status, so an HTTP answer that crossed a push does not overwrite it.
  let statusEpoch = 0;

  function deliver<C extends PushChannel>(message: { channel: C; payload: PushChannels[C] }): void {
    if (message.channel === 'source.status') statusEpoch++;
    pushes.emit(message.channel, message.payload);
  }

  function receiveSnapshot(snapshot: Snapshot): void {
    snapshotSent = true;
    const waiting = snapshotWaiters.splice(0);
    for (const w of waiting) w.resolve(snapshot);
    if (waiting.length > 0) return;
    // Nobody asked (a reconnect): its records complete the state under the identity rule.
    const { metrics, lastRecordAt, stale } = snapshot;
    pushes.emit('metrics.batch', { records: metrics, lastRecordAt, stale });
  }

  const router = createMessageRouter({
    onMessage: (message) => {
      if (message.channel === 'metrics.snapshot') receiveSnapshot(message.payload);
      else deliver(message);
    },
    onMalformed: (error, count) => {
      // Once, then every hundredth: a broken server must not flood the console.
      if (count === 1 || count % 100 === 0) {
        log.warn(`livewall: skipped malformed message (${count} so far): ${error}`);
      }
    },
  });

  function connect(): void {
    retryTimer = null;
    let ws: SocketLike;
    try {
      ws = openSocket(wsUrl);
    } catch (error) {
      log.error('livewall: cannot open the WebSocket', error);
      scheduleReconnect();
      return;
    }
    socket = ws;
    snapshotSent = false;
    let settled = false;
    ws.addEventListener('open', () => {
      if (socket === ws) void refreshStatus(ws);
    });
    ws.addEventListener('message', (event) => {
      if (socket !== ws) return;
      // Reset the backoff only once the server really talks: one that accepts and drops at once
      // must not be hammered every second.
      if (router.handle(event.data) && !settled) {
        settled = true;
        attempt = 0;
      }
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      if (!closed) scheduleReconnect();
    });
  }

  function scheduleReconnect(): void {
    const delay = backoffDelay(attempt++, random(), baseDelay, maxDelay);
    const due = Date.now() + delay;
    const report = (): void => {
      const left = Math.max(1, Math.ceil((due - Date.now()) / 1000));
      pushes.emit('source.status', lostConnectionStatus(left));
    };
    report();
    countdown = setInterval(report, 1000);
    retryTimer = setTimeout(() => {
      stopCountdown();
      connect();
    }, delay);
  }

  function stopCountdown(): void {
    if (countdown !== null) clearInterval(countdown);
    countdown = null;
  }

  /** After a (re)connect the "retrying" status must give way to the source's own. */
  async function refreshStatus(ws: SocketLike): Promise<void> {
    const epoch = statusEpoch;
    let status: FeedStatus;
    try {
      status = await getStatus();
    } catch {
      // The socket is up, so at least the connection is fine.
      status = { source: 'web', state: 'ok', message: null };
    }
    if (socket === ws && epoch === statusEpoch) pushes.emit('source.status', status);
  }

  function ensureConnected(): void {
    if (!closed && socket === null && retryTimer === null) connect();
  }

  async function requestJson(path: string, init?: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${httpOrigin}${path}`, { cache: 'no-store', ...init });
    } catch {
      throw new Error(`The livewall server cannot be reached (${path}).`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      throw new Error(
        errorSentence(body) ?? `The livewall server answered ${response.status} to ${path}.`,
      );
    }
    if (body === undefined) throw new Error(`The livewall server sent no JSON for ${path}.`);
    return body;
  }

  /** One channel of the contract table over HTTP: its route, its method, its answer's schema. */
  async function call<C extends InvokeChannel>(
    channel: C,
    request: InvokeChannels[C]['request'],
  ): Promise<InvokeChannels[C]['response']> {
    const { http, request: requestSchema, response } = CHANNELS[channel];
    // Takes no request at all, so a password typed in a browser goes nowhere.
    if (!http) throw new Error(PASSWORD_APP_ONLY);
    let init: RequestInit = {};
    if (http.method === 'POST') {
      // Only what the contract knows leaves the browser.
      const body = firstIssue(requestSchema, request);
      if (!body.ok) throw new Error(body.error);
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body.value),
      };
    }
    const raw = await requestJson(http.path, init);
    const r = firstIssue(response, raw);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  }

  const invoke = invokeApi(call);
  const getStatus = invoke.getStatus;

  /**
   * The snapshot the socket starts with: the pushes follow it on the same socket, where an HTTP
   * answer and a socket opened apart could miss one between them. Once the socket has sent it,
   * a later ask goes over HTTP (the socket already follows every push).
   */
  function getSnapshot(): Promise<Snapshot> {
    if (closed || (socket !== null && snapshotSent)) return invoke.getSnapshot();
    const next = new Promise<Snapshot>((resolve, reject) => {
      snapshotWaiters.push({ resolve, reject });
    });
    ensureConnected();
    return next;
  }

  return {
    ...invoke,
    getSnapshot,
    on(channel, listener) {
      const off = pushes.on(channel, listener);
      ensureConnected();
      return off;
    },
    get malformed(): number {
      return router.malformed;
    },
    close(): void {
      closed = true;
      for (const w of snapshotWaiters.splice(0))
        w.reject(new Error('The livewall client was closed.'));
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      stopCountdown();
      const ws = socket;
      socket = null;
      ws?.close();
    },
  };
}

/** The server's own sentence from an error body such as `{"error":"…"}`, if it sent one. */
function errorSentence(body: unknown): string | null {
  if (!isObj(body)) return null;
  const { error, message } = body;
  if (typeof error === 'string' && error) return error;
  if (typeof message === 'string' && message) return message;
  return null;
}
