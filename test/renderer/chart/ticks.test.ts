import { describe, expect, test } from 'vitest';
import { niceScale, niceStep, timeTicks } from '../../../src/renderer/src/chart/ticks';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('round steps', () => {
  test.each([
    [17_000, 5, 5_000],
    [11_000, 5, 5_000],
    [5_500, 5, 2_000],
    [100, 5, 50],
    [99, 5, 50],
    [3, 4, 1],
    [0.7, 5, 0.2],
    [1, 5, 0.5],
    [12_345_678, 4, 5_000_000],
  ])('%d in at most %d ticks steps by %d', (max, ticks, step) => {
    expect(niceStep(max, ticks)).toBe(step);
  });
});

describe('nice scale', () => {
  test.each([
    // The wall: 5500, 1.1万 and 1.7万 were ticks; now every tick is a round number.
    [17_000, 5, false, [0, 5_000, 10_000, 15_000, 20_000]],
    [5_500, 5, false, [0, 2_000, 4_000, 6_000]],
    [87, 4, true, [0, 50, 100]],
    [0, 4, true, [0, 1]],
    [2, 4, true, [0, 1, 2]],
    [0.3, 4, false, [0, 0.1, 0.2, 0.3]],
    [200, 5, true, [0, 50, 100, 150, 200]],
  ])('max %d, %d ticks, integer %s → %j', (max, n, integer, ticks) => {
    const s = niceScale(max, n, integer);
    expect(s.ticks).toEqual(ticks);
    expect(s.top).toBe(ticks[ticks.length - 1]);
    expect(s.ticks.length).toBeLessThanOrEqual(Math.max(n, 2));
  });

  test('every tick is 1, 2 or 5 × 10ⁿ times a whole number, for many maxima', () => {
    for (let max = 1; max < 3e7; max = Math.ceil(max * 1.37)) {
      const s = niceScale(max, 5, true);
      const mantissa = s.step / 10 ** Math.floor(Math.log10(s.step));
      expect([1, 2, 5]).toContain(Math.round(mantissa));
      expect(s.top).toBeGreaterThanOrEqual(max);
      expect(s.ticks.length).toBeLessThanOrEqual(5);
    }
  });
});

describe('time ticks', () => {
  const day = Date.UTC(2026, 10, 29);
  test.each([
    [
      'two minutes',
      day + 10 * HOUR + 3 * MINUTE,
      day + 10 * HOUR + 4 * MINUTE,
      7,
      0,
      ['10:03', '10:04'],
    ],
    [
      'half an hour in 5-minute steps',
      day + 10 * HOUR + 2 * MINUTE,
      day + 10 * HOUR + 31 * MINUTE,
      7,
      0,
      ['10:05', '10:10', '10:15', '10:20', '10:25', '10:30'],
    ],
    [
      'a day in 4-hour… no: 6-hour steps',
      day,
      day + 1439 * MINUTE,
      7,
      0,
      ['00:00', '06:00', '12:00', '18:00'],
    ],
    [
      'a day at UTC+8 starts on local midnight',
      day - 8 * HOUR,
      day - 8 * HOUR + 1439 * MINUTE,
      7,
      480,
      ['00:00', '06:00', '12:00', '18:00'],
    ],
    [
      'five hours',
      day + 9 * HOUR + 17 * MINUTE,
      day + 14 * HOUR + 17 * MINUTE,
      7,
      0,
      ['10:00', '11:00', '12:00', '13:00', '14:00'],
    ],
  ])('%s', (_name, first, last, max, offset, want) => {
    const hhmm = (t: number): string => new Date(t + offset * MINUTE).toISOString().slice(11, 16);
    const ticks = timeTicks(first, last, max, offset);
    expect(ticks.map(hhmm)).toEqual(want);
    expect(ticks.length).toBeLessThanOrEqual(max);
    expect(ticks.every((t) => t >= first && t <= last)).toBe(true);
  });

  test('nothing for an empty span', () => {
    expect(timeTicks(10, 5, 7)).toEqual([]);
  });
});
