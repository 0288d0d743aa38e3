import { describe, expect, test } from 'vitest';
import {
  dayStart,
  formatDbDatetime,
  isValidTimeZone,
  minuteStart,
  parseDbDatetime,
  zoneOffsetMs,
} from '../../src/shared/time';

describe('time zones', () => {
  test.each([
    ['Asia/Shanghai', Date.UTC(2026, 10, 24, 15, 59, 59), Date.UTC(2026, 10, 23, 16)],
    ['Asia/Shanghai', Date.UTC(2026, 10, 24, 16, 0, 0), Date.UTC(2026, 10, 24, 16)],
    ['UTC', Date.UTC(2026, 10, 24, 23, 59), Date.UTC(2026, 10, 24)],
    ['America/New_York', Date.UTC(2026, 2, 8, 12), Date.UTC(2026, 2, 8, 5)], // the day clocks spring forward
    ['America/New_York', Date.UTC(2026, 10, 1, 12), Date.UTC(2026, 10, 1, 4)], // the day they fall back
    ['Asia/Kolkata', Date.UTC(2026, 0, 1, 0, 0), Date.UTC(2025, 11, 31, 18, 30)],
  ])('dayStart in %s', (tz, ms, want) => {
    expect(dayStart(ms, tz)).toBe(want);
  });

  test.each([
    ['2026-11-24 10:00:01', 'Asia/Shanghai', Date.UTC(2026, 10, 24, 2, 0, 1)],
    ['2026-11-24 10:00:01', 'UTC', Date.UTC(2026, 10, 24, 10, 0, 1)],
    ['2026-07-01 00:00:00', 'Europe/Berlin', Date.UTC(2026, 5, 30, 22)],
  ])('parseDbDatetime %s in %s', (text, tz, want) => {
    expect(parseDbDatetime(text, tz)).toBe(want);
    expect(formatDbDatetime(want, tz)).toBe(text);
  });

  test.each(['2026-13-01 00:00:00', '2026-11-24', 'yesterday', '2026-11-24 25:00:00'])(
    'parseDbDatetime refuses %s',
    (text) => {
      expect(parseDbDatetime(text, 'UTC')).toBeNull();
    },
  );

  test('offsets, minutes and zone names', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 1), 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(minuteStart(Date.UTC(2026, 0, 1, 0, 1, 59, 999))).toBe(Date.UTC(2026, 0, 1, 0, 1));
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
