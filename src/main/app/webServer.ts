/**
 * The big screen for any browser (the workshop's data_server.py on port 3008): serves the built
 * renderer, the HTTP API of contract 4 and the WebSocket pushes. No Electron here.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '@shared/csp';
import { CHANNELS, HTTP_ROUTES, type ChannelHandlers, type InvokeChannel } from '@shared/contract';
import { parseWith } from '@shared/schema';
import { WS_PATH, type ServerMessage } from '@shared/wire';
import { feedHandlers } from './feedHandlers';
import { isRequestAllowed } from './requestPolicy';
import { MySqlBurstError } from '../mysql/mysqlBurster';
import { BurstUnavailableError, type ScreenFeed } from './screenSource';

export interface WebServerOptions {
  feed: ScreenFeed;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string;
  host?: string;
  port?: number;
  /** Bearer token that lets other machines send bursts. */
  token?: string;
}

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
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  const sockets = new Set<Socket>();
  const unsubscribe: (() => void)[] = [];
  let server: Server | null = null;

  const verdictFor = (req: IncomingMessage) =>
    isRequestAllowed({
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://x').pathname,
      remoteAddress: req.socket.remoteAddress,
      host: req.headers.host,
      origin: req.headers.origin,
      authorization: req.headers.authorization,
      boundHost: host,
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
    const verdict = verdictFor(req);
    if (!verdict.allowed) return json(res, verdict.status, { error: verdict.reason });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
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
      if (err instanceof BurstUnavailableError) return json(res, 409, { error: err.message });
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

  return {
    async start() {
      server = createServer((req, res) => {
        handle(req, res).catch((err: unknown) => {
          if (!res.headersSent)
            json(res, 500, { error: err instanceof Error ? err.message : 'error' });
          else res.destroy();
        });
      });
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.on('upgrade', (req, socket, head) => {
        const verdict = verdictFor(req);
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (!verdict.allowed || path !== WS_PATH) {
          socket.end(`HTTP/1.1 ${verdict.allowed ? 404 : verdict.status} Refused\r\n\r\n`);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          ws.on('error', () => ws.terminate());
          // Browsers only listen; anything they send is ignored.
          ws.send(
            JSON.stringify({
              type: 'snapshot',
              snapshot: feed.snapshot(),
            } satisfies ServerMessage),
          );
          ws.send(
            JSON.stringify({ type: 'status', status: feed.status() } satisfies ServerMessage),
          );
        });
      });
      unsubscribe.push(
        feed.onBatch((batch) => broadcast({ type: 'batch', batch })),
        feed.onStatus((status) => broadcast({ type: 'status', status })),
        feed.onBurstProgress((progress) => broadcast({ type: 'burstProgress', progress })),
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
