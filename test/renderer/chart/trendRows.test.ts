import { describe, expect, test } from 'vitest';
import { lastSixtySeconds, minuteOf, trendRows } from '../../../src/renderer/src/chart/trendRows';
import { TREND_MAX_MINUTES, trendWindow } from '../../../src/renderer/src/store/selectors';

const MINUTE = 60_000;
const T = Date.UTC(2026, 10, 29, 10, 0);
const pt = (i: number, orders: number, gmv = orders * 10) => ({
  start: T + i * MINUTE,
  orders,
  gmv,
});

describe('the minute in progress', () => {
  test('whole minutes drawn as they are; the present as the last 60 s, at their start', () => {
    // 30 s into the minute with 4 orders, after a minute of 8: the last 60 s held 4 + 8/2.
    const trend = trendRows([pt(0, 5), pt(1, 8), pt(2, 4)], T + 2 * MINUTE + 30_000);
    expect(trend.rows.map((r) => r.orders)).toEqual([5, 8]);
    expect(trend.live).toEqual({ at: T + MINUTE + 30_000, orders: 8, gmv: 80, elapsedMs: 30_000 });
  });

  // Issue 21: at second 2 of a minute with a steady 2 orders/s the old pace read about 30/min.
  test('a steady 2 orders/s reads 120 a minute (±25 %) at every second of the minute', () => {
    for (let s = 0; s < 60; s++) {
      const now = T + 2 * MINUTE + s * 1000;
      const trend = trendRows([pt(0, 120), pt(1, 120), pt(2, 2 * s)], now);
      expect(trend.live!.orders, `at second ${s}`).toBeGreaterThanOrEqual(90);
      expect(trend.live!.orders, `at second ${s}`).toBeLessThanOrEqual(150);
    }
  });

  test('a burst shows as a burst, once: 1,000 orders at second 10 read about 1,000, not 6,000', () => {
    for (let s = 10; s < 60; s++) {
      const trend = trendRows([pt(0, 0), pt(1, 0), pt(2, 1000)], T + 2 * MINUTE + s * 1000);
      expect(trend.live!.orders).toBe(1000);
    }
    // A minute later it is in the last whole minute, and leaves the last 60 s as they pass it.
    const later = trendRows([pt(1, 0), pt(2, 1000), pt(3, 0)], T + 3 * MINUTE + 45_000);
    expect(later.live!.orders).toBe(250);
  });

  test('the last 60 s meet the whole minute as it completes: no jump at the minute', () => {
    expect(lastSixtySeconds(0, 77, 0)).toBe(77);
    expect(lastSixtySeconds(77, 10, 60_000)).toBe(77);
    expect(lastSixtySeconds(3, 0, -5_000)).toBe(3);
  });

  test('a trend whose newest minute is over is drawn whole', () => {
    const trend = trendRows([pt(0, 5), pt(1, 8)], T + 5 * MINUTE);
    expect(trend.rows.map((r) => r.orders)).toEqual([5, 8]);
    expect(trend.live).toBeNull();
  });

  test('a first minute in progress is only the hollow point, with its count so far', () => {
    expect(trendRows([pt(0, 3)], T + 30_000)).toEqual({
      rows: [],
      live: { at: T - 30_000, orders: 3, gmv: 30, elapsedMs: 30_000 },
    });
    expect(trendRows([], T)).toEqual({ rows: [], live: null });
  });

  test('the current minute is the clock rounded down', () => {
    expect(minuteOf(T + 59_999)).toBe(T);
    expect(minuteOf(T + MINUTE)).toBe(T + MINUTE);
  });
});

describe('trend window', () => {
  test.each([
    ['a fresh start: its two minutes, no made-up zeros', 0, 1, 2],
    ['one minute', 5, 5, 1],
    ['three hours since the first data', 0, 179, 180],
    ['a whole day', 0, 1439, 1440],
    ['more than a day: the last day', 0, 3000, TREND_MAX_MINUTES],
  ])('%s', (_name, first, last, minutes) => {
    const w = trendWindow(T + first * MINUTE, T + last * MINUTE);
    expect(w.minutes).toBe(minutes);
    expect(w.start).toBe(T + (last - minutes + 1) * MINUTE);
  });
});
