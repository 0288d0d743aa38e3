import { describe, expect, test } from 'vitest';
import { metricIdentity, metricPartitionKey } from '../../src/shared/identity';
import { MetricState } from '../../src/shared/metricState';
import {
  parseBurstRequest,
  parseChangeEvent,
  parseMetricRecord,
  parseOrderChange,
  parseSnapshot,
  parseWideRow,
} from '../../src/shared/parse';

const TZ = { timeZone: 'Asia/Shanghai' };
const designEvent = {
  database: 'demo',
  table: 'order',
  type: 'update',
  ts: 1732440000,
  xid: 8812,
  commit: true,
  data: {
    order_id: 7,
    user_mail: 'pony@qq.com',
    status: 'paid',
    good_count: 2,
    city: "Xi'an",
    amount: 99.5,
    create_time: '2026-11-24 10:00:01',
    update_time: '2026-11-24 10:02:13',
  },
  old: { status: 'unpaid', update_time: '2026-11-24 10:00:01' },
};

describe('contract 1: change events', () => {
  test("DESIGN.md's example parses", () => {
    const e = parseChangeEvent(JSON.stringify(designEvent));
    expect(e).toEqual({ ok: true, value: designEvent });
    if (!e.ok || e.value === 'skip') throw new Error('parsed');
    expect(parseOrderChange(e.value)).toMatchObject({
      ok: true,
      value: { data: { order_id: 7, status: 'paid' } },
    });
  });

  test.each([
    [42, 'change event: not a JSON object'],
    ['{', 'change event: not JSON'],
    [{ ...designEvent, ts: '1' }, 'change event: "ts" must be a number of seconds'],
    [{ ...designEvent, data: null }, 'change event: "data" must be an object'],
    [{ ...designEvent, old: [] }, 'change event: "old" must be an object'],
  ])('refuses %j', (input, error) => {
    expect(parseChangeEvent(input)).toEqual({ ok: false, error });
  });

  test('bootstrap markers are well-formed events without a row', () => {
    expect(
      parseChangeEvent({
        database: 'demo',
        table: 'order',
        type: 'bootstrap-complete',
        ts: 1,
        data: {},
      }),
    ).toEqual({ ok: true, value: 'skip' });
  });

  test('char(10) padding is trimmed from the status', () => {
    const r = parseOrderChange({
      ...designEvent,
      type: 'insert',
      data: { ...designEvent.data, status: 'paid      ' },
    });
    expect(r.ok && r.value.data.status).toBe('paid');
  });
});

describe('contract 2: metric records', () => {
  const full = {
    name: 'gmv',
    value: 1234.5,
    occur: 1732440000123,
    window: '1d',
    start: 1732377600000,
    dims: { city: "Xi'an" },
  };

  test("DESIGN.md's example parses", () => {
    expect(parseMetricRecord(JSON.stringify(full), TZ)).toEqual({ ok: true, value: full });
  });

  test("the workshop job's {name,value,occur} means that day's total", () => {
    // Exactly what the workshop's Flink job (OrderApp.java) writes: its running sales total.
    expect(parseMetricRecord('{"name":"amount","value":1234.5,"occur":1732440000123}', TZ)).toEqual(
      {
        ok: true,
        value: {
          name: 'amount',
          value: 1234.5,
          occur: 1732440000123,
          window: '1d',
          start: Date.UTC(2024, 10, 23, 16), // 2024-11-24 00:00 in TZ
          dims: {},
        },
      },
    );
  });

  test.each([
    [{ ...full, name: '' }, 'metric record: "name" must be a non-empty string'],
    [{ ...full, value: 'NaN' }, 'metric record: "value" must be a number'],
    [{ ...full, window: '1h' }, 'metric record: "window" must be "1d" or "1m"'],
    [
      { ...full, dims: { city: { x: 1 } } },
      'metric record: dims."city" must be a string, a number or null',
    ],
    ['', 'metric record: not JSON'],
  ])('refuses %j', (input, error) => {
    expect(parseMetricRecord(input, TZ)).toEqual({ ok: false, error });
  });

  test('identity ignores dims key order; the state keeps the greatest occur, ties go to the later', () => {
    const a = { ...full, dims: { city: 'x', level: 1 } };
    const b = { ...full, dims: { level: 1, city: 'x' } };
    expect(metricIdentity(a as never)).toBe(metricIdentity(b as never));
    expect(metricPartitionKey(a as never).length).toBeLessThanOrEqual(256);
    const s = new MetricState();
    const rec = (value: number, occur: number) => ({
      ...full,
      window: '1d' as const,
      value,
      occur,
    });
    expect(s.apply(rec(1, 10))).not.toBeNull();
    expect(s.apply(rec(2, 9))).toBeNull(); // older: ignored
    expect(s.apply(rec(3, 10))).not.toBeNull(); // tie: the later wins
    expect(s.apply(rec(3, 10))).toBeNull(); // a repeat changes nothing
    expect(s.records().map((r) => r.value)).toEqual([3]);
    expect(s.lastRecordAt).toBe(10);
  });
});

describe('contract 3 and 4', () => {
  const wide = { ...designEvent.data, sex: 'F', level: 3, op: 'update', ts: 1732440133000 };
  test('wide rows', () => {
    expect(parseWideRow(wide)).toEqual({ ok: true, value: wide });
    expect(parseWideRow({ ...wide, sex: null, level: null })).toMatchObject({ ok: true });
    expect(parseWideRow({ ...wide, op: 'upsert' })).toEqual({
      ok: false,
      error: 'wide row: "op" must be insert, update or delete',
    });
    expect(parseWideRow({ ...wide, amount: '1' })).toEqual({
      ok: false,
      error: 'wide row: "amount" must be a number',
    });
  });

  test('snapshots', () => {
    expect(parseSnapshot({ metrics: [], lastRecordAt: null, stale: false }, TZ)).toEqual({
      ok: true,
      value: { metrics: [], lastRecordAt: null, stale: false },
    });
    expect(parseSnapshot({ metrics: [{}], lastRecordAt: null, stale: false }, TZ).ok).toBe(false);
    // The screen's language rides along; a server that names none leaves it out.
    expect(
      parseSnapshot({ metrics: [], lastRecordAt: null, stale: false, language: 'zh' }, TZ),
    ).toEqual({
      ok: true,
      value: { metrics: [], lastRecordAt: null, stale: false, language: 'zh' },
    });
    expect(
      parseSnapshot({ metrics: [], lastRecordAt: null, stale: false, language: 'fr' }, TZ),
    ).toEqual({ ok: false, error: 'snapshot: "language" must be zh, en or zh+en' });
  });

  test.each([
    [{ orders: 1000 }, true],
    [{ orders: 0 }, false],
    [{ orders: 1.5 }, false],
    [{ orders: 100_001 }, false],
    [{ orders: '10' }, false],
    [null, false],
  ])('burst request %j', (input, good) => {
    expect(parseBurstRequest(input).ok).toBe(good);
  });
});
