/**
 * The engine under an at-least-once stream: repeats, replayed tails, interleaved orders, pending
 * customer lookups, wide rows, and a checkpoint that resumes exactly.
 */
import { describe, expect, test } from 'vitest';
import type { MetricRecord, OrderRow } from '../../../src/shared/contracts';
import { metricIdentity } from '../../../src/shared/identity';
import { MetricState } from '../../../src/shared/metricState';
import { dayStart, formatDbDatetime } from '../../../src/shared/time';
import {
  MetricsEngine,
  notAfter,
  positionOf,
  type CustomerInfo,
} from '../../../src/main/engine/metricsEngine';
import { seededRandom } from '../../../src/main/lib/random';
import { orderRow } from '../../support/changeEvents';

const TZ = 'UTC';
const NOW = Date.UTC(2026, 10, 24, 12);
const today = dayStart(NOW, TZ);

const row = (id: number, over: Partial<OrderRow> = {}): OrderRow =>
  orderRow(id, formatDbDatetime(NOW - 3_600_000, TZ), { status: 'unpaid', ...over });

/** Maxwell JSON with a binlog position, as `output_binlog_position` gives it. */
function ev(
  type: 'insert' | 'update' | 'delete',
  data: OrderRow,
  pos: number | null,
  ts = NOW / 1000,
): string {
  return JSON.stringify({
    database: 'demo',
    table: 'order',
    type,
    ts,
    data,
    ...(pos === null ? {} : { position: `mysql-bin.000001:${pos}`, xoffset: 0 }),
  });
}

const engine = (customer?: (m: string) => CustomerInfo | null | undefined) =>
  new MetricsEngine({
    timeZone: TZ,
    dbTimeZone: TZ,
    now: () => NOW,
    ...(customer ? { customer } : {}),
  });

function totals(records: MetricRecord[], state = new MetricState()): Map<string, number> {
  for (const r of records) state.apply(r);
  return new Map(state.records().map((r) => [metricIdentity(r), r.value]));
}
const get = (m: Map<string, number>, name: string, dims: MetricRecord['dims'] = {}) =>
  m.get(metricIdentity({ name, window: '1d', start: today, dims }));

describe('exactly the SQL view under an at-least-once stream', () => {
  test('versions sort like the binlog', () => {
    const a = positionOf({ position: 'mysql-bin.000009:99999' });
    const b = positionOf({ position: 'mysql-bin.000010:4' });
    const c = positionOf({ position: 'mysql-bin.000010:4', xoffset: 1 });
    // a < b < c: each is at or before the next, and never the other way round.
    expect(notAfter(a, b) && notAfter(b, c) && !notAfter(b, a) && !notAfter(c, b)).toBe(true);
    expect(positionOf({}).vFile).toBeNull();
  });

  test('a replayed tail (with positions) is skipped and never flickers the totals', () => {
    const e = engine();
    const events = [
      ev('insert', row(1), 100),
      ev('update', row(1, { status: 'paid' }), 200),
      ev('insert', row(2, { status: 'paid', amount: 5 }), 300),
      ev('delete', row(1, { status: 'paid' }), 400),
    ];
    for (const x of events) e.applyRaw(x);
    const settled = totals(e.drain());
    // The producer restarted and sent its unacknowledged tail again.
    const replay: MetricRecord[] = [];
    for (const x of events.slice(1)) {
      e.applyRaw(x);
      replay.push(...e.drain());
    }
    expect(replay).toEqual([]);
    expect(e.stats()).toMatchObject({ stale: 3, applied: 4 });
    expect(get(settled, 'orders')).toBe(1);
    expect(get(settled, 'gmv')).toBe(5);
  });

  test('without positions, a repeated event changes nothing and a replay ends exact', () => {
    const e = engine();
    const events = [
      ev('insert', row(1), null),
      ev('update', row(1, { status: 'paid', amount: 20 }), null),
      ev('insert', row(2), null),
    ];
    for (const x of [...events, events[1] as string, events[1] as string, ...events]) e.applyRaw(x);
    const m = totals(e.drain());
    expect(get(m, 'orders')).toBe(2);
    expect(get(m, 'gmv')).toBe(20);
    expect(get(m, 'paid_orders')).toBe(1);
  });

  test('orders interleaved in any order across shards give the same totals', () => {
    const rnd = seededRandom(9);
    const perOrder: string[][] = [];
    let pos = 0;
    for (let id = 1; id <= 200; id++) {
      const list = [
        ev('insert', row(id, { city: ['北京', '上海'][id % 2] as string }), (pos += 10)),
      ];
      if (id % 3 === 0)
        list.push(ev('update', row(id, { status: 'paid', amount: id }), (pos += 10)));
      if (id % 7 === 0)
        list.push(
          ev(
            'delete',
            row(id, { status: id % 3 === 0 ? 'paid' : 'unpaid', amount: id }),
            (pos += 10),
          ),
        );
      perOrder.push(list);
    }
    const inOrder = engine();
    for (const list of perOrder) for (const x of list) inOrder.applyRaw(x);
    // Any interleaving that keeps each order's own events in order (as shards do).
    const shuffled = engine();
    const queues = perOrder.map((l) => [...l]);
    while (queues.some((q) => q.length)) {
      const open = queues.filter((q) => q.length);
      shuffled.applyRaw((open[Math.floor(rnd() * open.length)] as string[]).shift() as string);
    }
    expect(totals(shuffled.drain())).toEqual(totals(inOrder.drain()));
  });

  test('a customer still being looked up folds at null, then moves to its level when it answers', () => {
    const known = new Map<string, CustomerInfo | null>();
    const e = engine((m) => known.get(m));
    e.applyRaw(ev('insert', row(1, { status: 'paid', amount: 30 }), 1));
    const wide = e.applyRaw(
      ev('insert', row(2, { status: 'paid', amount: 12, user_mail: 'b@x.cn' }), 2),
    );
    expect(wide).toMatchObject({ order_id: 2, level: null, sex: null, op: 'insert', ts: NOW });
    const state = new MetricState();
    let m = totals(e.drain(), state);
    expect(get(m, 'gmv', { level: null })).toBe(42);
    expect(e.stats().pendingCustomers).toBe(2);
    expect(e.pendingMails().sort()).toEqual(['a@x.cn', 'b@x.cn']);
    e.refreshCustomer('a@x.cn', { level: 3, sex: 'F' });
    e.refreshCustomer('b@x.cn', null); // no such customer: stays at null, counted
    m = totals(e.drain(), state);
    expect(get(m, 'gmv', { level: null })).toBe(12);
    expect(get(m, 'gmv', { level: 3 })).toBe(30);
    expect(e.stats().pendingCustomers).toBe(0);
    expect(e.applyRaw(ev('update', row(1, { status: 'finished', amount: 30 }), 3))).toMatchObject({
      level: null,
      op: 'update',
    });
  });

  test('wide rows: contract 3 for every change, the delete carrying the row as deleted', () => {
    const e = engine((m) => (m === 'a@x.cn' ? { level: 4, sex: 'M' } : null));
    const r = row(5, { status: 'cancel' });
    expect(e.applyRaw(ev('insert', r, 1))).toEqual({
      ...r,
      sex: 'M',
      level: 4,
      op: 'insert',
      ts: NOW,
    });
    expect(e.applyRaw(ev('delete', r, 2))).toEqual({
      ...r,
      sex: 'M',
      level: 4,
      op: 'delete',
      ts: NOW,
    });
    expect(e.applyRaw(ev('insert', row(6, { user_mail: 'zz@x.cn' }), 3))).toMatchObject({
      sex: null,
      level: null,
    });
  });

  test('a checkpoint restored into a new engine continues exactly', () => {
    const rnd = seededRandom(3);
    const events: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const id = 1 + Math.floor(rnd() * 300);
      const type = rnd() < 0.1 ? 'delete' : rnd() < 0.5 ? 'insert' : 'update';
      events.push(
        ev(
          type,
          row(id, {
            status: ['unpaid', 'paid', 'cancel', 'finished'][Math.floor(rnd() * 4)] as string,
            amount: Math.floor(rnd() * 1000) / 10,
            user_mail: `${id % 9}@x.cn`,
          }),
          i + 1,
        ),
      );
    }
    const customer = (m: string) => ({ level: m.length, sex: 'F' });
    const whole = engine(customer);
    const first = engine(customer);
    const out: MetricRecord[] = [];
    for (const x of events.slice(0, 1_000)) first.applyRaw(x);
    out.push(...first.drain());
    const second = engine(customer);
    first.freeze();
    const loader = second.restoreLines();
    for (const line of first.stateLines()) expect(loader.take(JSON.parse(line))).toBeNull();
    expect(loader.end()).toBeNull();
    for (const x of events.slice(1_000)) second.applyRaw(x);
    out.push(...second.drain());
    for (const x of events) whole.applyRaw(x);
    expect(totals(out)).toEqual(totals(whole.drain()));
    expect(second.stats().liveOrders).toBe(whole.stats().liveOrders);
  });
});

describe('create_time', () => {
  test.each([
    'yesterday',
    '2026-11-24 10:00:61',
    '2026-11-24 10:00',
    '2026-13-24 10:00:00',
    '2026-11-24 10:00:00x',
  ])('%j is not a datetime: counted under its reason, named and skipped', (t) => {
    const e = engine();
    expect(e.applyRaw(ev('insert', row(1, { create_time: t }), null))).toBeNull();
    expect(e.stats()).toMatchObject({
      applied: 0,
      rejected: { 'create-time-invalid': 1 },
      lastRejected: `order 1: create_time "${t}" is not a datetime (create-time-invalid)`,
    });
  });

  test('fractions of a second are read; the minute and day come from the database zone', () => {
    const e = new MetricsEngine({ timeZone: 'Asia/Shanghai', dbTimeZone: 'UTC', now: () => NOW });
    // 16:30 UTC is 00:30 the next day in Shanghai.
    e.applyRaw(ev('insert', row(1, { create_time: '2026-11-24 16:30:05.250' }), null));
    const m = totals(e.drain());
    expect(
      m.get(
        metricIdentity({
          name: 'orders',
          window: '1d',
          start: Date.UTC(2026, 10, 24, 16),
          dims: {},
        }),
      ),
    ).toBe(1);
    expect(
      m.get(
        metricIdentity({
          name: 'orders',
          window: '1m',
          start: Date.UTC(2026, 10, 24, 16, 30),
          dims: {},
        }),
      ),
    ).toBe(1);
  });
});
