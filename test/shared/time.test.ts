/**
 * The calendar: test/vectors/time.json, which the Flink job's DbTimeTest reads too (days in a
 * zone, database datetimes across clock changes, a row's minute and day, the oldest day kept).
 */
import { describe, expect, test } from 'vitest';
import { MetricsEngine } from '../../src/main/engine/metricsEngine';
import {
  dayStart,
  formatDbDatetime,
  isValidTimeZone,
  minuteStart,
  parseDbDatetime,
  zoneOffsetMs,
} from '../../src/shared/time';
import { instant, readVectors } from '../support/vectors';

interface TimeVectors {
  dayStart: { name: string; zone: string; at: string; want: string }[];
  parse: { name: string; text: string; zone: string; want: string | null; prints?: string }[];
  created: {
    name: string;
    text: string;
    dbZone: string;
    zone: string;
    want: { minute: string; day: string } | null;
  }[];
  cutoff: { name: string; zone: string; now: string; retentionDays: number; want: string }[];
}

const v = readVectors<TimeVectors>('time.json');
const named = <T extends { name: string }>(cases: T[]): [string, T][] =>
  cases.map((c) => [c.name, c]);

const event = (createTime: string, ts: number, id = 7): string =>
  JSON.stringify({
    database: 'demo',
    table: 'order',
    type: 'insert',
    ts,
    data: {
      order_id: id,
      user_mail: 'a@x.com',
      status: 'paid',
      good_count: 1,
      city: '北京',
      amount: 1,
      create_time: createTime,
      update_time: createTime,
    },
  });

describe('test/vectors/time.json', () => {
  test.each(named(v.dayStart))('dayStart: %s', (_, c) => {
    expect(new Date(dayStart(instant(c.at), c.zone)).toISOString()).toBe(
      new Date(instant(c.want)).toISOString(),
    );
  });

  test.each(named(v.parse))('parse: %s', (_, c) => {
    const got = parseDbDatetime(c.text, c.zone);
    expect(got === null ? null : new Date(got).toISOString()).toBe(
      c.want === null ? null : new Date(instant(c.want)).toISOString(),
    );
    // What the simulator and the oracle write reads back as the same instant.
    if (c.want !== null) expect(formatDbDatetime(instant(c.want), c.zone)).toBe(c.prints ?? c.text);
  });

  test.each(named(v.created))('created: %s', (_, c) => {
    const engine = new MetricsEngine({
      timeZone: c.zone,
      dbTimeZone: c.dbZone,
      now: () => instant('9999-12-31T00:00:00Z'),
    });
    const admitted = engine.admit(event(c.text, 0));
    if (c.want === null) {
      expect(admitted.ok ? 'ok' : admitted.reason).toBe('create-time-invalid');
      return;
    }
    if (!admitted.ok) throw new Error(admitted.detail);
    expect(admitted.created).toEqual({ minute: instant(c.want.minute), day: instant(c.want.day) });
  });

  test.each(named(v.cutoff))('cutoff: %s', (_, c) => {
    const now = instant(c.now);
    const engine = new MetricsEngine({
      timeZone: c.zone,
      dbTimeZone: c.zone,
      retentionDays: c.retentionDays,
      now: () => now,
    });
    const cutoff = instant(c.want);
    // A row of the last second before the cutoff is not folded; one of its first second is.
    expect(engine.foldRaw(event(formatDbDatetime(cutoff - 1000, c.zone), now / 1000, 1))).toBe(
      false,
    );
    expect(engine.stats().skipped).toBe(1);
    expect(engine.foldRaw(event(formatDbDatetime(cutoff, c.zone), now / 1000, 2))).toBe(true);
  });
});

describe('time zones (TypeScript only)', () => {
  test('offsets, minutes and zone names', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 1), 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(minuteStart(Date.UTC(2026, 0, 1, 0, 1, 59, 999))).toBe(Date.UTC(2026, 0, 1, 0, 1));
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
