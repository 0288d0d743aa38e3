import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../src/shared/wire';
import { EmbeddedPipeline } from '../../../src/main/app/embeddedPipeline';
import { BurstRouter } from '../../../src/main/app/burstRouter';
import { embeddedFeed } from '../../../src/main/app/screenSource';
import { createWebServer, type WebServer } from '../../../src/main/app/webServer';
import type { ScreenFeed } from '../../../src/main/app/screenSource';

const TZ = 'UTC';
let pipeline: EmbeddedPipeline;
let server: WebServer;
let port: number;
let url: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lwweb-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>livewall</title>');
  writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');
  pipeline = new EmbeddedPipeline({ timeZone: TZ, demoRate: 0, emitIntervalMs: 20, seed: 3 });
  pipeline.start();
  server = createWebServer({
    feed: embeddedFeed(pipeline, new BurstRouter(pipeline, null)),
    staticDir: dir,
    port: 0,
  });
  ({ port, url } = await server.start());
});
afterAll(async () => {
  pipeline.stop();
  await server.stop();
});

/** A raw request, so tests can set any Host or Origin header. */
function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    },
  );
}

describe('web server', () => {
  test('serves the screen with a strict CSP, and nothing outside its folder', async () => {
    const index = await call('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>livewall</title>');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await call('/../secret.txt')).status).not.toBe(200);
    expect((await call('/%2e%2e/secret.txt')).status).not.toBe(200);
    // These reach the guard undecoded (new URL keeps %2f and %5c): refused, not served or missed.
    expect((await call('/..%2fsecret.txt')).status).toBe(403);
    expect((await call('/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(403);
    expect((await call('/..%5csecret.txt')).status).toBe(400);
    expect((await call('/%5c..%5c..%5csecret.txt')).status).toBe(400);
    expect((await call('/nope.js')).status).toBe(404);
  });

  test('a burst over HTTP shows up in the snapshot exactly', async () => {
    const burst = await call('/api/burst', {
      method: 'POST',
      body: JSON.stringify({ orders: 250 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(burst.status).toBe(200);
    expect(JSON.parse(burst.body)).toEqual({ inserted: 250, updated: 0, failed: 0 });
    await expect
      .poll(async () => {
        const snap = JSON.parse((await call('/api/snapshot')).body) as {
          metrics: { name: string; window: string; dims: object; value: number }[];
        };
        return snap.metrics.find(
          (m) => m.name === 'orders' && m.window === '1d' && Object.keys(m.dims).length === 0,
        )?.value;
      })
      .toBe(250);
    const snap = JSON.parse((await call('/api/snapshot')).body);
    expect(Object.keys(snap).sort()).toEqual(['lastRecordAt', 'metrics', 'stale']);
    const status = JSON.parse((await call('/api/status')).body);
    expect(status).toMatchObject({
      source: 'embedded',
      state: 'ok',
      stats: { simulator: { inserted: 250 } },
    });
    expect(JSON.parse((await call('/healthz')).body)).toMatchObject({ ok: true });
  });

  test('burst targets: the embedded demo only; a MySQL burst without MySQL is refused with a sentence', async () => {
    expect(JSON.parse((await call('/api/burst/targets')).body)).toEqual([
      { id: 'embedded', label: 'Embedded demo' },
    ]);
    const res = await call('/api/burst', { method: 'POST', body: '{"orders":5,"target":"mysql"}' });
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body).error).toMatch(
      /^Bursts need somewhere to write orders: configure MySQL/,
    );
  });

  test.each([
    ['{"orders":0}', 400],
    ['{"orders":"many"}', 400],
    ['not json', 400],
    ['x'.repeat(70_000), 413],
  ])('a bad burst body %# gets a clear error', async (body, status) => {
    const res = await call('/api/burst', { method: 'POST', body });
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body).error).toMatch(/\w/);
  });

  test('refuses rebinding hosts and other origins, over HTTP and WebSocket', async () => {
    expect((await call('/api/snapshot', { headers: { host: 'evil.example:3008' } })).status).toBe(
      403,
    );
    expect(
      (
        await call('/api/burst', {
          method: 'POST',
          body: '{"orders":1}',
          headers: { origin: 'http://evil.example' },
        })
      ).status,
    ).toBe(403);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
      headers: { origin: 'http://evil.example' },
    });
    const refused = await new Promise<string>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('error'));
    });
    expect(refused).toBe('403');
  });

  test('a WebSocket gets the snapshot, the status, then batches of what changed', async () => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
    const messages: ServerMessage[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as ServerMessage));
    await new Promise((resolve) => ws.on('open', resolve));
    await expect.poll(() => messages.length).toBeGreaterThanOrEqual(2);
    expect(messages[0]?.channel).toBe('metrics.snapshot');
    expect(messages[1]?.channel).toBe('source.status');
    await call('/api/burst', { method: 'POST', body: '{"orders":3}' });
    await expect
      .poll(() => messages.filter((m) => m.channel === 'metrics.batch').length)
      .toBeGreaterThan(0);
    const progress = messages.filter((m) => m.channel === 'burst.progress');
    expect(progress.at(-1)).toEqual({
      channel: 'burst.progress',
      payload: {
        burstId: expect.any(Number),
        target: 'embedded',
        requested: 3,
        inserted: 3,
        updated: 0,
        failed: 0,
        pendingSteps: 0,
      },
    });
    const batch = messages.find((m) => m.channel === 'metrics.batch');
    expect(
      batch?.channel === 'metrics.batch' && batch.payload.records.some((r) => r.name === 'orders'),
    ).toBe(true);
    ws.close();
  });
});

/** Sends raw bytes over TCP and resolves with everything the server wrote once it closed. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (c: Buffer) => (got += c.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.write(bytes);
  });
}

describe('web server under hostile input', () => {
  test.each([
    [
      '//a:65536/ws',
      'GET //a:65536/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    ],
    [
      'http://[x]/ upgrade',
      'GET http://[x]/ HTTP/1.1\r\nHost: x\r\nUpgrade: anything\r\nConnection: Upgrade\r\n\r\n',
    ],
    ['http://[x]/ plain', 'GET http://[x]/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    [
      '//a:65536/api/snapshot plain',
      'GET //a:65536/api/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    ],
  ])(
    'a request target that is not a URL (%s) gets 400 and the server goes on',
    async (_n, bytes) => {
      const answer = await raw(bytes);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect((await call('/healthz')).status).toBe(200);
    },
  );
});

describe('web server failures', () => {
  test('with a token set, a burst from this machine needs it too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwweb-'));
    const other = createWebServer({
      feed: embeddedFeed(pipeline, new BurstRouter(pipeline, null)),
      staticDir: dir,
      port: 0,
      token: 's3cret',
    });
    const started = await other.start();
    try {
      const without = await fetch(`${started.url}/api/burst`, {
        method: 'POST',
        body: '{"orders":1}',
      });
      expect(without.status).toBe(401);
      expect(((await without.json()) as { error: string }).error).toMatch(
        /needs its token for bursts/,
      );
      const wrong = await fetch(`${started.url}/api/burst`, {
        method: 'POST',
        body: '{"orders":1}',
        headers: { authorization: 'Bearer s3cre' },
      });
      expect(wrong.status).toBe(401);
      const withToken = await fetch(`${started.url}/api/burst`, {
        method: 'POST',
        body: '{"orders":1}',
        headers: { authorization: 'Bearer s3cret' },
      });
      expect(withToken.status).toBe(200);
      expect((await fetch(`${started.url}/api/snapshot`)).status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  test('a 500 answers a generic sentence and logs the detail', async () => {
    const logged: string[] = [];
    const broken = {
      ...embeddedFeed(pipeline, new BurstRouter(pipeline, null)),
      snapshot: () => {
        throw new Error('connect ECONNREFUSED db.internal:5439 user=admin');
      },
    } satisfies ScreenFeed;
    const dir = mkdtempSync(join(tmpdir(), 'lwweb-'));
    const other = createWebServer({
      feed: broken,
      staticDir: dir,
      port: 0,
      log: (line) => logged.push(line),
    });
    const started = await other.start();
    try {
      const res = await fetch(`${started.url}/api/snapshot`);
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(body).not.toContain('ECONNREFUSED');
      expect(body).not.toContain('db.internal');
      expect(JSON.parse(body).error).toMatch(/^The livewall server failed/);
      expect(logged.join('\n')).toContain('ECONNREFUSED db.internal');
    } finally {
      await other.stop();
    }
  });
});

describe('web server under heavy input', () => {
  test('ten simultaneous bursts of 100 000: one runs, nine are refused at once with what runs', async () => {
    // A demo target that holds its burst until the test lets it end: no timing involved.
    let release: () => void = () => undefined;
    let runs = 0;
    const held = {
      burst: (orders: number, onProgress?: (done: number, total: number) => void) => {
        runs++;
        onProgress?.(37_000, orders);
        return new Promise((resolve) => {
          release = () => resolve({ inserted: orders, updated: 0, failed: 0 });
        });
      },
    } as unknown as EmbeddedPipeline;
    const dir = mkdtempSync(join(tmpdir(), 'lwweb-'));
    const other = createWebServer({
      feed: embeddedFeed(pipeline, new BurstRouter(held, null)),
      staticDir: dir,
      port: 0,
    });
    const started = await other.start();
    try {
      const post = () =>
        fetch(`${started.url}/api/burst`, { method: 'POST', body: '{"orders":100000}' }).then(
          async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
        );
      const answered: { status: number; body: Record<string, unknown> }[] = [];
      const all = Array.from({ length: 10 }, () => post().then((a) => answered.push(a)));
      await expect.poll(() => answered.length).toBe(9);
      for (const r of answered) {
        expect(r.status).toBe(409);
        expect(r.body.error).toBe(
          'A burst of 100 000 demo orders is running (37 000 sent); wait for it to finish.',
        );
      }
      release();
      await Promise.all(all);
      expect(answered.filter((a) => a.status === 200).map((a) => a.body)).toEqual([
        { inserted: 100_000, updated: 0, failed: 0 },
      ]);
      // Once it is done, the next burst runs.
      expect(runs).toBe(1);
      const next = post();
      await expect.poll(() => runs).toBe(2);
      release();
      expect((await next).status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  test('slow-header clients are cut off while the server keeps answering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwweb-'));
    const other = createWebServer({
      feed: embeddedFeed(pipeline, new BurstRouter(pipeline, null)),
      staticDir: dir,
      port: 0,
      limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 },
    });
    const started = await other.start();
    try {
      const closed = Array.from(
        { length: 30 },
        () =>
          new Promise<void>((resolve) => {
            const s = connect(started.port, '127.0.0.1');
            s.on('error', () => undefined);
            s.on('close', () => resolve());
            s.resume(); // reads the 408, so the server's close reaches 'close'
            // A head that never ends.
            s.write('GET /api/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
          }),
      );
      const res = await fetch(`${started.url}/healthz`);
      expect(res.status).toBe(200);
      await Promise.all(closed);
    } finally {
      await other.stop();
    }
  });

  test('WebSocket clients over the cap get 503; one that does not answer pings is dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwweb-'));
    const other = createWebServer({
      feed: embeddedFeed(pipeline, new BurstRouter(pipeline, null)),
      staticDir: dir,
      port: 0,
      limits: { maxWebSockets: 2, pingIntervalMs: 50 },
    });
    const started = await other.start();
    const wsUrl = `${started.url.replace('http', 'ws')}/ws`;
    let pings = 0;
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(wsUrl);
        ws.on('ping', () => pings++);
        ws.on('open', () => resolve(ws));
        ws.on('error', reject);
      });
    try {
      // A raw socket that completes the handshake and then never answers a ping: dropped.
      const deaf = connect(started.port, '127.0.0.1');
      const deafClosed = new Promise<string>((resolve) => {
        let got = '';
        deaf.on('data', (c: Buffer) => (got += c.toString('latin1')));
        deaf.on('close', () => resolve(got));
      });
      deaf.write(
        'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      expect(await deafClosed).toMatch(/^HTTP\/1\.1 101 /);
      const a = await open();
      const b = await open();
      const third = await new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl);
        ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.on('open', () => resolve('open'));
        ws.on('error', () => resolve('error'));
      });
      expect(third).toBe('503');
      // `ws` answers pings itself: live clients stay through several pings.
      await expect.poll(() => pings).toBeGreaterThan(3);
      expect([a.readyState, b.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
      b.close();
      a.close();
    } finally {
      await other.stop();
    }
  });
});
