import { describe, expect, test } from 'vitest';
import { minuteOf, trendRows } from '../../../src/renderer/src/chart/trendRows';
import { TREND_MAX_MINUTES, trendWindow } from '../../../src/renderer/src/store/selectors';

const MINUTE = 60_000;
const T = Date.UTC(2026, 10, 29, 10, 0);
const pt = (i: number, orders: number) => ({ start: T + i * MINUTE, orders, gmv: orders * 10 });

describe('the minute in progress', () => {
  test('is split off into a dashed segment from the last whole minute', () => {
    const rows = trendRows([pt(0, 5), pt(1, 8), pt(2, 1)], T + 2 * MINUTE);
    expect(rows.map((r) => [r.orders, r.ordersLive])).toEqual([
      [5, null],
      [8, 8],
      [null, 1],
    ]);
    expect(rows[2]).toMatchObject({ gmv: null, gmvLive: 10 });
  });

  test('a trend whose newest minute is over is drawn whole', () => {
    const rows = trendRows([pt(0, 5), pt(1, 8)], T + 5 * MINUTE);
    expect(rows.map((r) => [r.orders, r.ordersLive])).toEqual([
      [5, null],
      [8, null],
    ]);
  });

  test('a single minute in progress is only the hollow point', () => {
    expect(trendRows([pt(0, 3)], T)).toEqual([
      { start: T, orders: null, gmv: null, ordersLive: 3, gmvLive: 30 },
    ]);
    expect(trendRows([], T)).toEqual([]);
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
