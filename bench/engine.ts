import { formatDbDatetime } from '../src/shared/time';
import { MetricsEngine } from '../src/main/engine/metricsEngine';
import { DEMO_CITIES } from '../src/shared/demoCities';
import { demoCustomer, demoMails } from '../src/main/simulator/demoData';
import { seededRandom } from '../src/main/lib/random';

const TZ = 'Asia/Shanghai';

/** Contract 1 events: inserts then status updates over a pool of live orders. */
export function workload(n: number, now: number): string[] {
  const rnd = seededRandom(1);
  const out: string[] = [];
  const statuses = ['paid', 'shipping', 'finished', 'cancel'];
  let id = 0;
  for (let i = 0; i < n; i++) {
    const insert = id < 1000 || rnd() < 0.4;
    const orderId = insert ? ++id : 1 + Math.floor(rnd() * id);
    const t = formatDbDatetime(now - Math.floor(rnd() * 3_600_000), TZ);
    const data = {
      order_id: orderId,
      user_mail: demoMails()[orderId % demoMails().length],
      status: insert ? 'unpaid' : statuses[Math.floor(rnd() * 4)],
      good_count: 1 + (orderId % 10),
      city: DEMO_CITIES[orderId % DEMO_CITIES.length],
      amount: 10 + (orderId % 990),
      create_time: t,
      update_time: t,
    };
    out.push(
      JSON.stringify({
        database: 'demo',
        table: 'order',
        type: insert ? 'insert' : 'update',
        ts: Math.floor(now / 1000),
        xid: i,
        commit: true,
        data,
      }),
    );
  }
  return out;
}

export async function engineThroughput(
  report: (name: string, value: string) => void,
): Promise<void> {
  const now = Date.now();
  const events = workload(300_000, now);
  const engine = new MetricsEngine({
    timeZone: TZ,
    dbTimeZone: TZ,
    customer: demoCustomer,
    now: () => now,
  });
  // Warm up the JIT on a slice, then measure the whole run on a fresh engine.
  for (const e of events.slice(0, 20_000)) engine.foldRaw(e);
  engine.drain();
  const fresh = new MetricsEngine({
    timeZone: TZ,
    dbTimeZone: TZ,
    customer: demoCustomer,
    now: () => now,
  });
  // The engine and JSON.parse alone (the floor of any engine) take turns on the same slices,
  // so a busy machine slows both alike and their ratio stays meaningful.
  let engineMs = 0;
  let parseMs = 0;
  let emitted = 0;
  let keep = 0;
  const slice = 30_000;
  for (let from = 0; from < events.length; from += slice) {
    const to = Math.min(events.length, from + slice);
    const t0 = performance.now();
    for (let i = from; i < to; i++) {
      fresh.foldRaw(events[i] as string);
      if (i % 5_000 === 4_999) emitted += fresh.drain().length; // an emit every 5 000 events
    }
    const t1 = performance.now();
    for (let i = from; i < to; i++)
      keep += (JSON.parse(events[i] as string) as { xid: number }).xid & 1;
    parseMs += performance.now() - t1;
    engineMs += t1 - t0;
  }
  emitted += fresh.drain().length;
  const rate = (events.length / engineMs) * 1000;
  const parseRate = (events.length / parseMs) * 1000;
  report(
    'engine: changelog events/s (parse + fold + emit, 1 core)',
    Math.round(rate).toLocaleString('en-US'),
  );
  report(
    'engine: JSON.parse alone on the same events, events/s',
    Math.round(parseRate).toLocaleString('en-US') + (keep < 0 ? '' : ''),
  );
  report('engine: share of JSON.parse rate (goal ≥ 0.3)', (rate / parseRate).toFixed(2));
  report('engine: records emitted for 300 000 events', emitted.toLocaleString('en-US'));
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
