import { describe, expect, test } from 'vitest';
import { minuteOf, paceOf, trendRows } from '../../../src/renderer/src/chart/trendRows';
import { TREND_MAX_MINUTES, trendWindow } from '../../../src/renderer/src/store/selectors';

const MINUTE = 60_000;
const T = Date.UTC(2026, 10, 29, 10, 0);
const pt = (i: number, orders: number) => ({ start: T + i * MINUTE, orders, gmv: orders * 10 });

describe('the minute in progress', () => {
  test('is split off into a dashed segment from the last whole minute, at its pace so far', () => {
    // 30 s into the minute with 4 orders: a pace of 8 a minute, not a plunge to 4.
    const rows = trendRows([pt(0, 5), pt(1, 8), pt(2, 4)], T + 2 * MINUTE + 30_000);
    expect(rows.map((r) => [r.orders, r.ordersLive])).toEqual([
      [5, null],
      [8, 8],
      [null, 8],
    ]);
    expect(rows[2]).toMatchObject({ gmv: null, gmvLive: 80 });
  });

  test.each([
    [4, 30_000, 8],
    [4, 60_000, 4],
    [2, 1_000, 12], // the first seconds count as 10 s: no wild spike
    [0, 45_000, 0],
  ])('%d so far after %d ms is a pace of %d a minute', (count, elapsed, pace) => {
    expect(paceOf(count, elapsed)).toBe(pace);
  });

  test('a trend whose newest minute is over is drawn whole', () => {
    const rows = trendRows([pt(0, 5), pt(1, 8)], T + 5 * MINUTE);
    expect(rows.map((r) => [r.orders, r.ordersLive])).toEqual([
      [5, null],
      [8, null],
    ]);
  });

  test('a single minute in progress is only the hollow point', () => {
    // 30 s in: 3 orders so far are a pace of 6 a minute.
    expect(trendRows([pt(0, 3)], T + 30_000)).toEqual([
      { start: T, orders: null, gmv: null, ordersLive: 6, gmvLive: 60 },
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
