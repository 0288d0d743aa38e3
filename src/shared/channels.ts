/**
 * One contract per channel of the bridge API: the request's schema, the response's schema, the
 * IPC channel (the key), the HTTP route a browser uses and the API method that calls it. Main's
 * IPC validators, the web server's routes, the browser client and the API's type derive from this
 * table, so adding a channel is one entry here plus its handler (src/main/app/feedHandlers.ts);
 * a channel without a handler, or without its one-liner in the preload, does not compile.
 *
 * The pushes (main → screen) have their table here too, PUSHES, and the bridge API its type,
 * LivewallApi: one method per request channel and `on` for the pushes (pushes.ts forwards and
 * delivers them).
 */
import * as v from 'valibot';
import { fail, ok } from './result';
import { fromFunction, type Schema } from './schemaKit';
import {
  burstProgress,
  burstRequest,
  burstSummary,
  burstTargets,
  feedStatus,
  healthChecks,
  metricBatch,
  passwordRequest,
  snapshot,
  type PasswordSaved,
} from './contracts';

/** A request without a payload. */
const none: Schema<void> = fromFunction((x) =>
  x === undefined || x === null ? ok(undefined) : fail('this request takes no arguments'),
);

const passwordSaved: Schema<PasswordSaved> = v.object({
  saved: v.boolean(),
  message: v.string(),
});

// The server sends full contract 2 records, so the zone for the workshop's short form never applies.
const ZONE = 'UTC';

export interface ChannelContract<Req, Res> {
  /** The request payload, as main parses it before a handler sees it. */
  request: Schema<Req>;
  /** The answer, as the browser client parses it. */
  response: Schema<Res>;
  /** Its name in error sentences ("burst request: …") when a string payload is not JSON. */
  what: string;
  /** The HTTP route a browser calls, or null for the app only (never over the web). */
  http: { method: 'GET' | 'POST'; path: string } | null;
}

/** An entry of the table: the contract and the bridge API's method that calls it. */
const channel = <Req, Res, const A extends string>(
  c: ChannelContract<Req, Res> & { api: A },
): ChannelContract<Req, Res> & { api: A } => c;

export const CONTRACT = {
  'metrics.snapshot': channel({
    api: 'getSnapshot',
    request: none,
    response: snapshot(ZONE),
    what: 'request',
    http: { method: 'GET', path: '/api/snapshot' },
  }),
  'burst.start': channel({
    api: 'burst',
    request: burstRequest,
    response: burstSummary,
    what: 'burst request',
    http: { method: 'POST', path: '/api/burst' },
  }),
  'source.status': channel({
    /** The feed's state, for the status chip. */
    api: 'getStatus',
    request: none,
    response: feedStatus,
    what: 'request',
    http: { method: 'GET', path: '/api/status' },
  }),
  'burst.targets': channel({
    /** Where bursts can go; the first is the default. */
    api: 'getBurstTargets',
    request: none,
    response: burstTargets,
    what: 'request',
    http: { method: 'GET', path: '/api/burst/targets' },
  }),
  // The password goes from the app's panel to the OS keychain; a browser never sends one.
  'mysql.password': channel({
    /**
     * Keeps the MySQL password in the OS keychain (the app only). It goes to main and is never
     * sent back; the answer says only whether it was saved.
     */
    api: 'setMySqlPassword',
    request: passwordRequest,
    response: passwordSaved,
    what: 'password request',
    http: null,
  }),
  'health.run': channel({
    /** Probes every configured stage of the pipeline (may take a few seconds). */
    api: 'runHealth',
    request: none,
    response: healthChecks,
    what: 'request',
    http: { method: 'GET', path: '/api/health' },
  }),
};

/**
 * Main → screen pushes, one entry per message: the key is its one name (the IPC channel, the
 * WebSocket message's `channel`, and what the feed, the bridge API and the store subscribe by),
 * the value its payload's schema. Adding a push is an entry here and its source in the feed
 * (src/main/app/screenSource.ts): IPC, the WebSocket and both bridge APIs carry it from there.
 */
export const PUSHES = {
  /** Only the metric identities that changed since the last push. */
  'metrics.batch': metricBatch(ZONE),
  /** The feed's state, whenever it changes. */
  'source.status': feedStatus,
  /** A running burst's progress, a few times a second. */
  'burst.progress': burstProgress,
};

type Contract = typeof CONTRACT;
export type InvokeChannel = keyof Contract;
export type PushChannel = keyof typeof PUSHES;

type RequestOf<C extends InvokeChannel> =
  Contract[C] extends ChannelContract<infer Req, unknown> ? Req : never;
type ResponseOf<C extends InvokeChannel> =
  Contract[C] extends ChannelContract<unknown, infer Res> ? Res : never;

export type InvokeChannels = {
  [C in InvokeChannel]: { request: RequestOf<C>; response: ResponseOf<C> };
};
export type PushChannels = { [C in PushChannel]: v.InferOutput<(typeof PUSHES)[C]> };

/**
 * The table again, typed per channel, so code generic over a channel C reads C's own schemas
 * (TypeScript cannot correlate the literal table's union members).
 */
export const CHANNELS: {
  [C in InvokeChannel]: ChannelContract<
    InvokeChannels[C]['request'],
    InvokeChannels[C]['response']
  >;
} = CONTRACT;

/** A handler per channel: the table's keys, so a channel without one does not compile. */
export type ChannelHandlers = {
  [C in InvokeChannel]: (
    request: InvokeChannels[C]['request'],
  ) => Promise<InvokeChannels[C]['response']> | InvokeChannels[C]['response'];
};

/** The request half of the bridge API, one method per channel, named by the table. */
export type InvokeApi = {
  [C in InvokeChannel as Contract[C]['api']]: (
    request: InvokeChannels[C]['request'],
  ) => Promise<InvokeChannels[C]['response']>;
};

export type PushListener<C extends PushChannel> = (payload: PushChannels[C]) => void;

/** The push half: the feed main forwards and the bridge API a screen reads have this shape. */
export interface PushApi {
  /** Subscribes to one push of the table; returns the unsubscribe. */
  on<C extends PushChannel>(channel: C, listener: PushListener<C>): () => void;
}

/**
 * The one bridge API a screen talks to, whatever carries it (Electron IPC, or HTTP and the
 * WebSocket): one request method per channel, named by the table, and the pushes.
 */
export interface LivewallApi extends InvokeApi, PushApi {}

/** Builds the request half of the bridge API from one transport call (IPC or HTTP). */
export function invokeApi(
  call: <C extends InvokeChannel>(
    channel: C,
    request: InvokeChannels[C]['request'],
  ) => Promise<InvokeChannels[C]['response']>,
): InvokeApi {
  const methods = INVOKE_CHANNELS.map((c) => [CONTRACT[c].api, (r: never) => call(c, r)]);
  // The table's keys and api names make exactly InvokeApi's members; TypeScript cannot follow
  // a mapped key rename through Object.fromEntries.
  return Object.fromEntries(methods) as InvokeApi;
}

/** The keys of a table whose keys are exactly `K` (so none can be left out). */
function keysOf<K extends string>(table: Record<K, unknown>): K[] {
  return Object.keys(table).filter((k): k is K => k in table);
}

export const INVOKE_CHANNELS: readonly InvokeChannel[] = keysOf(CONTRACT);
export const PUSH_CHANNELS: readonly PushChannel[] = keysOf(PUSHES);

/** The channel behind an HTTP route, for the web server's route table. */
export const HTTP_ROUTES: ReadonlyMap<string, InvokeChannel> = new Map(
  INVOKE_CHANNELS.flatMap((c) => {
    const http = CONTRACT[c].http;
    return http ? [[http.path, c] as const] : [];
  }),
);
