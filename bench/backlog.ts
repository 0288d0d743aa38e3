/**
 * `npm run bench:backlog [orders]`: issue 24's day of backlog through kinesalite. N orders of today
 * (300 cities, 5 000 buyers) and N/2 updates, plus poison (a create_time in 9999, ts 1e306,
 * amount 1e307, another database reusing live ids), wait on order_ds (4 shards) before
 * `bin/livewall engine --from trim` starts. Prints the time until the screen's view of metric_ds
 * equals the fold of the good events, the engine's peak RSS, and the same after a SIGTERM and a
 * restart from its checkpoint. Needs `npm run build` first (it runs the built CLI). The engine's
 * Node flags come from LIVEWALL_BENCH_ENGINE_NODE_OPTIONS (say --max-old-space-size=1024).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricIdentity } from '../src/shared/identity';
import { formatDbDatetime } from '../src/shared/time';
import type { MetricRecord } from '../src/shared/contracts';
import { MetricConsumer } from '../src/main/app/metricConsumer';
import { MetricHub } from '../src/main/app/metricHub';
import { MetricsEngine } from '../src/main/engine/metricsEngine';
import { createKinesisClient } from '../src/main/kinesis/kinesisClient';
import { seededRandom } from '../src/main/lib/random';
import { createStream, kinesisClient, startKinesalite } from '../test/support/kinesalite';
import { putRaw } from '../test/support/metrics';
import { makeTempDir, spawnManaged, stopAll, waitFor } from '../test/support/processes';

const TZ = 'UTC';
const enc = new TextEncoder();
const ROOT = join(import.meta.dirname, '..');

function events(orders: number, now: number): string[] {
  const rnd = seededRandom(24);
  const out: string[] = [];
  let offset = 4;
  const ev = (type: string, data: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    JSON.stringify({
      database: 'demo',
      table: 'order',
      type,
      ts: Math.floor(now / 1000) - 5,
      position: `mysql-bin.000001:${(offset += 120)}`,
      data,
      ...over,
    });
  const rows: Record<string, unknown>[] = [];
  const midnight = Date.UTC(
    new Date(now).getUTCFullYear(),
    new Date(now).getUTCMonth(),
    new Date(now).getUTCDate(),
  );
  for (let id = 1; id <= orders; id++) {
    const t = formatDbDatetime(midnight + Math.floor(rnd() * (now - midnight)), TZ);
    const row = {
      order_id: id,
      user_mail: `buyer${Math.floor(rnd() * 5000)}@example.com`,
      status: 'unpaid',
      good_count: 1 + Math.floor(rnd() * 5),
      city: `城市${Math.floor(rnd() * 300)}`,
      amount: Math.round(rnd() * 100_000) / 100,
      create_time: t,
      update_time: t,
    };
    rows.push(row);
    out.push(ev('insert', row));
  }
  const statuses = ['paid', 'shipping', 'finished', 'cancel'];
  for (let i = 0; i < orders / 2; i++) {
    const row = rows[Math.floor(rnd() * rows.length)] as Record<string, unknown>;
    row.status = statuses[Math.floor(rnd() * 4)];
    out.push(ev('update', { ...row }));
  }
  const victim = { ...(rows[6] as Record<string, unknown>) };
  out.push(
    ev('insert', {
      ...victim,
      order_id: orders + 1,
      create_time: '9999-12-31 23:59:59',
      city: 'FUTURE',
    }),
  );
  out.push(ev('insert', { ...victim, order_id: orders + 2 }, { ts: 1e306 }));
  out.push(ev('insert', { ...victim, order_id: orders + 3, amount: 1e307 }));
  out.push(ev('update', { ...victim, amount: 99_999, status: 'cancel' }, { database: 'otherdb' }));
  out.push(ev('delete', { ...victim }, { database: 'otherdb' }));
  return out;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  // kinesalite takes any key; the screen below signs its requests with these.
  process.env.AWS_ACCESS_KEY_ID ??= 'livewall-bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'livewall-bench';
  process.env.AWS_REGION ??= 'us-east-1';
  const orders = Number(process.argv[2] ?? 200_000);
  const now = Date.now();
  const all = events(orders, now);
  const reference = new MetricsEngine({ timeZone: TZ, dbTimeZone: TZ, now: () => now });
  for (const e of all) reference.foldRaw(e);
  const want = new Map<string, number>();
  for (const r of reference.drain()) want.set(metricIdentity(r), r.value);

  const kinesalite = await startKinesalite({ shardLimit: 20 });
  const client = kinesisClient(kinesalite.endpoint);
  await createStream(client, 'order_ds', 4);
  await createStream(client, 'metric_ds', 2);
  const t0 = performance.now();
  await putRaw(
    client,
    'order_ds',
    all.map((e) => ({
      PartitionKey: String((JSON.parse(e) as { data: { order_id: number } }).data.order_id),
      Data: enc.encode(e),
    })),
  );
  process.stdout.write(
    `${all.length} events on order_ds in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );

  const hub = new MetricHub('kinesis');
  const consumer = new MetricConsumer({
    client: createKinesisClient({ endpoint: kinesalite.endpoint, region: 'us-east-1' }),
    stream: 'metric_ds',
    start: { type: 'TRIM_HORIZON' },
    target: 'kinesalite',
    timeZone: TZ,
    hub,
    pollIntervalMs: 100,
  });
  consumer.start();
  const dir = await makeTempDir('livewall-backlog-');
  const run = async (label: string): Promise<void> => {
    const engine = spawnManaged(
      'livewall engine',
      process.execPath,
      [
        join(ROOT, 'bin', 'livewall'),
        'engine',
        '--source',
        'order_ds',
        '--metrics',
        'metric_ds',
        '--dwd',
        '',
        '--from',
        'trim',
        '--state-dir',
        dir.path,
        '--endpoint',
        kinesalite.endpoint,
      ],
      {
        env: {
          ...process.env,
          TZ,
          // e.g. --max-old-space-size=1024: V8 lets garbage grow with the heap it is allowed.
          NODE_OPTIONS:
            process.env.LIVEWALL_BENCH_ENGINE_NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? '',
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_REGION: 'us-east-1',
        },
      },
    );
    let peak = 0;
    const sampler = setInterval(() => {
      if (engine.child.pid) peak = Math.max(peak, rssMb(engine.child.pid));
    }, 250);
    const started = performance.now();
    const bad = (): string | null => {
      for (const [id, v] of want) {
        const got = hub.state.get(id)?.value ?? 0;
        if (got !== v) return `${id}: ${got} ≠ ${v}`;
      }
      const records = hub.state.records() as MetricRecord[];
      if (records.some((r) => !Number.isFinite(r.value) || !Number.isFinite(r.occur)))
        return 'non-finite';
      return null;
    };
    const progress = setInterval(() => {
      let same = 0;
      for (const [id, v] of want) if ((hub.state.get(id)?.value ?? 0) === v) same++;
      const c = consumer.stats();
      process.stdout.write(
        `  ${((performance.now() - started) / 1000).toFixed(0)} s: ${same} of ${want.size} identities exact; the screen read ${c.records.applied} records (${c.reader.calls.getRecords} GetRecords); engine RSS ${engine.child.pid ? rssMb(engine.child.pid).toFixed(0) : '?'} MB\n`,
      );
    }, 15_000);
    await waitFor('the screen to equal the fold of the good events', () => bad() === null, {
      timeoutMs: Math.max(600_000, orders * 3),
      intervalMs: 500,
      process: engine,
    });
    const caughtUp = (performance.now() - started) / 1000;
    clearInterval(progress);
    await engine.stop(30_000);
    clearInterval(sampler);
    process.stdout.write(
      `${label}: exact after ${caughtUp.toFixed(1)} s; engine peak RSS ${peak.toFixed(0)} MB\n${engine
        .output()
        .split('\n')
        .filter((l) => /stopped|skipp|reject/.test(l))
        .join('\n')}\n`,
    );
  };
  await run('from trim');
  await run('restart from its checkpoint');
  await consumer.stop();
  await dir.remove();
  await stopAll();
}

void main().catch(async (err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  await stopAll();
  process.exit(1);
});
