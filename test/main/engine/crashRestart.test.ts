/**
 * A crash between two checkpoints: the killed engine put records of changes after its last
 * checkpoint, the restarted one folds those changes again from the checkpoint's positions. What a
 * screen holds in the end (the last record of each identity, from both) must equal the fold of
 * every change, even where the two folded a change differently: a customer lookup that was still
 * under way in the first (a null level) and answered at once in the second.
 */
import { describe, expect, test } from 'vitest';
import type { MetricRecord, OrderRow } from '../../../src/shared/contracts';
import { metricIdentity } from '../../../src/shared/identity';
import { MetricState } from '../../../src/shared/metricState';
import { formatDbDatetime, minuteStart } from '../../../src/shared/time';
import { MetricsEngine, type CustomerInfo } from '../../../src/main/engine/metricsEngine';

const TZ = 'Asia/Shanghai';
const NOW = Date.UTC(2026, 10, 24, 4);
/** The minute of the order changed after the checkpoint: no other order was created in it. */
const MINUTE = minuteStart(NOW - 600_000);

const customers = new Map<string, CustomerInfo>([
  ['pony@qq.com', { level: 5, sex: 'M' }],
  ['jack@163.com', { level: 3, sex: 'M' }],
]);

function ev(id: number, pos: number, at: number, over: Partial<OrderRow> = {}): string {
  const t = formatDbDatetime(at, TZ);
  const data: OrderRow = {
    order_id: id,
    user_mail: 'pony@qq.com',
    status: 'paid',
    good_count: 1,
    city: '上海',
    amount: 12.5,
    create_time: t,
    update_time: t,
    ...over,
  };
  return JSON.stringify({
    database: 'demo',
    table: 'order',
    type: pos === 4 ? 'update' : 'insert',
    ts: Math.floor((NOW - 60_000) / 1000) + pos,
    data,
    position: `mysql-bin.000001:${pos}`,
    xoffset: 0,
  });
}

/** The lookup: `answered` false while it is under way (the first run on a busy machine). */
function engine(answered: () => boolean, now = NOW): MetricsEngine {
  return new MetricsEngine({
    timeZone: TZ,
    dbTimeZone: TZ,
    now: () => now,
    customer: (m) => (answered() ? (customers.get(m) ?? null) : undefined),
  });
}

/** The screen's view: the last record per identity, without the groups emptied to 0. */
function screen(records: MetricRecord[]): Map<string, number> {
  const state = new MetricState();
  for (const r of records) state.apply(r);
  return new Map(
    state
      .records()
      .filter((r) => r.value !== 0 || r.name === 'aov' || r.name === 'buyers')
      .map((r) => [metricIdentity(r), r.value]),
  );
}

function restart(from: MetricsEngine, into: MetricsEngine): void {
  from.freeze();
  const loader = into.restoreLines();
  for (const line of from.stateLines()) expect(loader.take(JSON.parse(line))).toBeNull();
  expect(loader.end()).toBeNull();
  from.thaw();
  into.reemitAll();
  into.resumedFromCheckpoint();
}

const stale = (window: '1m' | '1d', start: number): string =>
  metricIdentity({ name: 'gmv', window, start, dims: { level: null } });

/**
 * The first engine folds `before`, is checkpointed, then folds `after` with its lookups under way
 * (`meanwhile` may answer some) and is killed; the second, restored from the checkpoint, folds
 * `after` again with every lookup answered. Returns what a screen holds from both, and the fold
 * of every change by one engine.
 */
function crash(
  before: string[],
  after: string[],
  meanwhile: (first: MetricsEngine) => void = () => undefined,
): { screen: Map<string, number>; first: Map<string, number>; want: Map<string, number> } {
  let answered = true;
  const first = engine(() => answered);
  const out: MetricRecord[] = [];
  for (const x of before) first.applyRaw(x);
  out.push(...first.drain());
  const second = engine(() => true, NOW + 30_000);
  restart(first, second);
  // The machine is busy: the lookups of the changes after the checkpoint do not answer in time,
  // so the first engine puts their gmv at a null level; then it is SIGKILLed.
  answered = false;
  for (const x of after) first.applyRaw(x);
  meanwhile(first);
  out.push(...first.drain());
  const killed = screen(out);
  // The restarted engine reads the changes again from the checkpoint; its lookups answer.
  out.push(...second.drain());
  for (const x of after) second.applyRaw(x);
  out.push(...second.drain());
  const whole = engine(() => true);
  for (const x of [...before, ...after]) whole.applyRaw(x);
  return { screen: screen(out), first: killed, want: screen(whole.drain()) };
}

describe('a crash after the last checkpoint', () => {
  const before = [
    ev(1, 1, NOW - 3_600_000),
    ev(2, 2, NOW - 1_800_000, { user_mail: 'jack@163.com' }),
  ];

  test('a group the killed engine emitted at a null level is emptied by the restarted one', () => {
    // After the checkpoint: a new order, then a change of its buyer.
    const { screen, first, want } = crash(before, [
      ev(3, 3, MINUTE + 5_000, { user_mail: 'jack@163.com' }),
      ev(3, 4, MINUTE + 5_000, { user_mail: 'pony@qq.com', amount: 30 }),
    ]);
    expect(first.get(stale('1m', MINUTE))).toBe(30);
    expect(want.has(stale('1m', MINUTE))).toBe(false);
    expect(screen).toEqual(want);
  });

  test('a lookup the killed engine saw answer does not outdate what the restarted one says', () => {
    // Two buyers in one minute; one lookup answers before the kill, after a later change was
    // folded: the group it leaves must not carry that later change's time.
    const { screen, first, want } = crash(
      before,
      [
        ev(3, 3, MINUTE + 5_000),
        ev(4, 4, MINUTE + 9_000, { user_mail: 'jack@163.com', amount: 20 }),
        ev(5, 5, NOW - 120_000, { status: 'unpaid' }),
      ],
      (first) => first.refreshCustomer('pony@qq.com', customers.get('pony@qq.com') ?? null),
    );
    expect(first.get(stale('1m', MINUTE))).toBe(20);
    expect(want.has(stale('1m', MINUTE))).toBe(false);
    expect(screen).toEqual(want);
  });
});

test('only the changes stamped before the restart re-state their null-level groups', () => {
  const later = NOW + 3_600_000;
  const e = engine(() => true, later);
  e.resumedFromCheckpoint();
  const change = (id: number, ts: number): string =>
    JSON.stringify({ ...JSON.parse(ev(id, id, later - 600_000)), ts });
  const nullLevel = (records: MetricRecord[]) =>
    records.filter((r) => r.name === 'gmv' && 'level' in r.dims && r.dims.level === null);
  e.applyRaw(change(8, Math.floor(later / 1000) + 3_600));
  expect(nullLevel(e.drain())).toEqual([]);
  e.applyRaw(change(9, Math.floor(later / 1000) - 60));
  // Emptied: once at 0, then dropped.
  expect(nullLevel(e.drain()).map((r) => [r.window, r.value])).toEqual([
    ['1d', 0],
    ['1m', 0],
  ]);
  expect(nullLevel(e.drain())).toEqual([]);
});
