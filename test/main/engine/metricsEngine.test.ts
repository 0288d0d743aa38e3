import { describe, expect, test } from 'vitest';
import type { ChangeEvent, MetricRecord, OrderRow } from '../../../src/shared/contracts';
import { metricIdentity } from '../../../src/shared/identity';
import { MetricState } from '../../../src/shared/metricState';
import { dayStart, formatDbDatetime, parseDbDatetime } from '../../../src/shared/time';
import { MetricsEngine } from '../../../src/main/engine/metricsEngine';
import { seededRandom } from '../../../src/main/lib/random';
import { nonZero, oracleFold, recordsToMap } from '../../support/oracle';

const TZ = 'Asia/Shanghai';
const NOW = Date.UTC(2026, 10, 24, 4, 0, 0); // 12:00 in Shanghai
const levels: Record<string, number> = { 'pony@qq.com': 5, 'jack@163.com': 3 };
const customer = (m: string) => (m in levels ? { level: levels[m] ?? null, sex: 'M' } : null);

/** The same dimension, its answers standing for ever: the engine reuses them per order. */
const lasting = (m: string) => {
  const c = customer(m);
  return c && { ...c, until: Infinity };
};

function engine(lookup = customer): MetricsEngine {
  return new MetricsEngine({ timeZone: TZ, dbTimeZone: TZ, customer: lookup, now: () => NOW });
}

function row(id: number, over: Partial<OrderRow> = {}): OrderRow {
  const t = formatDbDatetime(NOW - 60_000, TZ);
  return {
    order_id: id,
    user_mail: 'pony@qq.com',
    status: 'unpaid',
    good_count: 2,
    city: '西安',
    amount: 99.5,
    create_time: t,
    update_time: t,
    ...over,
  };
}

function event(type: ChangeEvent['type'], data: OrderRow, old?: Partial<OrderRow>): string {
  return JSON.stringify({
    database: 'demo',
    table: 'order',
    type,
    ts: NOW / 1000,
    xid: 1,
    commit: true,
    data,
    ...(old ? { old } : {}),
  });
}

/** The engine's emitted records folded by the identity rule, as a consumer would hold them. */
function fold(records: MetricRecord[], state = new MetricState()): MetricState {
  for (const r of records) state.apply(r);
  return state;
}

const today = dayStart(NOW, TZ);
const value = (
  s: MetricState,
  name: string,
  dims: MetricRecord['dims'] = {},
  window: '1d' | '1m' = '1d',
  start = today,
) => s.get(metricIdentity({ name, window, start, dims }))?.value;

describe('MetricsEngine', () => {
  // What each drain writes (coalescing, emptied groups, aov and buyers, retention) is stated in
  // test/vectors/emitter.json: emitter.test.ts.
  test('an unknown customer folds with a null level', () => {
    const e = engine();
    e.applyRaw(
      event('insert', row(1, { user_mail: 'nobody@x.cn', status: 'finished', amount: 10 })),
    );
    const s = fold(e.drain());
    expect(value(s, 'gmv', { level: null })).toBe(10);
  });

  test.each([
    ['not json', 'change event: not JSON'],
    [
      '{"database":"demo","table":"order","type":"insert","ts":1,"data":{"order_id":"x"}}',
      'order row: "order_id" must be an integer',
    ],
    [
      '{"database":"demo","table":"order","type":"truncate","ts":1,"data":{}}',
      'change event: unknown "type" "truncate"',
    ],
  ])('malformed %s is counted and skipped', (input, error) => {
    const e = engine();
    e.applyRaw(input);
    expect(e.stats()).toMatchObject({ malformed: 1, applied: 0, lastError: error });
    expect(e.drain()).toEqual([]);
  });

  test('other tables and bootstrap markers are ignored, bootstrap-insert counts as insert', () => {
    const e = engine();
    e.applyRaw(
      JSON.stringify({ database: 'demo', table: 'customer', type: 'insert', ts: 1, data: {} }),
    );
    e.applyRaw(
      JSON.stringify({
        database: 'demo',
        table: 'order',
        type: 'bootstrap-start',
        ts: 1,
        data: {},
      }),
    );
    e.applyRaw(
      JSON.stringify({ ...JSON.parse(event('insert', row(3))), type: 'bootstrap-insert' }),
    );
    expect(e.stats()).toMatchObject({ ignored: 2, applied: 1, malformed: 0 });
  });

  test('rows created before the days kept are counted as skipped', () => {
    const e = engine();
    const old = formatDbDatetime(NOW - 3 * 86_400_000, TZ);
    e.applyRaw(event('insert', row(1, { create_time: old, update_time: old })));
    expect(e.stats()).toMatchObject({ skipped: 1, applied: 0 });
    // Yesterday is kept by default.
    const y = formatDbDatetime(NOW - 86_400_000, TZ);
    e.applyRaw(event('insert', row(2, { create_time: y, update_time: y })));
    expect(e.stats().applied).toBe(1);
  });

  test.each([
    ['asked at every change', customer],
    ['reused per order', lasting],
  ])(
    'a random workload of inserts, updates and deletes equals the independent fold (answers %s)',
    (_, lookup) => {
      const rnd = seededRandom(42);
      const e = engine(lookup);
      const table = new Map<number, OrderRow>();
      const events: string[] = [];
      const emitted: MetricRecord[] = [];
      const mails = ['pony@qq.com', 'jack@163.com', 'guest@x.cn'];
      const cities = ['北京', '上海', "Xi'an"];
      const statuses = ['unpaid', 'paid', 'cancel', 'shipping', 'finished'];
      const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)] as T;
      let nextId = 1;
      for (let i = 0; i < 5_000; i++) {
        const x = rnd();
        const ids = [...table.keys()];
        let text: string;
        if (x < 0.4 || ids.length === 0) {
          // Spread creation over yesterday and today, minutes apart.
          const created = NOW - Math.floor(rnd() * 30 * 3_600_000);
          const t = formatDbDatetime(created, TZ);
          const r = row(nextId++, {
            status: pick(statuses),
            city: pick(cities),
            user_mail: pick(mails),
            amount: Math.round(rnd() * 99_000 + 1000) / 100,
            create_time: t,
            update_time: t,
          });
          table.set(r.order_id, r);
          text = event('insert', r);
        } else if (x < 0.9) {
          const prev = table.get(pick(ids)) as OrderRow;
          const next = { ...prev, status: pick(statuses) };
          if (rnd() < 0.3) next.amount = Math.round(rnd() * 99_000 + 1000) / 100;
          if (rnd() < 0.2) next.city = pick(cities);
          if (rnd() < 0.2) next.user_mail = pick(mails);
          table.set(next.order_id, next);
          text = event('update', next, { status: prev.status });
        } else {
          const prev = table.get(pick(ids)) as OrderRow;
          table.delete(prev.order_id);
          text = event('delete', prev);
        }
        events.push(text);
        e.applyRaw(text);
        if (rnd() < 0.05) emitted.push(...e.drain());
      }
      emitted.push(...e.drain());
      const state = fold(emitted);
      const want = oracleFold(events, { timeZone: TZ, level: (m) => levels[m] ?? null });
      expect(nonZero(recordsToMap(state.records()))).toEqual(nonZero(want));
      expect(e.stats()).toMatchObject({ applied: 5_000, malformed: 0, skipped: 0 });
      expect(parseDbDatetime(formatDbDatetime(NOW, TZ), TZ)).toBe(NOW);
    },
  );
});
