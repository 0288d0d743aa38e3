/**
 * The browser transport against a real WebSocket server (the `ws` package on both ends; a browser's
 * WebSocket has the same event API) and a fake fetch.
 */
import { createServer } from 'node:http';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type {
  BurstProgress,
  BurstTarget,
  HealthCheck,
  MetricBatch,
  FeedStatus,
} from '@shared/contracts';
import {
  PASSWORD_APP_ONLY,
  createWebSocketApi,
  type SocketLike,
  type WebSocketApi,
} from '../../../src/renderer/src/api/webSocketApi';
import { PUSH_CHANNELS } from '@shared/channels';
import { waitFor } from '../../support/poll';
import { PUSH_SAMPLES } from '../../support/pushSamples';
import { burstProgress, rec } from '../fixtures';

const good = rec('orders', 3, { dims: { city: '上海' } });
const snapshot = { metrics: [good], lastRecordAt: 10, stale: false };
const okStatus: FeedStatus = { source: 'embedded', state: 'ok', message: null };
const targets: BurstTarget[] = [
  { id: 'embedded', label: 'Embedded demo table' },
  { id: 'mysql', label: 'MySQL shop@10.0.0.5:3306/demo' },
];
const progress = (inserted: number): BurstProgress =>
  burstProgress({ inserted, updated: 0, pendingSteps: 2 });

interface FetchCall {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(answers: Record<string, () => Response>, calls: FetchCall[] = []) {
  return async (url: string, init?: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const path = new URL(url).pathname;
    const answer = answers[path];
    if (!answer) throw new TypeError('fetch failed');
    return answer();
  };
}

const json =
  (body: unknown, status = 200) =>
  (): Response =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const until = (check: () => boolean, what: string, ms = 5_000): Promise<void> =>
  waitFor(what, check, { timeoutMs: ms, intervalMs: 10 });

const quiet = { warn: () => undefined, error: () => undefined };
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

describe('WebSocket transport', () => {
  test('skips malformed pushes, reconnects with backoff, completes state from the snapshot', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => server.close());
    await new Promise<void>((r) => server.once('listening', () => r()));
    const { port } = server.address() as { port: number };
    let connections = 0;
    const paths: string[] = [];
    server.on('connection', (socket, req) => {
      connections++;
      paths.push(req.url ?? '');
      socket.send(JSON.stringify({ channel: 'metrics.snapshot', payload: snapshot }));
      if (connections === 1) {
        socket.send('{"channel":"metrics.batch"');
        socket.send(JSON.stringify({ channel: 'nope' }));
        socket.send(
          JSON.stringify({
            channel: 'metrics.batch',
            payload: { records: [{ name: 1 }], lastRecordAt: null, stale: false },
          }),
        );
        socket.send(
          JSON.stringify({
            channel: 'metrics.batch',
            payload: {
              records: [{ ...good, value: 4, occur: good.occur + 1 }],
              lastRecordAt: 11,
              stale: false,
            },
          }),
        );
        socket.send(JSON.stringify({ channel: 'source.status', payload: okStatus }));
      }
    });

    const api: WebSocketApi = createWebSocketApi(
      { protocol: 'http:', host: `127.0.0.1:${port}` },
      {
        openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
        fetch: fakeFetch({ '/api/status': json(okStatus) }),
        baseDelayMs: 100,
        maxDelayMs: 400,
        random: () => 0.5,
        log: quiet,
      },
    );
    cleanup.push(() => api.close());
    const batches: MetricBatch[] = [];
    const statuses: FeedStatus[] = [];
    // Nobody asks for the snapshot here: it completes the state as a batch, on each connection.
    api.on('metrics.batch', (b) => batches.push(b));
    api.on('source.status', (s) => statuses.push(s));

    await until(() => batches.length === 2 && statuses.length > 0, 'the first pushes');
    expect(paths).toEqual(['/ws']);
    expect(api.malformed).toBe(3);
    expect(batches[0]).toEqual({ records: [good], lastRecordAt: 10, stale: false });
    expect(batches[1]!.records[0]!.value).toBe(4);

    // The server drops the connection: the screen is told, then the state is completed again.
    for (const client of server.clients) client.terminate();
    await until(() => statuses.some((s) => s.state === 'connecting'), 'the connecting status');
    expect(statuses.find((s) => s.state === 'connecting')).toEqual({
      source: 'web',
      state: 'connecting',
      message: 'Connection to the livewall server lost; retrying in 1 s',
    });
    await until(() => batches.length === 3, 'the snapshot after reconnecting');
    expect(connections).toBe(2);
    expect(batches[2]).toEqual({ records: [good], lastRecordAt: 10, stale: false });
    await until(() => statuses.at(-1)?.state === 'ok', 'the status after reconnecting');
  });

  test('the snapshot comes once, from the socket; a later ask goes over HTTP', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => server.close());
    await new Promise<void>((r) => server.once('listening', () => r()));
    const { port } = server.address() as { port: number };
    const later = {
      metrics: [{ ...good, value: 9, occur: good.occur + 5 }],
      lastRecordAt: 15,
      stale: false,
    };
    server.on('connection', (socket) => {
      socket.send('{"channel":"metrics.snapshot","payload":{"metrics":"no"}}');
      socket.send(
        JSON.stringify({ channel: 'metrics.snapshot', payload: { ...snapshot, language: 'en' } }),
      );
      socket.send(
        JSON.stringify({
          channel: 'metrics.batch',
          payload: {
            records: [{ ...good, value: 4, occur: good.occur + 1 }],
            lastRecordAt: 11,
            stale: false,
          },
        }),
      );
    });
    const calls: FetchCall[] = [];
    let answer: () => Response = json(later);
    const api = createWebSocketApi(
      { protocol: 'http:', host: `127.0.0.1:${port}` },
      {
        openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
        fetch: fakeFetch({ '/api/snapshot': () => answer(), '/api/status': json(okStatus) }, calls),
        baseDelayMs: 50,
        maxDelayMs: 50,
        log: quiet,
      },
    );
    cleanup.push(() => api.close());
    const batches: MetricBatch[] = [];
    api.on('metrics.batch', (b) => batches.push(b));
    // Asked before the socket speaks: the socket's own snapshot answers, language and all.
    expect(await api.getSnapshot()).toEqual({ ...snapshot, language: 'en' });
    await until(() => batches.length === 1, 'the batch after the snapshot');
    // Once: not also as a batch, and not over HTTP.
    expect(batches.map((b) => b.lastRecordAt)).toEqual([11]);
    expect(calls.filter((c) => c.url.endsWith('/api/snapshot'))).toEqual([]);
    expect(api.malformed).toBe(1);

    // The socket already follows every push: a later ask goes over HTTP, its errors as sentences.
    expect(await api.getSnapshot()).toEqual(later);
    answer = json({ metrics: 'no' });
    await expect(api.getSnapshot()).rejects.toThrow('snapshot: "metrics" must be an array');
    expect(calls.filter((c) => c.url.endsWith('/api/snapshot'))).toHaveLength(2);

    // A new connection's snapshot, nobody asking, completes the state as a batch.
    for (const client of server.clients) client.terminate();
    await until(() => batches.length === 3, 'the snapshot and batch of the new connection');
    expect(batches.map((b) => b.lastRecordAt)).toEqual([11, 10, 11]);
  });

  test.each(PUSH_CHANNELS)('a %s push reaches its listeners, by its name', async (channel) => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => server.close());
    await new Promise<void>((r) => server.once('listening', () => r()));
    const { port } = server.address() as { port: number };
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ channel: 'metrics.snapshot', payload: snapshot }));
      socket.send(JSON.stringify({ channel, payload: PUSH_SAMPLES[channel] }));
    });
    const api = createWebSocketApi(
      { protocol: 'http:', host: `127.0.0.1:${port}` },
      {
        openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
        fetch: fakeFetch({ '/api/status': json(okStatus) }),
        log: quiet,
      },
    );
    cleanup.push(() => api.close());
    const got: unknown[] = [];
    const others: unknown[] = [];
    api.on(channel, (p) => got.push(p));
    for (const c of PUSH_CHANNELS) if (c !== channel) api.on(c, (p) => others.push(p));
    await api.getSnapshot();
    await until(
      () => got.some((p) => JSON.stringify(p) === JSON.stringify(PUSH_SAMPLES[channel])),
      'the push',
    );
    expect(others.map((p) => JSON.stringify(p))).not.toContain(
      JSON.stringify(PUSH_SAMPLES[channel]),
    );
  });

  test('a closed client refuses a snapshot still awaited', async () => {
    const api = createWebSocketApi(
      { protocol: 'http:', host: 'screen.local' },
      {
        openSocket: () => ({ addEventListener: () => undefined, close: () => undefined }),
        fetch: fakeFetch({}),
        log: quiet,
      },
    );
    const waiting = api.getSnapshot();
    api.close();
    await expect(waiting).rejects.toThrow('The livewall client was closed.');
  });

  test('keeps retrying while the server is down, with growing delays', () => {
    // In fake time: the delays are the transport's choice, not the machine's speed.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    cleanup.push(() => vi.useRealTimers());
    const statuses: FeedStatus[] = [];
    // Each socket's failure, fired by the test as a browser's does when nothing listens.
    const failures: (() => void)[] = [];
    const failLatest = (): void => failures.at(-1)!();
    let opened = 0;
    const api = createWebSocketApi(
      { protocol: 'https:', host: 'livewall.invalid' },
      {
        openSocket: (url) => {
          opened++;
          expect(url).toBe('wss://livewall.invalid/ws');
          const listeners: Record<string, (() => void)[]> = {};
          failures.push(() => listeners.close?.forEach((l) => l()));
          return {
            addEventListener: (type: string, l: () => void) => {
              (listeners[type] ??= []).push(l);
            },
            close: () => undefined,
          } as SocketLike;
        },
        fetch: fakeFetch({}),
        baseDelayMs: 20,
        maxDelayMs: 80,
        random: () => 0.5,
        log: quiet,
      },
    );
    cleanup.push(() => api.close());
    api.on('source.status', (s) => statuses.push(s));
    expect(opened).toBe(1);
    failLatest();
    // 20 ms, 40 ms, then capped at 80 ms (jitter is neutral at random 0.5).
    for (const delay of [20, 40, 80, 80]) {
      const before = opened;
      vi.advanceTimersByTime(delay - 1);
      expect(opened).toBe(before);
      vi.advanceTimersByTime(1);
      expect(opened).toBe(before + 1);
      failLatest();
    }
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s.state === 'connecting' && s.source === 'web')).toBe(true);
    // Closed, nothing is left to fire: no retry and no countdown.
    api.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(opened).toBe(5);
  });

  test('requests over HTTP: burst, status; errors become sentences', async () => {
    const calls: FetchCall[] = [];
    const api = createWebSocketApi(
      { protocol: 'http:', host: 'screen.local:3008' },
      {
        openSocket: () => {
          throw new Error('not used');
        },
        fetch: fakeFetch(
          {
            '/api/burst': json({ inserted: 100, updated: 0, failed: 0 }),
            '/api/status': json(okStatus),
          },
          calls,
        ),
        log: quiet,
      },
    );
    expect(await api.burst({ orders: 100 })).toEqual({ inserted: 100, updated: 0, failed: 0 });
    expect(await api.getStatus()).toEqual(okStatus);
    expect(calls.map((c) => [c.url, c.init?.method ?? 'GET'])).toEqual([
      ['http://screen.local:3008/api/burst', 'POST'],
      ['http://screen.local:3008/api/status', 'GET'],
    ]);
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ orders: 100 });

    const refusing = createWebSocketApi(
      { protocol: 'http:', host: 'screen.local' },
      {
        fetch: fakeFetch({
          '/api/burst': json({ error: 'Bursts are allowed from this machine only.' }, 403),
        }),
        log: quiet,
      },
    );
    await expect(refusing.burst({ orders: 5 })).rejects.toThrow(
      'Bursts are allowed from this machine only.',
    );
    await expect(refusing.getStatus()).rejects.toThrow('cannot be reached');
  });

  test('burst targets over HTTP; a burst sends its target; a refusal shows the server sentence', async () => {
    const calls: FetchCall[] = [];
    const api = createWebSocketApi(
      { protocol: 'http:', host: 'screen.local' },
      {
        fetch: fakeFetch(
          {
            '/api/burst/targets': json(targets),
            '/api/burst': json(
              { error: 'MySQL is not reachable: connect ECONNREFUSED 10.0.0.5:3306.' },
              409,
            ),
          },
          calls,
        ),
        log: quiet,
      },
    );
    expect(await api.getBurstTargets()).toEqual(targets);
    expect(calls[0]!.url).toBe('http://screen.local/api/burst/targets');
    await expect(api.burst({ orders: 1000, target: 'mysql' })).rejects.toThrow(
      'MySQL is not reachable: connect ECONNREFUSED 10.0.0.5:3306.',
    );
    expect(JSON.parse(String(calls[1]!.init?.body))).toEqual({ orders: 1000, target: 'mysql' });

    const broken = createWebSocketApi(
      { protocol: 'http:', host: 'screen.local' },
      {
        fetch: fakeFetch({
          '/api/burst/targets': json([{ id: 'oracle', label: 'Oracle' }]),
          '/api/burst': json({}, 409),
        }),
        log: quiet,
      },
    );
    await expect(broken.getBurstTargets()).rejects.toThrow(
      'burst targets: item 0 "id" must be "embedded" or "mysql"',
    );
    // Without a sentence in the body, the status says what happened.
    await expect(broken.burst({ orders: 1 })).rejects.toThrow(
      'The livewall server answered 409 to /api/burst.',
    );
  });

  test('a browser cannot set the MySQL password, and nothing is sent', async () => {
    const calls: FetchCall[] = [];
    const api = createWebSocketApi(
      { protocol: 'http:', host: 'screen.local' },
      { fetch: fakeFetch({}, calls), log: quiet },
    );
    await expect(api.setMySqlPassword({ password: 'hunter2' })).rejects.toThrow(PASSWORD_APP_ONLY);
    expect(PASSWORD_APP_ONLY).toBe(
      'The MySQL password can be set in the livewall app only; for a browser, set LIVEWALL_MYSQL_PASSWORD where livewall web runs.',
    );
    expect(calls).toEqual([]);
  });

  test('burst progress pushes reach their listeners; malformed ones are counted and skipped', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => server.close());
    await new Promise<void>((r) => server.once('listening', () => r()));
    const { port } = server.address() as { port: number };
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ channel: 'burst.progress', payload: progress(100) }));
      socket.send(
        JSON.stringify({ channel: 'burst.progress', payload: { ...progress(200), target: 'x' } }),
      );
      socket.send(JSON.stringify({ channel: 'burst.progress' }));
      socket.send(JSON.stringify({ channel: 'burst.progress', payload: progress(640) }));
    });

    const api = createWebSocketApi(
      { protocol: 'http:', host: `127.0.0.1:${port}` },
      {
        openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
        fetch: fakeFetch({ '/api/status': json(okStatus) }),
        log: quiet,
      },
    );
    cleanup.push(() => api.close());
    const seen: BurstProgress[] = [];
    const other: BurstProgress[] = [];
    // Subscribing to progress alone opens the socket.
    api.on('burst.progress', (p) => seen.push(p));
    const off = api.on('burst.progress', (p) => other.push(p));
    off();
    await until(() => seen.length === 2, 'two progress pushes');
    expect(seen.map((p) => p.inserted)).toEqual([100, 640]);
    expect(seen[1]).toEqual(progress(640));
    expect(other).toEqual([]);
    await until(() => api.malformed === 2, 'the malformed count');
  });

  test('runHealth asks GET /api/health of a real HTTP server, with the default fetch', async () => {
    const checks: HealthCheck[] = [
      {
        stage: 'embedded pipeline',
        ok: true,
        detail: 'The in-process pipeline computes metrics.',
        // The schema keeps the words, so a screen in Chinese words the check itself.
        words: { code: 'embedded-ok', orders: 3 },
      },
      {
        stage: 'mysql shop@10.0.0.5:3306/demo',
        ok: false,
        detail: 'MySQL refused the connection (ECONNREFUSED): is it running on 10.0.0.5:3306?',
      },
    ];
    // What the server answers next, by path; anything else is a 404 with a sentence.
    let answer: { status: number; body: string } = { status: 200, body: JSON.stringify(checks) };
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const { status, body } =
        req.url === '/api/health'
          ? answer
          : { status: 404, body: JSON.stringify({ error: `no such endpoint ${req.url}` }) };
      // The probes take a while: the answer must be awaited, not raced.
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      }, 50);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => server.close());
    const { port } = server.address() as { port: number };
    const api = createWebSocketApi(
      { protocol: 'http:', host: `127.0.0.1:${port}` },
      { log: quiet },
    );

    expect(await api.runHealth()).toEqual(checks);
    expect(seen).toEqual(['GET /api/health']);

    // A non-2xx answer shows the server's own sentence.
    answer = {
      status: 500,
      body: JSON.stringify({ error: 'The health checks could not run: config unreadable.' }),
    };
    await expect(api.runHealth()).rejects.toThrow(
      'The health checks could not run: config unreadable.',
    );
    // Without a sentence, the status says what happened.
    answer = { status: 503, body: 'busy' };
    await expect(api.runHealth()).rejects.toThrow(
      'The livewall server answered 503 to /api/health.',
    );
    // A 2xx answer that is not a list of checks is refused with the parser's sentence.
    answer = { status: 200, body: JSON.stringify([{ stage: 'mysql', ok: 'yes', detail: '' }]) };
    await expect(api.runHealth()).rejects.toThrow('health checks: item 0 "ok" must be a boolean');
    answer = { status: 200, body: '' };
    await expect(api.runHealth()).rejects.toThrow(
      'The livewall server sent no JSON for /api/health.',
    );

    await new Promise<void>((r) => server.close(() => r()));
    await expect(api.runHealth()).rejects.toThrow(
      'The livewall server cannot be reached (/api/health).',
    );
  });

  test('runHealth with a fake fetch: the path, and an older server without the endpoint', async () => {
    const calls: FetchCall[] = [];
    const api = createWebSocketApi(
      { protocol: 'https:', host: 'wall.example:8443' },
      {
        fetch: fakeFetch(
          { '/api/health': json({ error: 'no such endpoint /api/health' }, 404) },
          calls,
        ),
        log: quiet,
      },
    );
    await expect(api.runHealth()).rejects.toThrow('no such endpoint /api/health');
    expect(calls.map((c) => [c.url, c.init?.method ?? 'GET', c.init?.cache])).toEqual([
      ['https://wall.example:8443/api/health', 'GET', 'no-store'],
    ]);
  });
});
