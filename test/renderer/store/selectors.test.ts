import { describe, expect, test } from 'vitest';
import {
  applyRecords,
  indexFromRecords,
  initialMetricsData,
} from '../../../src/renderer/src/store/metricsReducer';
import {
  burstFraction,
  selectKpis,
  selectStatusBreakdown,
  selectToday,
  selectTopCities,
  selectTrend,
  selectWorkshopRecords,
} from '../../../src/renderer/src/store/selectors';
import type { MetricRecord } from '../../../src/shared/contracts';
import { parseMetricRecord } from '../../../src/shared/parse';
import { DAY, MINUTE, NOW, YESTERDAY, rec } from '../fixtures';

describe('today', () => {
  test('is the 1d window that holds the clock, ignoring 1m ones', () => {
    expect(selectToday(indexFromRecords([]), NOW)).toBeNull();
    const idx = indexFromRecords([
      rec('gmv', 1, { start: YESTERDAY }),
      rec('orders', 1, { start: DAY, dims: { city: 'A' } }),
      rec('orders', 1, { window: '1m', start: DAY + 86_400_000 }),
    ]);
    expect(selectToday(idx, NOW)).toBe(DAY);
    // Yesterday evening, yesterday is today.
    expect(selectToday(idx, DAY - 3_600_000)).toBe(YESTERDAY);
  });

  // Issue 24: one insert dated 9999-12-31 made the screen show its one order as today's.
  test('comes from the clock, never from the greatest start: a far-future day is not today', () => {
    const future = Date.UTC(9999, 11, 30, 16);
    const records = [
      rec('gmv', 10, { start: future, occur: future + 1 }),
      rec('orders', 1, { start: future, occur: future + 1 }),
      rec('orders', 1, { start: future, occur: future + 1, dims: { city: 'FUTURE' } }),
      rec('gmv', 10, { start: future, occur: future + 1, dims: { city: 'FUTURE' } }),
      rec('gmv', 4321),
      rec('orders', 12),
      rec('gmv', 4321, { dims: { city: '北京' } }),
      rec('orders', 3, { window: '1m', start: NOW - MINUTE }),
      rec('orders', 1, { window: '1m', start: future }),
    ];
    // Without a clock (as before) the year 9999 became the latest day and the real one was dropped.
    const idx = indexFromRecords(records, NOW);
    expect(selectToday(idx, NOW)).toBe(DAY);
    expect(selectKpis(idx, NOW)).toMatchObject({ gmv: 4321, orders: 12 });
    expect(selectTopCities(idx, NOW).map((c) => c.city)).toEqual(['北京']);
    // The trend ends at the clock's minute, not in the year 9999.
    expect(selectTrend(idx, NOW).map((p) => p.start)).toEqual([NOW - MINUTE]);
    // Even when held (an index built without the clock), a future day is not today.
    const onlyFuture = indexFromRecords(records.filter((r) => r.start === future));
    expect(selectToday(onlyFuture, NOW)).toBeNull();
    expect(selectKpis(onlyFuture, NOW).orders).toBeNull();
    expect(selectTrend(onlyFuture, NOW)).toEqual([]);
  });

  test("after midnight, yesterday's totals are not today's: — until the day's first record", () => {
    const idx = indexFromRecords([
      rec('gmv', 999, { start: YESTERDAY }),
      rec('orders', 9, { start: YESTERDAY }),
    ]);
    expect(selectToday(idx, DAY + 30_000)).toBeNull();
    expect(selectKpis(idx, DAY + 30_000).orders).toBeNull();
  });

  test('a server clock a little ahead of the screen still counts', () => {
    const idx = indexFromRecords([rec('orders', 1, { start: DAY })]);
    expect(selectToday(idx, DAY - 30_000)).toBe(DAY);
  });
});

describe('KPIs', () => {
  test("today's totals, ignoring yesterday and dimensioned records", () => {
    const idx = indexFromRecords([
      rec('gmv', 999, { start: YESTERDAY }),
      rec('gmv', 1234.5),
      rec('gmv', 100, { dims: { city: 'A' } }),
      rec('orders', 12),
      rec('aov', 123.45),
      rec('paid_orders', 10),
      rec('cancelled', 1),
      rec('buyers', 7),
    ]);
    expect(selectKpis(idx, NOW)).toEqual({
      gmv: 1234.5,
      orders: 12,
      aov: 123.45,
      paidOrders: 10,
      cancelled: 1,
      buyers: 7,
    });
  });

  test.each([
    { name: 'aov from gmv / paid_orders when absent', gmv: 100, paid: 8, want: 12.5 },
    { name: 'aov — (not ¥0.00) when no order is sold', gmv: 0, paid: 0, want: null },
  ])('$name', ({ gmv, paid, want }) => {
    const idx = indexFromRecords([rec('gmv', gmv), rec('paid_orders', paid)]);
    expect(selectKpis(idx, NOW).aov).toBe(want);
  });

  // Exactly what the workshop's Flink job (OrderApp.java) writes to metric_ds.
  const WORKSHOP_RECORD = '{"name":"amount","value":1234.5,"occur":1732440000123}';
  const workshopRecord = (): MetricRecord => {
    const r = parseMetricRecord(WORKSHOP_RECORD, { timeZone: 'Asia/Shanghai' });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };

  test("the workshop job's amount is today's sales on the GMV tile", () => {
    const w = workshopRecord();
    const idx = indexFromRecords([w]);
    expect(selectKpis(idx, w.occur)).toEqual({
      gmv: 1234.5,
      orders: null,
      aov: null,
      paidOrders: null,
      cancelled: null,
      buyers: null,
    });
    expect(selectWorkshopRecords(idx)).toBe(true);
    expect(selectWorkshopRecords(indexFromRecords([rec('gmv', 1)]))).toBe(false);
  });

  test("livewall's gmv wins over the workshop's amount for the same day", () => {
    const w = workshopRecord();
    const idx = indexFromRecords([w, rec('gmv', 99, { start: w.start, occur: w.occur - 1 })]);
    expect(selectKpis(idx, w.occur).gmv).toBe(99);
  });

  test('null (shown as —) where nothing arrived', () => {
    expect(selectKpis(indexFromRecords([]), NOW)).toEqual({
      gmv: null,
      orders: null,
      aov: null,
      paidOrders: null,
      cancelled: null,
      buyers: null,
    });
    expect(selectKpis(indexFromRecords([rec('gmv', 5)]), NOW)).toMatchObject({
      gmv: 5,
      orders: null,
      aov: null,
    });
  });

  // Issue 21: in the first second the tiles mixed "—" and zeros (GMV —, Orders 1, AOV ¥0.00).
  test('once the day has orders every count is a number, and AOV is — until an order is sold', () => {
    expect(selectKpis(indexFromRecords([rec('orders', 1)]), NOW)).toEqual({
      gmv: 0,
      orders: 1,
      aov: null,
      paidOrders: 0,
      cancelled: 0,
      buyers: 0,
    });
    const sold = indexFromRecords([
      rec('orders', 3),
      rec('paid_orders', 2),
      rec('gmv', 30),
      rec('aov', 0),
    ]);
    expect(selectKpis(sold, NOW)).toMatchObject({ aov: 0, paidOrders: 2 });
  });

  test('memoized: the same object until a series it reads changes', () => {
    const a = applyRecords(
      initialMetricsData,
      [rec('gmv', 1), rec('orders', 1, { window: '1m' })],
      {
        lastRecordAt: null,
        stale: false,
      },
    );
    const k = selectKpis(a.metrics, NOW);
    const b = applyRecords(a, [rec('orders', 2, { window: '1m', start: DAY + MINUTE })], {
      lastRecordAt: null,
      stale: false,
    });
    expect(b.metrics).not.toBe(a.metrics);
    expect(selectKpis(b.metrics, NOW)).toBe(k);
    const c = applyRecords(b, [rec('gmv', 2, { occur: DAY + 9e6 })], {
      lastRecordAt: null,
      stale: false,
    });
    expect(selectKpis(c.metrics, NOW)).not.toBe(k);
    expect(selectKpis(c.metrics, NOW).gmv).toBe(2);
  });
});

describe('trend', () => {
  test('at most maxMinutes, ending at the greatest 1m start, missing minutes as 0', () => {
    const end = DAY + 10 * 3_600_000;
    const idx = indexFromRecords([
      rec('orders', 5, { window: '1m', start: end }),
      rec('gmv', 50, { window: '1m', start: end }),
      rec('orders', 3, { window: '1m', start: end - 2 * MINUTE }),
      rec('orders', 9, { window: '1m', start: end - 29 * MINUTE }),
      rec('orders', 100, { window: '1m', start: end - 30 * MINUTE }), // outside the window
      rec('orders', 77, { window: '1m', start: end - MINUTE, dims: { city: 'A' } }), // not a total
      rec('orders', 500), // 1d
    ]);
    const t = selectTrend(idx, end, 30);
    expect(t).toHaveLength(30);
    expect(t[0]).toEqual({ start: end - 29 * MINUTE, orders: 9, gmv: 0 });
    expect(t[27]).toEqual({ start: end - 2 * MINUTE, orders: 3, gmv: 0 });
    expect(t[28]).toEqual({ start: end - MINUTE, orders: 0, gmv: 0 });
    expect(t[29]).toEqual({ start: end, orders: 5, gmv: 50 });
    expect(t.every((p, i) => i === 0 || p.start - t[i - 1]!.start === MINUTE)).toBe(true);
  });

  test('from the first minute with data: no made-up zeros before a fresh start', () => {
    const end = DAY + 10 * 3_600_000;
    const idx = indexFromRecords([
      rec('orders', 4, { window: '1m', start: end - 2 * MINUTE }),
      rec('orders', 5, { window: '1m', start: end }),
    ]);
    expect(selectTrend(idx, end).map((p) => p.orders)).toEqual([4, 0, 5]);
  });

  test('the end may come from gmv alone; empty when no 1m totals', () => {
    const end = DAY + MINUTE * 5;
    const t = selectTrend(indexFromRecords([rec('gmv', 1, { window: '1m', start: end })]), end, 3);
    expect(t.map((p) => p.start)).toEqual([end]);
    expect(selectTrend(indexFromRecords([rec('orders', 1)]), end)).toEqual([]);
  });
});

describe('top cities', () => {
  test("today's cities by gmv, top 8, with their orders", () => {
    const cities = [
      '北京',
      '上海',
      '广州',
      '深圳',
      '杭州',
      '成都',
      "Xi'an",
      '武汉',
      '南京',
      '重庆',
    ];
    const idx = indexFromRecords([
      ...cities.map((city, i) => rec('gmv', (i + 1) * 100, { dims: { city } })),
      ...cities.map((city, i) => rec('orders', i + 1, { dims: { city } })),
      rec('gmv', 1e9, { start: YESTERDAY, dims: { city: '天津' } }),
      rec('gmv', 5e8, { dims: {} }),
    ]);
    const top = selectTopCities(idx, NOW);
    expect(top.map((c) => c.city)).toEqual([
      '重庆',
      '南京',
      '武汉',
      "Xi'an",
      '成都',
      '杭州',
      '深圳',
      '广州',
    ]);
    expect(top[0]).toEqual({ city: '重庆', gmv: 1000, orders: 10 });
  });

  test('ties by orders then name; only cities with GMV: emptied or unpaid ones are not "¥0"', () => {
    const idx = indexFromRecords([
      rec('gmv', 10, { dims: { city: 'B' } }),
      rec('gmv', 10, { dims: { city: 'A' } }),
      rec('gmv', 10, { dims: { city: 'C' } }),
      rec('orders', 2, { dims: { city: 'C' } }),
      rec('gmv', 0, { dims: { city: 'Gone' } }),
      rec('orders', 0, { dims: { city: 'Gone' } }),
      rec('orders', 4, { dims: { city: 'Unpaid' } }),
    ]);
    expect(selectTopCities(idx, NOW).map((c) => c.city)).toEqual(['C', 'A', 'B']);
    expect(selectTopCities(idx, NOW, 2)).toHaveLength(2);
  });
});

describe('status breakdown', () => {
  test("today's orders by status, in a steady order, without empty ones", () => {
    const idx = indexFromRecords([
      rec('orders', 4, { dims: { status: 'finished' } }),
      rec('orders', 3, { dims: { status: 'cancel' } }),
      rec('orders', 9, { dims: { status: 'unpaid' } }),
      rec('orders', 0, { dims: { status: 'paid' } }),
      rec('orders', 1, { dims: { status: 'refunded' } }),
      rec('orders', 50, { start: YESTERDAY, dims: { status: 'shipping' } }),
      rec('orders', 17, { dims: {} }),
    ]);
    expect(selectStatusBreakdown(idx, NOW)).toEqual([
      { status: 'unpaid', orders: 9 },
      { status: 'cancel', orders: 3 },
      { status: 'finished', orders: 4 },
      { status: 'refunded', orders: 1 },
    ]);
  });
});

describe('burst bar', () => {
  const p = {
    burstId: 1,
    target: 'embedded',
    requested: 200,
    inserted: 50,
    updated: 9,
    failed: 10,
    pendingSteps: 4,
  } as const;
  test.each([
    ['no push yet', null, 200, 0],
    ['settled orders of those asked for', p, 200, 0.3],
    ['never past full', { ...p, inserted: 300 }, 200, 1],
    ['nothing asked for', { ...p, requested: 0 }, null, 0],
  ])('%s', (_name, progress, requested, want) => {
    expect(burstFraction(progress, requested)).toBeCloseTo(want);
  });
});
