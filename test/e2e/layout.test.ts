/**
 * Nothing cut, nothing off the screen (issue 21): every visible text run is checked against the
 * viewport and against each box that hides overflow, in every language, from 1366×768 to 4K.
 * First the embedded default as a new user starts it (`bin/livewall web --config --state-dir`),
 * then the longest lines the screen can show (a Kinesis feed with no MySQL, a Flink job, lag,
 * failed health checks, ten-million-yuan totals) through a stand-in bridge. The run also makes
 * the README's picture of the wall (test/artifacts/wall.png; docs/wall.png with LIVEWALL_UPDATE_WALL=1).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Language } from '../../src/shared/language';
import { launchChromium } from '../support/chromium';
import { ROOT, spawnLivewall } from '../support/livewall';
import { freePort } from '../support/ports';
import { waitFor, type ManagedProcess } from '../support/processes';
import { textProblems } from './textLayout';

const SIZES = [
  [1366, 768],
  [1920, 1080],
  [2560, 1080],
  [3840, 2160],
] as const;
/** `undefined`: no `language` in the config, the default a new user gets. */
const LANGUAGES: readonly (Language | undefined)[] = [undefined, 'zh', 'en'];

const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const work = mkdtempSync(join(tmpdir(), 'lw-layout-'));
let browser: Browser;
let server: { url: string; proc: ManagedProcess }[] = [];

async function startWeb(language: Language | undefined, i: number): Promise<void> {
  const port = await freePort();
  const dir = join(work, `web-${i}`);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'livewall.config.json');
  writeFileSync(config, JSON.stringify(language ? { language } : {}));
  const proc = spawnLivewall(
    ['web', '--config', config, '--port', String(port), '--state-dir', join(dir, 'state')],
    { cwd: dir, name: `livewall web (${language ?? 'default'})` },
  );
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(
    `livewall web (${language ?? 'default'})`,
    async () => (await fetch(`${url}healthz`)).ok,
    {
      timeoutMs: 20_000,
      process: proc,
    },
  );
  server[i] = { url, proc };
}

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  server = [];
  await Promise.all(LANGUAGES.map((l, i) => startWeb(l, i)));
});

afterAll(async () => {
  await Promise.all(server.map((s) => s.proc.stop()));
  await browser?.close();
});

async function open(url: string, w: number, h: number, init?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: w, height: h }, deviceScaleFactor: 1 });
  if (init) await page.addInitScript({ content: init });
  await page.goto(url);
  await expect
    .poll(async () => (await page.getByTestId('kpi-orders').textContent()) ?? '', {
      timeout: 20_000,
    })
    .toMatch(/\d/);
  await expect
    .poll(() => page.getByTestId('pipeline-chip').count(), { timeout: 20_000 })
    .toBeGreaterThan(0);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

/**
 * The longest the screen gets: a Kinesis feed filled by a Flink job, two minutes behind, workshop
 * records too, no MySQL to burst into, a failed health check with its remedy, and totals past ten
 * million yuan. Plain JavaScript: it runs in the page.
 */
function worstCaseBridge(language: Language): string {
  return `(function () {
  var MIN = 60000, now = Date.now(), minute = Math.floor(now / MIN) * MIN;
  var d = new Date(now); d.setHours(0, 0, 0, 0); var day = d.getTime();
  function rec(name, value, w, start, dims) { return { name: name, value: value, occur: start + 1000, window: w, start: start, dims: dims || {} }; }
  var m = [rec('orders', 123456789, '1d', day), rec('gmv', 98765432.1, '1d', day), rec('amount', 98765432.1, '1d', day),
    rec('paid_orders', 99999999, '1d', day), rec('cancelled', 9999999, '1d', day), rec('buyers', 88888888, '1d', day),
    rec('aov', 987654.32, '1d', day)];
  var cities = ['乌鲁木齐', '呼和浩特', '哈尔滨', '石家庄', '上海', '北京', '(unknown)', '深圳'];
  for (var c = 0; c < cities.length; c++) {
    m.push(rec('gmv', 98765432.1 / (c + 1), '1d', day, { city: cities[c] }));
    m.push(rec('orders', 1234567 / (c + 1), '1d', day, { city: cities[c] }));
  }
  ['unpaid', 'paid', 'cancel', 'shipping', 'finished'].forEach(function (s, i) { m.push(rec('orders', 12345678 * (i + 1), '1d', day, { status: s })); });
  for (var t = minute - 90 * MIN; t <= minute; t += MIN) { m.push(rec('orders', 90000 + (t / MIN % 7) * 1000, '1m', t)); m.push(rec('gmv', 45000000, '1m', t)); }
  var status = { source: 'kinesis', state: 'ok', message: null, lagMs: 125000,
    engine: { kind: 'managed-flink', detail: 'Flink 1.19.3 parallelism 2 on wallpc', since: now - 3600000 } };
  var checks = [
    { stage: 'mysql', ok: true, detail: 'demo.order answers', ageMs: 4000 },
    { stage: 'cdc', ok: true, detail: 'binlog read', ageMs: 3000 },
    { stage: 'order_ds', ok: true, detail: 'records arrive', ageMs: 125000 },
    { stage: 'engine', ok: false, detail: 'metric_ds is 125 s behind order_ds (more than 60 s): the engine is slow or stopped; check the job on its console and restart it' },
    { stage: 'metric_ds', ok: true, detail: 'records arrive', ageMs: 7300000 },
    { stage: 'dwd', ok: true, detail: 'records arrive', ageMs: 5000 },
    { stage: 'firehose', ok: true, detail: 'delivering' },
    { stage: 'warehouse', ok: true, detail: 'rows arrive', ageMs: 600000 },
    { stage: 'customers', ok: true, detail: '12,000 customers' }];
  window.livewall = {
    getSnapshot: function () { return Promise.resolve({ metrics: m, lastRecordAt: now - 125000, stale: false, language: ${JSON.stringify(language)} }); },
    burst: function () { return Promise.reject(new Error('nowhere')); },
    getStatus: function () { return Promise.resolve(status); },
    runHealth: function () { return Promise.resolve(checks); },
    getBurstTargets: function () { return Promise.resolve([]); },
    setMySqlPassword: function () { return Promise.resolve({ saved: false, message: '' }); },
    on: function () { return function () {}; },
  };
})();`;
}

const name = (l: Language | undefined): string => l ?? 'default';

describe('nothing cut or off the screen', () => {
  test('the embedded default, as a new user starts it: every language at 1366×768 to 4K', async () => {
    const found: string[] = [];
    for (const [i, language] of LANGUAGES.entries()) {
      for (const [w, h] of SIZES) {
        const page = await open(server[i]!.url, w, h);
        for (const p of await textProblems(page)) {
          found.push(`${name(language)} ${w}×${h}: "${p.text}" ${p.problem}`);
        }
        if (language === undefined && w === 1920 && h === 1080) {
          // The README's first picture: the default screen at 1080p, once a burst has filled the
          // ranking and moved orders through their statuses.
          const burst = await fetch(`${server[i]!.url}api/burst`, {
            method: 'POST',
            body: JSON.stringify({ orders: 3000 }),
          });
          expect(burst.ok).toBe(true);
          await expect
            .poll(() => page.getByTestId('city-row').count(), { timeout: 30_000 })
            .toBe(8);
          await expect
            .poll(() => page.locator('.status__item').count(), { timeout: 60_000 })
            .toBe(5);
          for (const p of await textProblems(page)) {
            found.push(`${name(language)} ${w}×${h} after a burst: "${p.text}" ${p.problem}`);
          }
          // Every run leaves the picture in test/artifacts; the tracked docs/wall.png changes only
          // when asked (LIVEWALL_UPDATE_WALL=1), so a test run leaves the tree clean.
          const dir =
            process.env.LIVEWALL_UPDATE_WALL === '1'
              ? join(ROOT, 'docs')
              : join(ROOT, 'test', 'artifacts');
          mkdirSync(dir, { recursive: true });
          await page.screenshot({ path: join(dir, 'wall.png') });
        }
        await page.close();
      }
    }
    expect(found).toEqual([]);
  }, 240_000);

  test('the longest lines: Kinesis without MySQL, a Flink job, lag, a failed check, 8-digit totals', async () => {
    const found: string[] = [];
    for (const language of ['zh+en', 'zh', 'en'] as const) {
      for (const [w, h] of SIZES) {
        const page = await open(server[0]!.url, w, h, worstCaseBridge(language));
        await expect.poll(() => page.getByTestId('burst-nowhere').count()).toBe(1);
        await expect.poll(() => page.getByTestId('source-lag').count()).toBe(1);
        for (const p of await textProblems(page)) {
          found.push(`${language} ${w}×${h}: "${p.text}" ${p.problem}`);
        }
        await page.screenshot({
          path: join(ARTIFACTS, `layout-longest-${language}-${w}x${h}.png`),
        });
        // The health card with its remedies, over the screen.
        await page.getByTestId('health-open').click();
        await expect.poll(() => page.getByTestId('health-check').count()).toBe(9);
        // The header stays above the card (its button closes it): the card starts below it.
        const covered = await page.evaluate(
          () =>
            document.querySelector('.header')!.getBoundingClientRect().bottom -
            document.querySelector('[data-testid=health-panel]')!.getBoundingClientRect().top,
        );
        if (covered > 0.5) found.push(`${language} ${w}×${h}: the header covers the health card`);
        for (const p of await textProblems(page)) {
          found.push(`${language} ${w}×${h} health: "${p.text}" ${p.problem}`);
        }
        await page.screenshot({ path: join(ARTIFACTS, `layout-health-${language}-${w}x${h}.png`) });
        await page.close();
      }
    }
    expect(found).toEqual([]);
  }, 240_000);
});
