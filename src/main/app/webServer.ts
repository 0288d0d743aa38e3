/**
 * The big screen for any browser (the workshop's data_server.py on port 3008): one HTTP server
 * that checks every request against the request policy, then hands it to the API routes
 * (apiRoutes.ts), the built renderer's files (staticFiles.ts) or the WebSocket hub
 * (webSocketHub.ts); it keeps the slow-client and capacity limits. No Electron here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { WS_PATH } from '@shared/wire';
import { createApiRoutes } from './apiRoutes';
import { json } from './httpReply';
import { allowedHostNames, isRequestAllowed } from './requestPolicy';
import type { ScreenFeed } from './screenSource';
import { serveStatic } from './staticFiles';
import { createWebSocketHub } from './webSocketHub';

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
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  /** The detail goes to the log; the client learns only that it failed (no internals, no secrets). */
  const failed = (what: string, err: unknown): void => {
    log(`livewall web: ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  };
  const api = createApiRoutes(feed);
  const hub = createWebSocketHub({ feed, maxWebSockets: limits.maxWebSockets, failed });
  const sockets = new Set<Socket>();
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req.url);
    if (path === null) return json(res, 400, { error: 'the request target is not a URL path' });
    const verdict = verdictFor(req, path);
    if (!verdict.allowed) return json(res, verdict.status, { error: verdict.reason });
    const method = req.method ?? 'GET';
    if (await api(req, res, path, method)) return;
    if (method !== 'GET' && method !== 'HEAD')
      return json(res, 405, { error: 'method not allowed' });
    return serveStatic(res, opts.staticDir, path);
  }

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
    if (!hub.accept(req, socket, head)) refuseUpgrade(socket, 503, 'Service Unavailable');
  }

  /**
   * Drops clients that did not answer the last ping (a laptop closed, a cable pulled); also takes
   * in an address the machine got since (DHCP).
   */
  function pingClients(): void {
    allowedHosts = allowedHostNames(host, machineAddresses(), opts.hostnames ?? []);
    hub.ping();
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
      hub.start();
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
      hub.stop();
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
