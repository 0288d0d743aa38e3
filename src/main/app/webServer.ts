/**
 * The big screen for any browser (the workshop's data_server.py on port 3008): serves the built
 * renderer, the HTTP API of contract 4 and the WebSocket pushes. No Electron here.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '@shared/csp';
import {
  CHANNELS,
  HTTP_ROUTES,
  type ChannelHandlers,
  type InvokeChannel,
  type PushChannel,
} from '@shared/channels';
import { parseWith } from '@shared/schemaKit';
import { forwardPushes } from '@shared/pushes';
import { serverMessageOf, WS_PATH, type ServerMessage } from '@shared/wire';
import { feedHandlers } from './feedHandlers';
import { allowedHostNames, isRequestAllowed } from './requestPolicy';
import { MySqlBurstError } from '../mysql/mysqlBurster';
import { BurstBusyError, BurstUnavailableError, type ScreenFeed } from './screenSource';

export interface WebServerOptions {
  feed: ScreenFeed;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string;
  host?: string;
  port?: number;
  /** Bearer token that bursts must carry (from every peer, this machine too). */
  token?: string;
  /** Extra names the server answers to (`web.hostnames`), besides loopback and its addresses. */
  hostnames?: readonly string[];
  /** Slow-client and capacity limits; the defaults suit a wall, tests shorten them. */
  limits?: Partial<WebServerLimits>;
  /** Where failures are told in detail (default: stderr); the client gets a generic sentence. */
  log?: (line: string) => void;
}

export interface WebServerLimits {
  /** A client must send its whole request head within this. */
  headersTimeoutMs: number;
  /** …and its whole request (head and body) within this. */
  requestTimeoutMs: number;
  maxConnections: number;
  maxWebSockets: number;
  /** WebSocket clients are pinged this often; one that did not answer the last ping is dropped. */
  pingIntervalMs: number;
}

export const DEFAULT_LIMITS: WebServerLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  maxConnections: 256,
  maxWebSockets: 64,
  pingIntervalMs: 25_000,
};

export interface WebServer {
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const MAX_BODY = 64 * 1024;
/** A browser this far behind is dropped; it reconnects and starts from a fresh snapshot. */
const MAX_BUFFERED = 4 * 1024 * 1024;

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** The path of a request target, or null when it is not a URL at all (`//a:65536/ws`, `http://[x]/`). */
export function requestPath(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://x').pathname;
  } catch {
    return null;
  }
}

/** This machine's own addresses: a browser elsewhere on the LAN names the wall PC by one of them. */
function machineAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address.replace(/%.*$/, ''));
}

export function createWebServer(opts: WebServerOptions): WebServer {
  const host = opts.host ?? '127.0.0.1';
  const { feed } = opts;
  const handlers: ChannelHandlers = {
    ...feedHandlers(feed, () =>
      Promise.reject(new Error('The MySQL password is set in the app only.')),
    ),
    // The browser's status line also shows the counters (never secrets).
    'source.status': () => {
      const withStats = { ...feed.status(), stats: feed.stats() };
      return withStats;
    },
  };
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  const sockets = new Set<Socket>();
  const unsubscribe: (() => void)[] = [];
  /** WebSocket clients that answered the last ping. */
  const alive = new WeakSet<WebSocket>();
  let pingTimer: NodeJS.Timeout | null = null;
  let server: Server | null = null;
  let allowedHosts = allowedHostNames(host, machineAddresses(), opts.hostnames ?? []);

  const verdictFor = (req: IncomingMessage, path: string) =>
    isRequestAllowed({
      method: req.method ?? 'GET',
      path,
      host: req.headers.host,
      origin: req.headers.origin,
      authorization: req.headers.authorization,
      boundHost: host,
      allowedHosts,
      token: opts.token,
    });

  const broadcast = (message: ServerMessage): void => {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const ws of wss.clients) {
      if (ws.bufferedAmount > MAX_BUFFERED) ws.terminate();
      else ws.send(text);
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req.url);
    if (path === null) return json(res, 400, { error: 'the request target is not a URL path' });
    const verdict = verdictFor(req, path);
    if (!verdict.allowed) return json(res, verdict.status, { error: verdict.reason });
    const method = req.method ?? 'GET';
    if (path === '/healthz') {
      // 503 while the source reports an error (an unknown stream, no credentials), so a monitor
      // sees a broken pipeline, not only a live process.
      const status = feed.status();
      const healthy = status.state !== 'error';
      return json(res, healthy ? 200 : 503, { ok: healthy, status });
    }
    const channel = HTTP_ROUTES.get(path);
    if (channel) return route(req, res, channel, method);
    if (path.startsWith('/api/')) return json(res, 404, { error: `no such endpoint ${path}` });
    if (method !== 'GET' && method !== 'HEAD')
      return json(res, 405, { error: 'method not allowed' });
    return serveStatic(res, path);
  }

  /** A route of the contract table: its method, its request schema, then its handler. */
  async function route<C extends InvokeChannel>(
    req: IncomingMessage,
    res: ServerResponse,
    channel: C,
    method: string,
  ): Promise<void> {
    const { http, request: schema, what } = CHANNELS[channel];
    if (!http) return json(res, 404, { error: `no such endpoint ${req.url ?? ''}` });
    if (method !== http.method) return json(res, 405, { error: `use ${http.method}` });
    let input: unknown;
    if (http.method === 'POST') {
      const body = await readBody(req);
      if (body === null) return json(res, 413, { error: `body over ${MAX_BODY} bytes` });
      input = body;
    }
    const request = parseWith(schema, input, what);
    if (!request.ok) return json(res, 400, { error: request.error });
    try {
      return json(res, 200, await handlers[channel](request.value));
    } catch (err) {
      if (err instanceof BurstUnavailableError || err instanceof BurstBusyError)
        return json(res, 409, { error: err.message });
      if (err instanceof MySqlBurstError) return json(res, 502, { error: err.message });
      throw err;
    }
  }

  async function serveStatic(res: ServerResponse, urlPath: string): Promise<void> {
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
    } catch {
      return json(res, 400, { error: 'bad path' });
    }
    // A backslash is a separator elsewhere (..\\), a NUL ends a name: neither is in a file we serve.
    if (/[\\\0]/.test(rel)) return json(res, 400, { error: 'bad path' });
    const file = normalize(join(opts.staticDir, rel));
    if (!file.startsWith(normalize(opts.staticDir) + sep))
      return json(res, 403, { error: 'outside' });
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return json(res, 404, { error: 'not found' });
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=3600',
    });
    createReadStream(file).pipe(res);
  }

  /** The detail goes to the log; the client learns only that it failed (no internals, no secrets). */
  const failed = (what: string, err: unknown): void => {
    log(`livewall web: ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  };

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const fail = (err: unknown): void => {
      failed(`${req.method ?? '?'} request`, err);
      if (!res.headersSent) {
        json(res, 500, {
          error: 'The livewall server failed to answer; the details are in its log.',
        });
      } else res.destroy();
    };
    try {
      handle(req, res).catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = requestPath(req.url);
    if (path === null) return refuseUpgrade(socket, 400, 'Bad Request');
    const verdict = verdictFor(req, path);
    if (!verdict.allowed) return refuseUpgrade(socket, verdict.status, 'Refused');
    if (path !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (wss.clients.size >= limits.maxWebSockets) {
      return refuseUpgrade(socket, 503, 'Service Unavailable');
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      ws.on('error', () => ws.terminate());
      // Browsers only listen; anything they send is ignored.
      try {
        ws.send(JSON.stringify(serverMessageOf('metrics.snapshot', feed.snapshot())));
        ws.send(JSON.stringify(serverMessageOf('source.status', feed.status())));
      } catch (err) {
        failed('the first WebSocket messages', err);
        ws.terminate();
      }
    });
  }

  /**
   * Drops clients that did not answer the last ping (a laptop closed, a cable pulled); also takes
   * in an address the machine got since (DHCP).
   */
  function pingClients(): void {
    allowedHosts = allowedHostNames(host, machineAddresses(), opts.hostnames ?? []);
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }

  return {
    async start() {
      allowedHosts = allowedHostNames(host, machineAddresses(), opts.hostnames ?? []);
      server = createServer(
        {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          // How often Node looks for requests over those limits (its default is 30 s).
          connectionsCheckingInterval: Math.max(10, Math.min(1_000, limits.headersTimeoutMs / 2)),
        },
        onRequest,
      );
      server.maxConnections = limits.maxConnections;
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        try {
          onUpgrade(req, socket, head);
        } catch (err) {
          failed('WebSocket upgrade', err);
          socket.destroy();
        }
      });
      // Bytes that are not HTTP, or a head over the time limit: Node itself answers 400/408 and
      // closes (no clientError listener, so its default stays).
      pingTimer = setInterval(pingClients, limits.pingIntervalMs);
      pingTimer.unref();
      unsubscribe.push(
        forwardPushes(feed, (c, payload) => broadcast(serverMessageOf<PushChannel>(c, payload))),
      );
      const srv = server;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(opts.port ?? 3008, host, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      const port = (srv.address() as AddressInfo).port;
      const shown = host.includes(':') ? `[${host}]` : host;
      return { url: `http://${shown}:${port}`, port };
    },
    async stop() {
      if (pingTimer) clearInterval(pingTimer);
      pingTimer = null;
      for (const u of unsubscribe.splice(0)) u();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const srv = server;
      server = null;
      if (!srv) return;
      await new Promise<void>((resolve) => {
        srv.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** The request body as text, or null when it is over the limit. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
