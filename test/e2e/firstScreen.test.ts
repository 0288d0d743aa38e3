/**
 * The first screen a new user sees (issue 21), in Chromium on the built screen: today comes from
 * the clock (a 9999-12-31 order is not today's), the tiles' "—" and 0, a GMV ranking of cities
 * with GMV, the trend's present as the last 60 s, health details in Chinese and the engine named.
 * The data rules are fed through a stand-in bridge; the health panel is the real embedded one.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MetricRecord } from '../../src/shared/contracts';
import { launchChromium } from '../support/chromium';
import { spawnLivewall } from '../support/livewall';
import { freePort } from '../support/ports';
import { waitFor, type ManagedProcess } from '../support/processes';

let browser: Browser;
let web: { url: string; proc: ManagedProcess };

beforeAll(async () => {
  browser = await launchChromium();
  const dir = mkdtempSync(join(tmpdir(), 'lw-first-'));
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'livewall.config.json');
  writeFileSync(config, JSON.stringify({ language: 'zh' }));
  const port = await freePort();
  const proc = spawnLivewall(
    ['web', '--config', config, '--port', String(port), '--state-dir', join(dir, 'state')],
    { cwd: dir, name: 'livewall web (zh)' },
  );
  const url = `http://127.0.0.1:${port}/`;
  await waitFor('livewall web (zh)', async () => (await fetch(`${url}healthz`)).ok, {
    timeoutMs: 20_000,
    process: proc,
  });
  web = { url, proc };
});

afterAll(async () => {
  await web?.proc.stop();
  await browser?.close();
});

const MINUTE = 60_000;

/** Today's start in the browser's zone (the same machine's), and a record of it. */
function today(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
const rec = (
  name: string,
  value: number,
  start: number,
  window: '1d' | '1m' = '1d',
  dims: MetricRecord['dims'] = {},
): MetricRecord => ({
  name,
  value,
  occur: Math.min(Date.now(), start + 1000),
  window,
  start,
  dims,
});

/** A stand-in bridge serving these records, then `push` every second (plain JavaScript). */
function bridge(metrics: MetricRecord[], language: string, push?: string): string {
  return `(function () {
  var m = ${JSON.stringify(metrics)};
  var listeners = [];
  ${push ? `setInterval(function () { var records = (${push})(); listeners.forEach(function (l) { l({ records: records, lastRecordAt: Date.now(), stale: false }); }); }, 250);` : ''}
  window.livewall = {
    getSnapshot: function () { return Promise.resolve({ metrics: m, lastRecordAt: Date.now(), stale: false, language: ${JSON.stringify(language)} }); },
    burst: function (r) { return Promise.resolve({ inserted: r.orders, updated: 0, failed: 0 }); },
    getStatus: function () { return Promise.resolve({ source: 'kinesis', state: 'ok', message: null, engine: { kind: 'flink', detail: 'Flink 1.19.3', since: null } }); },
    runHealth: function () { return Promise.resolve([]); },
    getBurstTargets: function () { return Promise.resolve([{ id: 'embedded', label: 'embedded demo table' }]); },
    setMySqlPassword: function () { return Promise.resolve({ saved: false, message: '' }); },
    on: function (channel, l) { if (channel !== 'metrics.batch') return function () {}; listeners.push(l); return function () {}; },
  };
})();`;
}

async function open(init: string, w = 1920, h = 1080): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: w, height: h }, deviceScaleFactor: 1 });
  await page.addInitScript({ content: init });
  await page.goto(web.url);
  await expect.poll(() => page.getByTestId('kpi-orders').count(), { timeout: 20_000 }).toBe(1);
  return page;
}

const tile = (page: Page, id: string): Promise<string> =>
  page
    .getByTestId(id)
    .textContent()
    .then((t) => t ?? '');

describe('the first screen', () => {
  // Issue 24 finding 2: one insert dated 9999-12-31 made the screen "GMV today ¥10.00, Orders 1,
  // top city FUTURE".
  test("today comes from the clock: an order dated 9999-12-31 is not today's", async () => {
    const day = today();
    const future = Date.UTC(9999, 11, 30, 16);
    const page = await open(
      bridge(
        [
          rec('gmv', 4321.5, day),
          rec('orders', 12, day),
          rec('paid_orders', 9, day),
          rec('gmv', 4321.5, day, '1d', { city: '北京' }),
          rec('orders', 12, day, '1d', { city: '北京' }),
          rec('orders', 3, Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE, '1m'),
          rec('gmv', 10, future),
          rec('orders', 1, future),
          rec('paid_orders', 1, future),
          rec('gmv', 10, future, '1d', { city: 'FUTURE' }),
          rec('orders', 1, future, '1d', { city: 'FUTURE' }),
          rec('orders', 1, future, '1m'),
        ],
        'en',
      ),
    );
    await expect.poll(() => tile(page, 'kpi-gmv')).toBe('4,321.50');
    expect(await tile(page, 'kpi-orders')).toBe('12');
    expect(await page.getByTestId('city-row').allTextContents()).toEqual([
      expect.stringContaining('北京'),
    ]);
    // The trend's axis ends at the clock's minute, not in the year 9999.
    const ticks = await page.locator('[data-testid=trend-gmv] .trend__tick--x').allTextContents();
    expect(ticks.length).toBeGreaterThan(0);
    await page.close();
  });

  // Issue 21: in the first second the tiles read GMV —, Orders 1, AOV ¥0.00, Buyers 0, and the
  // ranking by GMV listed "广州 ¥0 · 3 单".
  test('the first order of the day: counts are numbers, AOV is —, a city without sales is not ranked', async () => {
    const day = today();
    const page = await open(
      bridge(
        [
          rec('orders', 4, day),
          rec('orders', 3, day, '1d', { city: '广州' }),
          rec('orders', 1, day, '1d', { city: '上海' }),
          rec('gmv', 0, day, '1d', { city: '广州' }),
        ],
        'zh',
      ),
    );
    await expect.poll(() => tile(page, 'kpi-orders')).toBe('4');
    expect(await tile(page, 'kpi-gmv')).toBe('0.00');
    expect(await tile(page, 'kpi-aov')).toBe('—');
    expect(await tile(page, 'kpi-paid-orders')).toBe('0');
    expect(await tile(page, 'kpi-cancelled')).toBe('0');
    expect(await tile(page, 'kpi-buyers')).toBe('0');
    expect(await page.getByTestId('city-row').count()).toBe(0);
    await page.close();
  });

  test('the trend draws the last 60 s at a steady 2 orders/s as about 120, and says what GMV is booked by', async () => {
    // Every minute so far had 120 orders; the current one grows by 2 a second, as the engine's
    // records would.
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
    const history: MetricRecord[] = [];
    for (let t = minute - 10 * MINUTE; t < minute; t += MINUTE) {
      history.push(rec('orders', 120, t, '1m'), rec('gmv', 12_000, t, '1m'));
    }
    history.push(rec('orders', 240, today()));
    const push = `function () { var now = Date.now(), m = Math.floor(now / ${MINUTE}) * ${MINUTE}, n = 2 * Math.floor((now - m) / 1000);
      var prev = m - ${MINUTE};
      return [{ name: 'orders', value: n, occur: now, window: '1m', start: m, dims: {} },
              { name: 'gmv', value: n * 100, occur: now, window: '1m', start: m, dims: {} },
              { name: 'orders', value: 120, occur: now, window: '1m', start: prev, dims: {} },
              { name: 'gmv', value: 12000, occur: now, window: '1m', start: prev, dims: {} }]; }`;
    const page = await open(bridge(history, 'en', push));
    const live = page.locator('[data-testid=trend-orders] .trend__live-point');
    // Sampled over several seconds of the minute: each reading within ±25 % of 120.
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      await expect.poll(() => live.count(), { timeout: 10_000 }).toBe(1);
      const before = await live.getAttribute('data-value');
      await expect.poll(() => live.getAttribute('data-value'), { timeout: 5_000 }).not.toBe(before);
      seen.push(Number(await live.getAttribute('data-value')));
    }
    for (const v of seen) {
      expect(v).toBeGreaterThanOrEqual(90);
      expect(v).toBeLessThanOrEqual(150);
    }
    expect(await page.getByTestId('trend-in-progress').textContent()).toMatch(/last 60 s/);
    const note = page.getByTestId('trend-note');
    expect(await note.textContent()).toBe('by order time');
    expect(await note.getAttribute('title')).toMatch(/created.*grows as its orders are paid/);
    await page.close();
  });

  test("the engine chip names the engine the stream's tags announce", async () => {
    const page = await open(bridge([rec('orders', 1, today())], 'zh'));
    await expect.poll(() => page.getByTestId('source-engine').textContent()).toMatch(/Flink 作业/);
    expect(await page.getByTestId('source-engine').getAttribute('data-engine')).toBe('flink');
    await page.close();
  });

  test('zh: the health panel words every detail in Chinese (the real embedded pipeline)', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(web.url);
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.language))
      .toBe('zh');
    await page.getByTestId('health-open').click();
    await expect.poll(() => page.getByTestId('health-check').count(), { timeout: 30_000 }).toBe(1);
    const detail = (await page.getByTestId('health-detail').textContent()) ?? '';
    expect(detail).toMatch(/3 笔测试订单全部准确计入/);
    expect(detail.match(/[A-Za-z]{2,}/g) ?? []).toEqual([]);
    const panel = (await page.getByTestId('health-panel').textContent()) ?? '';
    expect(panel.match(/[A-Za-z]{2,}/g) ?? []).toEqual([]);
    // The engine chip on the embedded screen too.
    expect(await page.getByTestId('source-engine').getAttribute('data-engine')).toBe('engine');
    expect(await page.getByTestId('source-engine').textContent()).toMatch(/计算引擎/);
    await page.close();
  });
});
