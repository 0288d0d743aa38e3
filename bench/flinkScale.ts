/**
 * Issue 24's by-hand measurement, not part of `npm run bench` (it takes many minutes): a day of
 * 1,000,000 orders and 500,000 updates on a 4-shard kinesalite stream, then `livewall flink
 * --from trim` catching up on it. Prints the time until the totals equal the fold of the events
 * and the job's peak RSS. Run: npx tsx --tsconfig tsconfig.node.json bench/flinkScale.ts [orders]
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDbDatetime } from '../src/shared/time';
import { sleep } from '../src/main/lib/backoff';
import { createStream, kinesisClient, startKinesalite } from '../test/support/kinesalite';
import { spawnLivewall } from '../test/support/livewall';
import { seededRandom } from '../src/main/lib/random';

const ORDERS = Number(process.argv[2] ?? 1_000_000);
const UPDATES = ORDERS / 2;
const STATUSES = ['unpaid', 'paid', 'shipping', 'finished', 'cancel'];
const SOLD = new Set(['paid', 'shipping', 'finished']);
const LIMIT_MS = 45 * 60_000;

const seeded = seededRandom;

async function putAll(
  client: KinesisClient,
  stream: string,
  events: [string, string][],
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < events.length) {
      const batch = events.slice(next, next + 500);
      next += 500;
      let entries = batch.map(([key, e]) => ({ Data: Buffer.from(e), PartitionKey: key }));
      while (entries.length > 0) {
        const r = await client.send(
          new PutRecordsCommand({ StreamName: stream, Records: entries }),
        );
        entries = entries.filter((_, k) => r.Records?.[k]?.ErrorCode);
        if (entries.length > 0) await sleep(100);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

async function rssKb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const dir = await mkdtemp(join(tmpdir(), 'livewall-flink-scale-'));
  const kinesalite = await startKinesalite({ shardLimit: 20, path: join(dir, 'kinesalite') });
  const client = kinesisClient(kinesalite.endpoint);
  try {
    const now = Date.now();
    const day = Math.floor(now / 86_400_000) * 86_400_000;
    const span = Math.max(60_000, now - 120_000 - day);
    const rnd = seeded(24);
    const status = new Array<string>(ORDERS + 1);
    const row = (id: number, s: string): Record<string, unknown> => {
      const t = formatDbDatetime(day + ((id * 7919) % span), 'UTC');
      return {
        order_id: id,
        user_mail: `buyer${id % 5000}@x.com`,
        status: s,
        good_count: 1 + (id % 10),
        city: `city${id % 300}`,
        amount: 10 + (id % 990) + 0.25,
        create_time: t,
        update_time: t,
      };
    };
    let pos = 0;
    const event = (type: string, id: number, s: string): [string, string] => [
      String(id),
      JSON.stringify({
        database: 'demo',
        table: 'order',
        type,
        ts: Math.floor(now / 1000),
        position: `mysql-bin.000001:${++pos}`,
        data: row(id, s),
      }),
    ];
    await createStream(client, 'scale_order', 4);
    await createStream(client, 'scale_metric', 1);
    const t0 = Date.now();
    for (let from = 1; from <= ORDERS; from += 100_000) {
      const chunk: [string, string][] = [];
      for (let id = from; id < from + 100_000 && id <= ORDERS; id++) {
        status[id] = STATUSES[Math.floor(rnd() * 5)]!;
        chunk.push(event('insert', id, status[id]!));
      }
      await putAll(client, 'scale_order', chunk);
    }
    for (let done = 0; done < UPDATES; done += 100_000) {
      const chunk: [string, string][] = [];
      for (let k = 0; k < 100_000 && done + k < UPDATES; k++) {
        const id = 1 + Math.floor(rnd() * ORDERS);
        status[id] = STATUSES[Math.floor(rnd() * 5)]!;
        chunk.push(event('update', id, status[id]!));
      }
      await putAll(client, 'scale_order', chunk);
    }
    let cents = 0;
    let paid = 0;
    for (let id = 1; id <= ORDERS; id++) {
      if (!SOLD.has(status[id]!)) continue;
      cents += Math.round((10 + (id % 990) + 0.25) * 100);
      paid++;
    }
    process.stdout.write(
      `put ${ORDERS} orders + ${UPDATES} updates in ${((Date.now() - t0) / 1000).toFixed(0)} s; expecting gmv ${cents / 100}, paid ${paid}\n`,
    );

    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'scale_metric',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const started = Date.now();
    const proc = spawnLivewall(
      [
        'flink',
        '--source',
        'scale_order',
        '--metrics',
        'scale_metric',
        '--dwd',
        '',
        '--from',
        'trim',
        '--endpoint',
        kinesalite.endpoint,
        '--region',
        'us-east-1',
        '--time-zone',
        'UTC',
        '--state-dir',
        join(dir, 'state'),
      ],
      { cwd: dir },
    );
    let it = ShardIterator;
    const latest = new Map<string, number>();
    let java = 0;
    let peakKb = 0;
    let lastPrint = 0;
    const want = (): boolean =>
      latest.get('orders') === ORDERS &&
      latest.get('paid_orders') === paid &&
      Math.round((latest.get('gmv') ?? 0) * 100) === cents;
    // The minutes, too: a backlog's older minutes are held while catching up and must go out
    // after it (docs/flink.md); their orders and gmv add up to the day's.
    const minuteOrders = new Map<number, number>();
    const minuteCents = new Map<number, number>();
    let minuteOrderSum = 0;
    let minuteCentSum = 0;
    let records = 0;
    const minutesExact = (): boolean => minuteOrderSum === ORDERS && minuteCentSum === cents;
    const readUntil = async (done: () => boolean, limitMs: number): Promise<void> => {
      while (it && !done() && Date.now() - started < limitMs && proc.exitInfo() === undefined) {
        if (!java) {
          try {
            java = Number(
              execFileSync('pgrep', ['-P', String(proc.child.pid), 'java'])
                .toString()
                .trim(),
            );
          } catch {
            java = 0;
          }
        }
        if (java) peakKb = Math.max(peakKb, await rssKb(java, 'VmHWM'));
        const r = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
        it = r.NextShardIterator;
        for (const rec of r.Records ?? []) {
          records++;
          const m = JSON.parse(Buffer.from(rec.Data ?? []).toString('utf8')) as {
            name: string;
            window: string;
            start: number;
            dims: Record<string, unknown>;
            value: number;
          };
          if (Object.keys(m.dims).length !== 0) continue;
          if (m.window === '1d' && m.start === day) latest.set(m.name, m.value);
          if (m.window === '1m' && m.name === 'orders') {
            minuteOrderSum += m.value - (minuteOrders.get(m.start) ?? 0);
            minuteOrders.set(m.start, m.value);
          }
          if (m.window === '1m' && m.name === 'gmv') {
            const c = Math.round(m.value * 100);
            minuteCentSum += c - (minuteCents.get(m.start) ?? 0);
            minuteCents.set(m.start, c);
          }
        }
        if (Date.now() - lastPrint > 15_000) {
          lastPrint = Date.now();
          process.stdout.write(
            `${((Date.now() - started) / 1000).toFixed(0)} s: orders ${latest.get('orders') ?? 0}, paid ${latest.get('paid_orders') ?? 0}, ` +
              `minutes' orders ${minuteOrderSum}, records ${records}, rss ${((await rssKb(java, 'VmRSS')) / 1024).toFixed(0)} MiB\n`,
          );
        }
        if ((r.Records ?? []).length === 0) await sleep(200);
      }
    };
    try {
      await readUntil(want, LIMIT_MS);
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(
        `${want() ? 'caught up' : 'NOT caught up'} in ${seconds.toFixed(0)} s (from the start of livewall flink); ` +
          `orders ${latest.get('orders')}, paid ${latest.get('paid_orders')}, gmv ${latest.get('gmv')}; ` +
          `${records} metric records read; peak RSS of the JVM ${(peakKb / 1024).toFixed(0)} MiB; exit ${JSON.stringify(proc.exitInfo() ?? null)}\n`,
      );
      if (!want()) process.stdout.write(proc.output().slice(-4000));
      else {
        await readUntil(minutesExact, Date.now() - started + 5 * 60_000);
        process.stdout.write(
          `${minutesExact() ? 'minutes exact' : 'minutes NOT exact'} at ${((Date.now() - started) / 1000).toFixed(0)} s: ` +
            `the 1m groups' orders add up to ${minuteOrderSum}, gmv ${minuteCentSum / 100}; ${records} metric records read\n`,
        );
      }
    } finally {
      await proc.stop(60_000);
    }
  } finally {
    await kinesalite.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
