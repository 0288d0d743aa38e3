/**
 * What the fold keeps between changes so a change costs less: the customer's answer an order's
 * next change reuses, and the group lists shared by rows of one shape, whose emptied groups come
 * back when a row needs them again. Each must leave every value as if nothing were kept.
 */
import { describe, expect, test } from 'vitest';
import type { MetricRecord, OrderRow } from '../../../src/shared/contracts';
import { dayStart, formatDbDatetime, minuteStart } from '../../../src/shared/time';
import {
  MetricsEngine,
  notAfter,
  positionOf,
  type CustomerInfo,
  type CustomerLookup,
  type Version,
} from '../../../src/main/engine/metricsEngine';
import { orderRow } from '../../support/changeEvents';

const TZ = 'Asia/Shanghai';
const NOW = Date.UTC(2026, 10, 24, 4, 0, 0);
const CREATED = NOW - 60_000;

function change(type: 'insert' | 'update', over: Partial<OrderRow> = {}): string {
  const data = orderRow(1, formatDbDatetime(CREATED, TZ), over);
  return JSON.stringify({ database: 'demo', table: 'order', type, ts: NOW / 1000, data });
}

/** A dimension whose answers the test sets, counting the questions per mail. */
function dimension(answer: (mail: string) => CustomerInfo | null) {
  const asked: string[] = [];
  const lookup: CustomerLookup = (mail) => {
    asked.push(mail);
    return answer(mail);
  };
  return { asked, lookup };
}

function engineWith(lookup: CustomerLookup, clock = { now: NOW }): MetricsEngine {
  return new MetricsEngine({
    timeZone: TZ,
    dbTimeZone: TZ,
    customer: lookup,
    now: () => clock.now,
  });
}

const gmvOfLevel = (records: MetricRecord[], level: number | null): number | undefined =>
  records.find((r) => r.name === 'gmv' && r.window === '1d' && r.dims.level === level)?.value;

describe('the customer answer an order reuses', () => {
  test('an answer that stands is asked once for the order and its buyer', () => {
    const d = dimension(() => ({ level: 3, sex: 'F', until: Infinity }));
    const e = engineWith(d.lookup);
    e.applyRaw(change('insert', { status: 'unpaid' }));
    e.applyRaw(change('update', { status: 'paid' }));
    const wide = e.applyRaw(change('update', { status: 'shipping' }));
    expect(d.asked).toEqual(['a@x.cn']);
    // The reused answer still gives the wide row its customer.
    expect(wide).toMatchObject({ level: 3, sex: 'F' });
    expect(gmvOfLevel(e.drain(), 3)).toBe(10);
  });

  test('another buyer on the order is asked for', () => {
    const d = dimension((m) => ({ level: m === 'a@x.cn' ? 3 : 5, sex: 'F', until: Infinity }));
    const e = engineWith(d.lookup);
    e.applyRaw(change('insert'));
    e.drain();
    e.applyRaw(change('update', { user_mail: 'jack@163.com' }));
    expect(d.asked).toEqual(['a@x.cn', 'jack@163.com']);
    const out = e.drain();
    expect(gmvOfLevel(out, 5)).toBe(10);
    expect(gmvOfLevel(out, 3)).toBe(0);
  });

  test('an answer without until is asked at every change', () => {
    const d = dimension(() => ({ level: 3, sex: 'F' }));
    const e = engineWith(d.lookup);
    e.applyRaw(change('insert'));
    e.applyRaw(change('update', { status: 'shipping' }));
    e.applyRaw(change('update', { status: 'finished' }));
    expect(d.asked).toHaveLength(3);
  });

  test('past its until the dimension is asked again, and its new level counts', () => {
    let level = 3;
    const d = dimension(() => ({ level, sex: 'F', until: NOW + 60_000 }));
    const clock = { now: NOW };
    const e = engineWith(d.lookup, clock);
    e.applyRaw(change('insert'));
    e.drain();
    level = 4;
    clock.now = NOW + 60_000; // the answer stood until now: no longer
    e.applyRaw(change('update', { status: 'shipping' }));
    expect(d.asked).toHaveLength(2);
    const out = e.drain();
    expect(gmvOfLevel(out, 4)).toBe(10);
    expect(gmvOfLevel(out, 3)).toBe(0);
  });

  test('no answer (no such customer) is asked again at the next change', () => {
    const d = dimension(() => null);
    const e = engineWith(d.lookup);
    e.applyRaw(change('insert'));
    e.applyRaw(change('update', { status: 'shipping' }));
    expect(d.asked).toHaveLength(2);
  });

  test('an order restored from a checkpoint asks again', () => {
    const d = dimension(() => ({ level: 3, sex: 'F', until: Infinity }));
    const e = engineWith(d.lookup);
    e.applyRaw(change('insert'));
    e.drain();
    e.freeze();
    const lines = [...e.stateLines()];
    e.thaw();
    const restored = engineWith(d.lookup);
    const loader = restored.restoreLines();
    for (const line of lines) expect(loader.take(JSON.parse(line))).toBeNull();
    expect(loader.end()).toBeNull();
    restored.applyRaw(change('update', { status: 'shipping' }));
    expect(d.asked).toHaveLength(2);
  });
});

describe('groups found by their start and slot', () => {
  test("an order of midnight's minute counts in the day's groups and that minute's apart", () => {
    const e = engineWith(() => ({ level: 3, sex: 'F' }));
    const midnight = dayStart(NOW, TZ);
    const t = formatDbDatetime(midnight + 30_000, TZ);
    e.applyRaw(change('insert', { create_time: t, update_time: t }));
    e.applyRaw(change('insert', { order_id: 2 })); // paid, a minute before NOW
    const out = e.drain().filter((r) => r.start === midnight && Object.keys(r.dims).length === 0);
    const value = (name: string, window: '1d' | '1m') =>
      out.find((r) => r.name === name && r.window === window)?.value;
    expect(value('orders', '1d')).toBe(2);
    expect(value('orders', '1m')).toBe(1);
    expect(value('gmv', '1d')).toBe(20);
    expect(value('gmv', '1m')).toBe(10);
  });
});

describe('the buckets of the starts asked last', () => {
  test('a minute whose bucket was let go finds its groups again, by key, once each', () => {
    const e = engineWith(() => ({ level: 3, sex: 'F' }));
    const first = minuteStart(NOW - 300 * 60_000);
    const at = (i: number) => formatDbDatetime(first + i * 60_000, TZ);
    // 300 minutes: more starts than are kept, so the first minute's bucket goes.
    for (let i = 0; i < 300; i++) {
      e.applyRaw(change('insert', { order_id: i + 1, create_time: at(i), update_time: at(i) }));
    }
    e.drain();
    e.applyRaw(change('insert', { order_id: 1_000, create_time: at(0), update_time: at(0) }));
    const total = e
      .drain()
      .filter((r) => r.name === 'orders' && r.window === '1m' && r.start === first);
    expect(total.map((r) => [r.dims, r.value])).toEqual([
      [{}, 2],
      [{ city: '西安' }, 2],
      [{ status: 'paid' }, 2],
    ]);
  });
});

describe('groups emptied, dropped and needed again', () => {
  const minute = minuteStart(CREATED);
  const unpaidOfMinute = (records: MetricRecord[]) =>
    records.find(
      (r) =>
        r.name === 'orders' &&
        r.window === '1m' &&
        r.start === minute &&
        r.dims.status === 'unpaid',
    )?.value;

  test('a row of a shape whose group was dropped counts in that group again, kept and emitted', () => {
    const e = engineWith(() => ({ level: 3, sex: 'F' }));
    e.applyRaw(change('insert', { status: 'unpaid' }));
    expect(unpaidOfMinute(e.drain())).toBe(1);
    e.applyRaw(change('update', { status: 'paid' }));
    expect(unpaidOfMinute(e.drain())).toBe(0); // emptied: once with 0, then dropped
    // Order 2 has order 1's first shape: its cached group list held the dropped group.
    e.applyRaw(change('insert', { order_id: 2, status: 'unpaid' }));
    e.applyRaw(change('insert', { order_id: 3, status: 'unpaid' }));
    expect(unpaidOfMinute(e.drain())).toBe(2);
    // The group is in the state again, once, with its value.
    e.freeze();
    const aggs = [...e.stateLines()]
      .map((l) => JSON.parse(l) as { a?: unknown[][] })
      .flatMap((l) => l.a ?? [])
      .filter((a) => a[0] === 'orders' && a[1] === '1m' && a[4] === 'unpaid');
    e.thaw();
    expect(aggs).toEqual([['orders', '1m', minute, 'status', 'unpaid', 2, 2, NOW]]);
  });

  test('a row moving back to a status whose group was dropped counts again', () => {
    const e = engineWith(() => ({ level: 3, sex: 'F' }));
    e.applyRaw(change('insert', { status: 'unpaid' }));
    e.applyRaw(change('update', { status: 'paid' }));
    e.drain();
    e.applyRaw(change('update', { status: 'cancel' }));
    e.drain();
    e.applyRaw(change('update', { status: 'paid' }));
    e.applyRaw(change('update', { status: 'unpaid' }));
    const out = e.drain();
    expect(unpaidOfMinute(out)).toBe(1);
    expect(
      out.find(
        (r) => r.name === 'gmv' && r.window === '1d' && !('level' in r.dims) && !('city' in r.dims),
      )?.value,
    ).toBe(0);
  });
});

describe('binlog positions read in place', () => {
  test('every position orders changes as positionOf() and notAfter() do', () => {
    // Positions in one file mostly (the fast path), with other files, colons in names, leading
    // zeros, long and damaged offsets among them (positionOf's regular expression decides those).
    const positions = [
      'mysql-bin.000003:400',
      'mysql-bin.000003:0401',
      'mysql-bin.000003:399',
      'mysql-bin.000003:400',
      'mysql-bin.000003:1:2',
      'mysql-bin.000003:12a',
      'mysql-bin.000003:',
      'mysql-bin.000003:99999999999999999',
      'mysql-bin.000004:5',
      'mysql-bin.000003:123456789012345',
      'mysql-bin.000004:6',
      'mysql-bin.000004\n:7',
      'mysql-bin.000004:7',
    ];
    const e = engineWith(() => null);
    let known: Version | null = null;
    let stale = 0;
    positions.forEach((position, i) => {
      const text = JSON.stringify({
        ...JSON.parse(change(i === 0 ? 'insert' : 'update')),
        position,
        xoffset: 0,
      });
      const v = positionOf({ position, xoffset: 0 });
      if (v.vFile !== null && known !== null && known.vFile !== null && notAfter(v, known)) stale++;
      else known = v; // applied: the row holds this position (none, when it has none)
      e.applyRaw(text);
      expect(e.stats().stale, `after ${JSON.stringify(position)}`).toBe(stale);
    });
    expect(stale).toBeGreaterThan(2);
  });
});
