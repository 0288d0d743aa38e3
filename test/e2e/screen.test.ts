/**
 * The wall read from across the room (issue 15), in Debian's Chromium through `bin/livewall web`:
 * no visible text under 20 px at 1080p (40 px at 4K), one language at a time, the layout whole
 * from 1366×768 to a 3×3 video wall, and Chinese labels drawn by the bundled font on a machine
 * whose fontconfig knows no CJK font at all. Screenshots land in test/artifacts/.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_CITIES } from '../../src/shared/demoCities';
import type { Language } from '../../src/shared/language';
import { launchChromium } from '../support/chromium';
import { fakeLivewallScript } from '../support/fakeLivewall';
import { ROOT, spawnLivewall } from '../support/livewall';
import { freePort } from '../support/ports';
import { waitFor, type ManagedProcess } from '../support/processes';

const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const work = mkdtempSync(join(tmpdir(), 'lw-screen-'));
let browser: Browser;
const servers = new Map<Language, { url: string; proc: ManagedProcess }>();

/** A fontconfig that lists only DejaVu: the bare wall PC of issue 10, without Chinese fonts. */
function noCjkFontconfig(): string {
  const file = join(work, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <cachedir>${join(work, 'fc-cache')}</cachedir>
</fontconfig>
`,
  );
  return file;
}

async function startWeb(language: Language): Promise<void> {
  const port = await freePort();
  const dir = join(work, language);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'livewall.config.json');
  writeFileSync(config, JSON.stringify({ language }));
  const proc = spawnLivewall(
    ['web', '--port', String(port), '--demo-rate', '5', '--config', config],
    {
      cwd: dir,
      name: `livewall web (${language})`,
    },
  );
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(
    `livewall web (${language}) to listen`,
    async () => (await fetch(`${url}healthz`)).ok,
    {
      timeoutMs: 20_000,
      process: proc,
    },
  );
  servers.set(language, { url, proc });
}

beforeAll(async () => {
  browser = await launchChromium({ env: { ...process.env, FONTCONFIG_FILE: noCjkFontconfig() } });
  await Promise.all([startWeb('zh'), startWeb('en')]);
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.proc.stop()));
  await browser?.close();
});

/** Opens the screen at a size and waits until it shows data in its configured language. */
async function openScreen(
  url: string,
  language: Language,
  width: number,
  height: number,
  fake?: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  if (fake) await page.addInitScript({ content: fake });
  await page.goto(url);
  await expect
    .poll(() => page.evaluate(() => document.documentElement.dataset.language), { timeout: 15_000 })
    .toBe(language);
  await expect
    .poll(async () => (await page.getByTestId('kpi-orders').textContent()) ?? '', {
      timeout: 20_000,
    })
    .toMatch(/\d/);
  // A city is ranked by GMV once one of its orders is paid (seconds after it is placed).
  await expect
    .poll(() => page.getByTestId('city-row').count(), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await expect.poll(() => page.locator('[data-testid=trend-chart] svg').count()).toBeGreaterThan(0);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return { page, errors };
}

interface TextSeen {
  text: string;
  size: number;
}

/** Every text node a viewer can see, with its font size in CSS px. */
function visibleTexts(page: Page): Promise<TextSeen[]> {
  return page.evaluate(() => {
    const out: { text: string; size: number }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      if (el.closest('option, script, style, title')) continue;
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      const onScreen =
        r.width > 0 &&
        r.height > 0 &&
        r.right > 0 &&
        r.bottom > 0 &&
        r.left < innerWidth &&
        r.top < innerHeight;
      if (!onScreen) continue;
      out.push({ text, size: parseFloat(getComputedStyle(el).fontSize) });
    }
    return out;
  });
}

/** The words the screen says: visible text plus the labels a screen reader or tooltip gives. */
async function uiText(page: Page): Promise<string> {
  const seen = (await visibleTexts(page)).map((t) => t.text);
  const attrs = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[aria-label], [placeholder], [title]')).flatMap((e) =>
      ['aria-label', 'placeholder', 'title'].map((a) => e.getAttribute(a) ?? ''),
    ),
  );
  return [...seen, ...attrs, await page.title().then(() => '')].join('\n');
}

/** The panels' boxes: inside the viewport and not over one another. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const boxes = Array.from(document.querySelectorAll<HTMLElement>('.header, .kpi, .panel')).map(
      (e) => ({
        name: e.className,
        r: e.getBoundingClientRect(),
      }),
    );
    for (const b of boxes) {
      if (
        b.r.left < 0 ||
        b.r.top < 0 ||
        b.r.right > innerWidth + 0.5 ||
        b.r.bottom > innerHeight + 0.5
      ) {
        problems.push(`${b.name} leaves the screen`);
      }
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        const overlap =
          Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
          Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
        if (overlap) problems.push(`${boxes[i]!.name} overlaps ${boxes[j]!.name}`);
      }
    }
    // Numbers cut off by an ellipsis would be wrong numbers on a wall.
    for (const e of Array.from(
      document.querySelectorAll<HTMLElement>('.kpi__value, .kpi__label, .header__title'),
    )) {
      if (e.scrollWidth > e.clientWidth + 1) problems.push(`"${e.textContent}" does not fit`);
    }
    if (document.documentElement.scrollHeight > innerHeight + 1) problems.push('the page scrolls');
    return problems;
  });
}

const ASCII_WORD = /[A-Za-z]+/g;
const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/g;

describe('the wall screen', () => {
  test('legible from across the room: ≥ 20 px at 1080p, ≥ 40 px at 4K, whole down to 1366×768 and up to a 3×3 wall', async () => {
    const { url } = servers.get('zh')!;
    for (const [w, h, min] of [
      [1920, 1080, 20],
      [3840, 2160, 40],
      [1366, 768, 0],
      [5760, 3240, 60],
    ] as const) {
      const { page, errors } = await openScreen(url, 'zh', w, h);
      const texts = await visibleTexts(page);
      expect(texts.length).toBeGreaterThan(30);
      const small = texts.filter((t) => t.size < min - 0.01);
      expect(small, `text under ${min} px at ${w}×${h}`).toEqual([]);
      const kpiSize = await page
        .getByTestId('kpi-orders')
        .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      expect(kpiSize).toBeGreaterThanOrEqual((72 * w) / 1920 - 0.1);
      expect(await layoutProblems(page)).toEqual([]);
      // The simulator is a slim strip: well under a tenth of the wall's height while idle.
      const strip = await page.getByTestId('burst-panel').boundingBox();
      expect(strip!.height).toBeLessThan(h / 10);
      if (w !== 5760) await page.screenshot({ path: join(ARTIFACTS, `screen-zh-${w}x${h}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 180_000);

  test('zh: no English word on screen, Chinese drawn by the bundled font without any CJK system font', async () => {
    const { page, errors } = await openScreen(servers.get('zh')!.url, 'zh', 1920, 1080);
    // A finished burst's sentence is on screen too.
    await page.getByTestId('burst-100').click();
    await expect
      .poll(() => page.getByTestId('burst-result').textContent(), { timeout: 30_000 })
      .toMatch(/新增 100 单/);
    const text = await uiText(page);
    expect(text.match(ASCII_WORD) ?? []).toEqual([]);
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 周[日一二三四五六]/);

    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = '40px "Noto Sans SC"';
      const bundled = ctx.measureText('实时订单').width;
      ctx.font = '40px "DejaVu Sans"';
      const system = ctx.measureText('实时订单').width;
      return {
        check: document.fonts.check('24px "Noto Sans SC"', '实时订单大屏北京上海'),
        loaded: Array.from(document.fonts as unknown as Iterable<FontFace>).filter(
          (f) => f.family.includes('Noto Sans SC') && f.status === 'loaded',
        ).length,
        bundled,
        system,
        family: getComputedStyle(document.querySelector('.header__title')!).fontFamily,
      };
    });
    expect(fonts.check).toBe(true);
    expect(fonts.loaded).toBeGreaterThan(0);
    // CJK glyphs are one em wide; the only system font here has none (its fallback box differs).
    expect(fonts.bundled).toBeCloseTo(160, -1);
    expect(fonts.system).not.toBeCloseTo(fonts.bundled, 0);
    expect(fonts.family).toMatch(/^"?Noto Sans SC/);
    await page.screenshot({ path: join(ARTIFACTS, 'screen-zh-burst-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('en: no Chinese outside the city names (data)', async () => {
    const { page, errors } = await openScreen(servers.get('en')!.url, 'en', 1920, 1080);
    await page.getByTestId('burst-100').click();
    await expect
      .poll(() => page.getByTestId('burst-result').textContent(), { timeout: 30_000 })
      .toMatch(/inserted 100\b/);
    let text = await uiText(page);
    for (const city of DEMO_CITIES) text = text.split(city).join('');
    expect(text.match(CJK) ?? []).toEqual([]);
    expect(text).toMatch(/(Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d{1,2} [A-Z][a-z]{2} \d{4}/);
    await page.screenshot({ path: join(ARTIFACTS, 'screen-en-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a whole day on the trend, the current minute drawn in progress (the real screen, a day of made-up data)', async () => {
    const { url } = servers.get('zh')!;
    for (const [language, w, h] of [
      ['zh+en', 1920, 1080],
      ['zh', 3840, 2160],
      ['en', 1366, 768],
      ['zh+en', 1366, 768],
      ['zh+en', 5760, 3240],
    ] as const) {
      const fake = fakeLivewallScript({ language, minutes: 1440, hz: 2 });
      const { page, errors } = await openScreen(url, language, w, h, fake);
      // The live minute: a dashed segment ending in a hollow point, and its key.
      await expect.poll(() => page.getByTestId('trend-in-progress').count()).toBe(1);
      const dashed = await page
        .locator('[data-testid=trend-orders] path[stroke-dasharray]')
        .count();
      expect(dashed).toBeGreaterThan(0);
      const texts = await visibleTexts(page);
      if (w >= 1920) expect(texts.filter((t) => t.size < (20 * w) / 1920 - 0.01)).toEqual([]);
      expect(await layoutProblems(page)).toEqual([]);
      // Axis ticks are round numbers: 1, 2 or 5 × 10ⁿ steps.
      const ticks = await page
        .locator('[data-testid=trend-orders] .trend__tick--y')
        .allTextContents();
      const values = ticks.map(Number);
      expect(values.every((v) => Number.isFinite(v))).toBe(true);
      const step = values[1]! - values[0]!;
      expect(step / 10 ** Math.floor(Math.log10(step))).toSatisfy((m: number) =>
        [1, 2, 5].includes(m),
      );
      await page.screenshot({ path: join(ARTIFACTS, `screen-day-${language}-${w}x${h}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 240_000);
});
