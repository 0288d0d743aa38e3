import { formatDbDatetime } from '../src/shared/time';
import { MetricsEngine } from '../src/main/engine/metricsEngine';
import { DEMO_CITIES } from '../src/shared/demoCities';
import { demoCustomer, demoMails } from '../src/main/simulator/demoData';
import { seededRandom } from '../src/main/lib/random';

const TZ = 'Asia/Shanghai';

/**
 * Contract 1 events as `livewall cdc` writes an hour of the `order` table's binlog: each insert at
 * the moment of its create_time, in order, and updates (3 in 5 events) of orders placed earlier,
 * each keeping its order's create_time, buyer, city and amount, setting a status, with Maxwell's
 * `old` (the columns it changed) and every event's binlog `position` and `xoffset`.
 */
/** Maxwell's `old`: the previous values of the columns an update changed. */
function changed(
  before: { status: string; update_time: string } | undefined,
  status: string,
): Record<string, string> {
  if (!before) return {};
  return before.status === status
    ? { update_time: before.update_time }
    : { status: before.status, update_time: before.update_time };
}

export function workload(n: number, now: number): string[] {
  const rnd = seededRandom(1);
  const out: string[] = [];
  const statuses = ['paid', 'shipping', 'finished', 'cancel'];
  const createdAt: string[] = [];
  const last: { status: string; update_time: string }[] = [];
  const hourAgo = now - 3_600_000;
  let offset = 4;
  let id = 0;
  for (let i = 0; i < n; i++) {
    const at = hourAgo + Math.floor((i * 3_600_000) / n);
    const t = formatDbDatetime(at, TZ);
    const insert = id < 1000 || rnd() < 0.4;
    const orderId = insert ? ++id : 1 + Math.floor(rnd() * id);
    if (insert) createdAt[orderId] = t;
    const data = {
      order_id: orderId,
      user_mail: demoMails()[orderId % demoMails().length],
      status: insert ? 'unpaid' : statuses[Math.floor(rnd() * 4)],
      good_count: 1 + (orderId % 10),
      city: DEMO_CITIES[orderId % DEMO_CITIES.length],
      amount: 10 + (orderId % 990),
      create_time: createdAt[orderId],
      update_time: t,
    };
    offset += 400;
    out.push(
      JSON.stringify({
        database: 'demo',
        table: 'order',
        type: insert ? 'insert' : 'update',
        ts: Math.floor(at / 1000),
        xid: 1_000 + i,
        xoffset: 0,
        commit: true,
        position: `mysql-bin.000003:${offset}`,
        data,
        ...(insert ? {} : { old: changed(last[orderId], data.status as string) }),
      }),
    );
    last[orderId] = { status: data.status as string, update_time: t };
  }
  return out;
}

interface Pass {
  engineMs: number;
  parseMs: number;
  emitted: number;
}

/**
 * One pass over the events by a fresh engine, JSON.parse alone taking turns with it on the same
 * slices, so a busy machine slows both alike and their ratio stays meaningful.
 */
function measuredPass(events: string[], now: number): Pass {
  const engine = new MetricsEngine({
    timeZone: TZ,
    dbTimeZone: TZ,
    customer: demoCustomer,
    now: () => now,
  });
  const pass = { engineMs: 0, parseMs: 0, emitted: 0 };
  let keep = 0;
  const slice = 30_000;
  for (let from = 0; from < events.length; from += slice) {
    const to = Math.min(events.length, from + slice);
    const t0 = performance.now();
    for (let i = from; i < to; i++) {
      engine.foldRaw(events[i] as string);
      if (i % 5_000 === 4_999) pass.emitted += engine.drain().length; // an emit every 5 000 events
    }
    const t1 = performance.now();
    for (let i = from; i < to; i++)
      keep += (JSON.parse(events[i] as string) as { xid: number }).xid & 1;
    pass.parseMs += performance.now() - t1;
    pass.engineMs += t1 - t0;
  }
  pass.emitted += engine.drain().length;
  if (keep < 0) throw new Error('unreachable: keeps the parse loop from being optimised away');
  return pass;
}

export async function engineThroughput(
  report: (name: string, value: string) => void,
): Promise<void> {
  const now = Date.now();
  const events = workload(300_000, now);
  // A running engine folds millions of events: the first pass warms the JIT up to that steady
  // state and is not counted; of the next three (each on a fresh engine) the median is reported,
  // as one pass may take a major GC that another does not.
  measuredPass(events, now);
  const passes = [0, 1, 2].map(() => measuredPass(events, now));
  const share = (p: Pass) => p.parseMs / p.engineMs;
  const median = passes.sort((a, b) => share(a) - share(b))[1] as Pass;
  const rate = (events.length / median.engineMs) * 1000;
  const parseRate = (events.length / median.parseMs) * 1000;
  report(
    'engine: changelog events/s (parse + fold + emit, 1 core)',
    Math.round(rate).toLocaleString('en-US'),
  );
  report(
    'engine: JSON.parse alone on the same events, events/s',
    Math.round(parseRate).toLocaleString('en-US'),
  );
  report(
    'engine: share of JSON.parse rate (goal ≥ 0.3; median of 3 passes)',
    `${share(median).toFixed(2)} (passes ${passes.map((p) => share(p).toFixed(2)).join(', ')})`,
  );
  report('engine: records emitted for 300 000 events', median.emitted.toLocaleString('en-US'));
}

/** Heap held per million live orders (rows plus the groups they are counted in). */
export async function engineMemory(report: (name: string, value: string) => void): Promise<void> {
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose_gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const now = Date.now();
  const engine = new MetricsEngine({
    timeZone: TZ,
    dbTimeZone: TZ,
    customer: demoCustomer,
    now: () => now,
  });
  gc();
  const before = process.memoryUsage().heapUsed;
  const statuses = ['unpaid', 'paid', 'shipping', 'finished', 'cancel'];
  for (let id = 1; id <= 1_000_000; id++) {
    const t = formatDbDatetime(now - (id % 86_400) * 1000, TZ);
    engine.applyRaw(
      JSON.stringify({
        database: 'demo',
        table: 'order',
        type: 'insert',
        ts: Math.floor(now / 1000),
        data: {
          order_id: id,
          user_mail: demoMails()[id % demoMails().length],
          status: statuses[id % 5],
          good_count: 1,
          city: DEMO_CITIES[id % DEMO_CITIES.length],
          amount: 10 + (id % 990),
          create_time: t,
          update_time: t,
        },
      }),
    );
    if (id % 10_000 === 0) engine.drain();
  }
  engine.drain();
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  report('engine: live orders held', engine.stats().liveOrders.toLocaleString('en-US'));
  report('engine: heap per 1 000 000 live orders (MiB)', (bytes / 1024 / 1024).toFixed(0));
}
