/**
 * The wide-row workloads the loader tests write to kinesalite, and what the table must hold after
 * them: the last wide row of every order whose last row is not a delete.
 */
import {
  ListShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import pg from 'pg';
import { waitFor } from '../../support/poll';
import { seededRandom } from '../../../src/main/lib/random';

export interface Wide {
  order_id: number;
  user_mail: string;
  status: string;
  good_count: number;
  city: string;
  amount: number;
  create_time: string;
  update_time: string;
  sex: string | null;
  level: number | null;
  op: 'insert' | 'update' | 'delete';
  ts: number;
}

/** A small deterministic generator (the app's own), so a failure repeats. */
export const seeded = seededRandom;

const CITIES = [
  '西安',
  '乌鲁木齐',
  "Xi'an",
  '北京',
  '呼和浩特市新城区锡林郭勒南路一号院二十号',
  'São Paulo',
];
const MAILS = ['pony@qq.com', "o'brien@x.cn", 'a"b\\c@x.cn', '😀🎉@emoji.cn', 'robin@baidu.com'];
const STATUSES = ['unpaid', 'paid', 'shipping', 'finished', 'cancel'];

function datetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Orders `first` … `first + n - 1`: each inserted, updated 0–3 times, and one in five deleted;
 * orders interleave, each one's rows stay in order. Some customers are unknown (sex, level null).
 */
export function workload(first: number, n: number, seed: number): Wide[] {
  const rand = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const queues: Wide[][] = [];
  const base = Date.UTC(2026, 10, 24, 2, 0, 0);
  for (let i = 0; i < n; i++) {
    const id = first + i;
    const known = rand() < 0.7;
    const created = base + Math.floor(rand() * 3_600) * 1000;
    let row: Wide = {
      order_id: id,
      user_mail: pick(MAILS),
      status: 'unpaid',
      good_count: 1 + Math.floor(rand() * 10),
      city: pick(CITIES),
      amount: Math.round((10 + rand() * 990) * 100) / 100 + (rand() < 0.2 ? 1e-7 : 0),
      create_time: datetime(created),
      update_time: datetime(created),
      sex: known ? pick(['F', 'M', '女']) : null,
      level: known ? 1 + Math.floor(rand() * 5) : null,
      op: 'insert',
      ts: created,
    };
    const q = [row];
    const updates = Math.floor(rand() * 4);
    for (let u = 1; u <= updates; u++) {
      const at = created + u * 61_000;
      row = { ...row, status: pick(STATUSES), update_time: datetime(at), op: 'update', ts: at };
      q.push(row);
    }
    if (rand() < 0.2) q.push({ ...row, op: 'delete', ts: row.ts + 1000 });
    queues.push(q);
  }
  // Interleave: take the head of a random order's queue until all are empty.
  const out: Wide[] = [];
  const live = queues.filter((q) => q.length > 0);
  while (live.length > 0) {
    const i = Math.floor(rand() * live.length);
    const q = live[i] as Wide[];
    out.push(q.shift() as Wide);
    if (q.length === 0) live.splice(i, 1);
  }
  return out;
}

/** The table the rows must leave: each order's last row unless it was deleted. */
export function expectedTable(rows: readonly Wide[]): Wide[] {
  const last = new Map<number, Wide>();
  for (const r of rows) last.set(r.order_id, r);
  return [...last.values()]
    .filter((r) => r.op !== 'delete')
    .sort((a, b) => a.order_id - b.order_id);
}

/** Writes texts to the stream in order (partition key: the order id, as contract 3 says). */
export async function putTexts(
  client: KinesisClient,
  stream: string,
  items: readonly { key: string; text: string }[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 400) {
    const chunk = items.slice(i, i + 400);
    const out = await client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: chunk.map((x) => ({ PartitionKey: x.key, Data: Buffer.from(x.text, 'utf8') })),
      }),
    );
    if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records were refused`);
  }
}

export function putRows(
  client: KinesisClient,
  stream: string,
  rows: readonly Wide[],
): Promise<void> {
  return putTexts(
    client,
    stream,
    rows.map((r) => ({ key: String(r.order_id), text: JSON.stringify(r) })),
  );
}

/** The table as the hold-out check reads it. */
export async function readTable(url: string, table: string): Promise<Omit<Wide, 'op' | 'ts'>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(
      `SELECT order_id::bigint, user_mail::text, status::text, good_count::int, city::text,
              amount::float8, create_time::text, update_time::text, sex::text, level::int
         FROM ${table} ORDER BY order_id`,
    );
    return r.rows.map((x: Record<string, unknown>) => ({
      ...x,
      order_id: Number(x.order_id),
    })) as Omit<Wide, 'op' | 'ts'>[];
  } finally {
    await c.end();
  }
}

export function tableOf(rows: readonly Wide[]): Omit<Wide, 'op' | 'ts'>[] {
  return expectedTable(rows).map(({ op: _op, ts: _ts, ...rest }) => rest);
}

/** Sums of the committed position rows of a stream: records loaded and skipped. */
export async function committedCounts(
  url: string,
  stream: string,
): Promise<{ loaded: number; skipped: number; shards: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(
      `SELECT COALESCE(SUM(rows_loaded), 0)::int AS loaded, COALESCE(SUM(rows_skipped), 0)::int AS skipped,
              COUNT(*)::int AS shards
         FROM livewall_load_position WHERE stream = $1`,
      [stream],
    );
    return r.rows[0] as { loaded: number; skipped: number; shards: number };
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return { loaded: 0, skipped: 0, shards: 0 };
    throw err;
  } finally {
    await c.end();
  }
}

/** Waits until the loader has committed `records` records of the stream (loaded plus skipped). */
export async function waitCommitted(
  url: string,
  stream: string,
  records: number,
  abort?: () => Error | undefined,
): Promise<void> {
  await waitFor(
    `${records} records of ${stream} committed`,
    async () => {
      const c = await committedCounts(url, stream);
      if (c.loaded + c.skipped > records)
        throw new Error(`more committed than written: ${JSON.stringify(c)}`);
      return c.loaded + c.skipped === records;
    },
    { timeoutMs: 45_000, intervalMs: 200, ...(abort ? { abort } : {}) },
  );
}

/** Splits the stream's first open shard in two at the middle of its hash range. */
export async function splitFirstShard(client: KinesisClient, stream: string): Promise<void> {
  const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
  const s = shards.find((x) => !x.SequenceNumberRange?.EndingSequenceNumber);
  const lo = BigInt(s?.HashKeyRange?.StartingHashKey ?? '0');
  const hi = BigInt(s?.HashKeyRange?.EndingHashKey ?? '0');
  await client.send(
    new SplitShardCommand({
      StreamName: stream,
      ShardToSplit: s?.ShardId,
      NewStartingHashKey: String((lo + hi) / 2n),
    }),
  );
  await waitFor(
    'the split to show',
    async () =>
      ((await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? []).length ===
      shards.length + 2,
    { timeoutMs: 10_000 },
  );
}
