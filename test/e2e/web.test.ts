/**
 * The "done when", tried as a user would: `bin/livewall web` on the embedded default,
 * its HTTP API, and the big screen in Debian's Chromium.
 */
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MetricRecord, Snapshot } from '../../src/shared/contracts';
import { useChromium } from '../support/lifecycle';
import { freePort } from '../support/ports';
import { ROOT, runLivewall, spawnLivewall } from '../support/livewall';
import { waitFor, type ManagedProcess } from '../support/processes';

const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const browser = useChromium();
let web: ManagedProcess;
let base: string;

interface Status {
  stats: {
    simulator: { inserted: number; background: { inserted: number }; bursts: { inserted: number } };
  };
}

const getJson = async <T>(path: string): Promise<T> =>
  (await (await fetch(base + path)).json()) as T;

/** Today's total: the `orders` 1d {} record of the newest day. */
function ordersToday(metrics: MetricRecord[]): number {
  const totals = metrics.filter(
    (m) => m.name === 'orders' && m.window === '1d' && Object.keys(m.dims).length === 0,
  );
  return totals.sort((a, b) => b.start - a.start)[0]?.value ?? 0;
}

/**
 * A moment where the screen's state has caught up with the simulator: today's orders total equals
 * every order inserted so far, with no insert between the two status reads around the snapshot.
 * The pipeline is asynchronous, so such a moment is polled for, never slept toward.
 */
async function caughtUp(): Promise<{ orders: number; background: number; burst: number }> {
  let found: { orders: number; background: number; burst: number } | null = null;
  await waitFor(
    'the screen state to catch up with the simulator',
    async () => {
      const before = await getJson<Status>('/api/status');
      const snap = await getJson<Snapshot>('/api/snapshot');
      const after = await getJson<Status>('/api/status');
      const sim = before.stats.simulator;
      if (
        sim.inserted !== after.stats.simulator.inserted ||
        ordersToday(snap.metrics) !== sim.inserted
      )
        return false;
      found = {
        orders: ordersToday(snap.metrics),
        background: sim.background.inserted,
        burst: sim.bursts.inserted,
      };
      return true;
    },
    { timeoutMs: 30_000, intervalMs: 20, process: web },
  );
  if (!found) throw new Error('unreachable');
  return found;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = spawnLivewall(['web', '--port', String(port), '--demo-rate', '2']);
  await waitFor('livewall web to listen', async () => (await fetch(`${base}/healthz`)).ok, {
    timeoutMs: 20_000,
    process: web,
  });
});

afterAll(async () => {
  await web?.stop();
});

describe('bin/livewall web on the embedded default', () => {
  // How soon the first orders show is a figure of npm run bench (embedded: first orders), not a test.
  test("the snapshot fills with today's records, and today's orders total grows", async () => {
    await waitFor(
      'orders in the snapshot',
      async () => ordersToday((await getJson<Snapshot>('/api/snapshot')).metrics) > 0,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    const snap = await getJson<Snapshot>('/api/snapshot');
    expect(snap.stale).toBe(false);
    expect(snap.lastRecordAt).not.toBeNull();
    const first = ordersToday(snap.metrics);
    await waitFor(
      'the orders total to grow',
      async () => ordersToday((await getJson<Snapshot>('/api/snapshot')).metrics) > first,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
  });

  test('the big screen shows live numbers, and a burst of 1 000 from its panel adds exactly 1 000', async () => {
    const page = await browser().newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // The snapshot comes once, as the socket's first message: not also over HTTP.
    const snapshotRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/snapshot') snapshotRequests.push(r.url());
    });
    const socketChannels: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        socketChannels.push((JSON.parse(String(payload)) as { channel: string }).channel);
      }),
    );
    await page.goto(base);
    const tile = page.getByTestId('kpi-orders');
    await expect
      .poll(async () => Number((await tile.textContent())?.replace(/[^\d]/g, '') || 0), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    expect(socketChannels[0]).toBe('metrics.snapshot');
    expect(socketChannels.filter((c) => c === 'metrics.snapshot')).toHaveLength(1);
    expect(snapshotRequests).toEqual([]);
    const shown = await tile.textContent();
    await expect.poll(async () => tile.textContent(), { timeout: 10_000 }).not.toBe(shown);
    for (const id of ['kpi-gmv', 'kpi-aov']) {
      await expect
        .poll(
          async () =>
            Number((await page.getByTestId(id).textContent())?.replace(/[^\d.]/g, '') || 0),
          { timeout: 20_000 },
        )
        .toBeGreaterThan(0);
    }

    const before = await caughtUp();
    await page.getByTestId('burst-1000').click();
    await expect
      .poll(async () => page.getByTestId('burst-result').textContent(), { timeout: 30_000 })
      .toMatch(/inserted 1[\s,]?000\b/);
    const after = await caughtUp();
    expect(after.burst - before.burst).toBe(1_000);
    expect(after.orders - before.orders).toBe(1_000 + (after.background - before.background));
    // The tile shows the state's number once the screen has the push.
    await expect
      .poll(async () => Number((await tile.textContent())?.replace(/[^\d]/g, '')), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(after.orders);

    await expect.poll(async () => page.getByTestId('freshness').textContent()).toMatch(/\d/);
    // The health panel probes the embedded pipeline and says it works.
    await page.getByTestId('health-open').click();
    await expect.poll(() => page.getByTestId('health-check').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('health-check').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('health-check').getAttribute('data-stage')).toBe(
      'embedded pipeline',
    );
    // Its name from the catalogue (zh+en by default), the server's sentence beside it.
    expect(await page.getByTestId('health-check').textContent()).toContain('内置演示 embedded');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('health-panel').count()).toBe(0);
    expect(await page.getByTestId('stale-banner').count()).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'big-screen-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a flood of ten bursts of 100 000: one runs, nine are refused with a sentence, the server answers throughout', async () => {
    const answers = Array.from({ length: 10 }, () =>
      fetch(`${base}/api/burst`, { method: 'POST', body: '{"orders":100000}' }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error?: string },
      })),
    );
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const all = await Promise.all(answers);
    expect(all.filter((a) => a.status === 200)).toHaveLength(1);
    const refused = all.filter((a) => a.status === 409);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expect(r.body.error).toMatch(
        /^A burst of 100 000 demo orders is running \(\d[\d ]* sent\); wait for it to finish\.$/,
      );
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 240_000);

  test('the CLI says plainly what it cannot do yet, and refuses bad usage', async () => {
    const run = (args: string[]) => runLivewall(args);
    const badFlag = await run(['health', '--frobnicate']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.output).toContain('livewall health: unknown option --frobnicate');
    const noStream = await run(['tail']);
    expect(noStream.code).toBe(2);
    expect(noStream.output).toContain('tail takes one stream name');
    const bad = await run(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('unknown command "frobnicate"');
    const taken = await run(['web', '--port', new URL(base).port]);
    expect(taken).toMatchObject({ code: 1 });
    expect(taken.output).toContain(
      `livewall web: port ${new URL(base).port} on 127.0.0.1 is in use: choose another with --port`,
    );
    const port = await run(['web', '--port', 'abc']);
    expect(port).toMatchObject({ code: 2 });
    expect(port.output).toContain('--port must be a number from 0 to 65535');
  });
});

/** Raw bytes to a port; resolves with all the server wrote once the connection closed. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.write(bytes);
  });
}

describe('bin/livewall web bound off loopback without a token, under hostile input', () => {
  let open: ManagedProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    const env = { ...process.env };
    delete env.LIVEWALL_TOKEN;
    open = spawnLivewall(
      [
        'web',
        '--host',
        '0.0.0.0',
        '--port',
        String(port),
        '--demo-rate',
        '0',
        '--hostname',
        'wall.test',
      ],
      {
        env,
        name: 'livewall web 0.0.0.0',
      },
    );
    await waitFor(
      'livewall web on 0.0.0.0 to listen',
      async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
      { timeoutMs: 20_000, process: open },
    );
  });
  afterAll(async () => {
    await open?.stop();
  });

  test('malformed upgrades get 400 and the server goes on answering', async () => {
    const upgrade =
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    expect(
      await rawExchange(port, `GET //a:65536/ws HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgrade}`),
    ).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawExchange(port, `GET http://[x]/ HTTP/1.1\r\nHost: x\r\n${upgrade}`)).toMatch(
      /^HTTP\/1\.1 400 /,
    );
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  test('a rebinding Host gets nothing; reads work; bursts are refused with how to set the token', async () => {
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    const answer = (bytes: string): Promise<string> => rawExchange(port, bytes);
    const read = await answer(
      `GET /api/snapshot HTTP/1.1\r\nHost: ${rebound.host}\r\nConnection: close\r\n\r\n`,
    );
    expect(read).toMatch(/^HTTP\/1\.1 403 /);
    // A name given with --hostname is this server's.
    expect(
      await answer(
        `GET /api/snapshot HTTP/1.1\r\nHost: wall.test:${port}\r\nConnection: close\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1\.1 200 /);
    const burst = await answer(
      `POST /api/burst HTTP/1.1\r\nHost: ${rebound.host}\r\nOrigin: ${rebound.origin}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"orders":1}',
    );
    expect(burst).toMatch(/^HTTP\/1\.1 403 /);
    expect((await fetch(`http://127.0.0.1:${port}/api/snapshot`)).status).toBe(200);
    const local = await fetch(`http://127.0.0.1:${port}/api/burst`, {
      method: 'POST',
      body: '{"orders":1}',
    });
    expect(local.status).toBe(403);
    expect(((await local.json()) as { error: string }).error).toMatch(
      /serves reads only: start livewall web with LIVEWALL_TOKEN/,
    );
    expect(open.output()).toContain('serves reads only');
  });

  test('30 slow-header clients are cut off while the server keeps answering', async () => {
    const closed = Array.from(
      { length: 30 },
      () =>
        new Promise<void>((resolve) => {
          const s = connect(port, '127.0.0.1');
          s.on('error', () => undefined);
          s.on('close', () => resolve());
          s.resume();
          s.write('GET /api/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
        }),
    );
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await Promise.all(closed);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
