/**
 * Issue 24's findings on the engine itself: one bad record must neither take over the wall nor
 * poison the state or its checkpoint, and another database must not count.
 */
import { describe, expect, test } from 'vitest';
import type { MetricRecord, OrderRow } from '../../../src/shared/contracts';
import { dayStart, formatDbDatetime } from '../../../src/shared/time';
import { MetricsEngine } from '../../../src/main/engine/metricsEngine';
import { orderRow } from '../../support/changeEvents';

const TZ = 'UTC';
const NOW = Date.UTC(2026, 11, 7, 12);
const today = dayStart(NOW, TZ);

const row = (id: number, over: Partial<OrderRow> = {}): OrderRow =>
  orderRow(id, formatDbDatetime(NOW - 60_000, TZ), over);

const ev = (data: OrderRow, over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    database: 'demo',
    table: 'order',
    type: 'insert',
    ts: NOW / 1000,
    data,
    ...over,
  });

const engine = (): MetricsEngine =>
  new MetricsEngine({ timeZone: TZ, dbTimeZone: TZ, now: () => NOW });

/** A copy of the engine through its checkpoint lines (format 2, via JSON text). */
function throughCheckpoint(from: MetricsEngine): MetricsEngine {
  const to = engine();
  from.freeze();
  const loader = to.restoreLines();
  for (const line of from.stateLines()) expect(loader.take(JSON.parse(line))).toBeNull();
  expect(loader.end()).toBeNull();
  from.thaw();
  return to;
}

const total = (records: MetricRecord[], name: string): number | undefined =>
  records.find((r) => r.name === name && r.window === '1d' && Object.keys(r.dims).length === 0)
    ?.value;

describe('poison', () => {
  test('a create_time in year 9999 is skipped and never makes a day of its own', () => {
    const e = engine();
    e.applyRaw(ev(row(1)));
    e.applyRaw(ev(row(2, { create_time: '9999-12-31 23:59:59', city: 'FUTURE' })));
    const out = e.drain();
    expect(out.every((r) => r.start <= NOW)).toBe(true);
    expect(out.some((r) => r.dims.city === 'FUTURE')).toBe(false);
    expect(total(out, 'orders')).toBe(1);
    expect(e.stats().rejected['create-time-future']).toBe(1);
    expect(e.stats().lastRejected).toMatch(/order 2: create_time "9999-12-31 23:59:59"/);
  });

  test.each([
    ['ts 1e306', { ts: 1e306 }, {}, 'ts-out-of-range'],
    ['amount 1e307', {}, { amount: 1e307 }, 'amount-out-of-range'],
    ['ts in milliseconds', { ts: NOW }, {}, 'ts-out-of-range'],
  ] as const)(
    '%s is skipped: every value and occur stays finite, the checkpoint restores',
    (_n, evOver, rowOver, reason) => {
      const e = engine();
      e.applyRaw(ev(row(1)));
      e.applyRaw(ev(row(2, rowOver), evOver));
      e.applyRaw(ev(row(3)));
      const out = e.drain();
      // JSON is what leaves the engine: a non-finite number would arrive as null.
      const sent = JSON.parse(JSON.stringify(out)) as MetricRecord[];
      expect(sent.every((r) => Number.isFinite(r.value) && Number.isFinite(r.occur))).toBe(true);
      expect(total(sent, 'gmv')).toBe(20);
      expect(e.stats().rejected[reason]).toBe(1);
      const restored = throughCheckpoint(e);
      restored.reemitAll();
      expect(total(restored.drain(), 'gmv')).toBe(20);
    },
  );

  test("another database's events are skipped and never overwrite an order of ours", () => {
    const e = engine();
    e.applyRaw(ev(row(7, { amount: 10 })));
    e.applyRaw(
      ev(row(7, { amount: 99, status: 'cancel' }), { database: 'otherdb', type: 'update' }),
    );
    e.applyRaw(ev(row(7), { database: 'otherdb', type: 'delete' }));
    e.applyRaw(ev(row(8, { amount: 5 }), { database: 'otherdb' }));
    const out = e.drain();
    expect(total(out, 'gmv')).toBe(10);
    expect(total(out, 'orders')).toBe(1);
    expect(e.stats()).toMatchObject({ liveOrders: 1, rejected: { 'other-database': 3 } });
  });

  test('--database chooses the database folded', () => {
    const e = new MetricsEngine({ timeZone: TZ, dbTimeZone: TZ, now: () => NOW, database: 'shop' });
    e.applyRaw(ev(row(1)));
    e.applyRaw(ev(row(2), { database: 'shop' }));
    expect(e.stats()).toMatchObject({ liveOrders: 1, rejected: { 'other-database': 1 } });
  });

  test('a checkpoint of format 1 is still read', () => {
    const e = engine();
    const v1 = {
      v: 1,
      rows: [
        [
          1,
          {
            day: today,
            minute: NOW - 60_000,
            city: '西安',
            status: 'paid',
            mail: 'a@x.cn',
            cents: 1000,
            level: null,
            pending: false,
            version: 'mysql-bin.000001\u000000000000000000001200\u00000000000000',
          },
        ],
      ],
      tombstones: [],
      aggs: [],
      dayOccur: [[today, NOW]],
      maxOccur: NOW,
    };
    e.restore(v1 as unknown as Parameters<MetricsEngine['restore']>[0]);
    expect(e.stats().liveOrders).toBe(1);
    // A replay of an older position is stale; a newer one applies.
    const older = ev(row(1, { amount: 1 }), { type: 'update', position: 'mysql-bin.000001:1100' });
    const newer = ev(row(1, { amount: 2 }), { type: 'update', position: 'mysql-bin.000001:1300' });
    expect(e.applyRaw(older)).toBeNull();
    expect(e.stats().stale).toBe(1);
    expect(e.applyRaw(newer)).not.toBeNull();
  });

  test('a damaged checkpoint line refuses the whole state', () => {
    const e = engine();
    e.applyRaw(ev(row(1)));
    e.freeze();
    const lines = [...e.stateLines()].map((l) => JSON.parse(l) as Record<string, unknown>);
    const to = engine();
    const loader = to.restoreLines();
    const rows = lines[1] as { r: unknown[][] };
    (rows.r[0] as unknown[])[6] = null; // cents
    expect(loader.take(lines[0])).toBeNull();
    expect(loader.take(rows)).toMatch(/damaged/);
  });
});
