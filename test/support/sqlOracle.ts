/**
 * The SQL oracle: a random workload on MariaDB and DESIGN.md's metrics as MariaDB's own GROUP BYs,
 * which `livewall engine` (test/main/engine/oracle.test.ts) and the Flink job (test/flink) must
 * both equal.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import type { MetricRecord } from '../../src/shared/contracts';
import { metricIdentity } from '../../src/shared/identity';
import { dayStart, formatDbDatetime, parseDbDatetime, zoneOffsetMs } from '../../src/shared/time';
import { seededRandom } from '../../src/main/lib/random';
import { expect, onTestFinished } from 'vitest';
import { MetricConsumer } from '../../src/main/app/metricConsumer';
import { MetricHub } from '../../src/main/app/metricHub';
import { createKinesisClient } from '../../src/main/kinesis/kinesisClient';
import { createDatabase } from './mariadb';
import { waitFor, type ManagedProcess } from './processes';
import { CUSTOMER_TABLE_DDL, ORDER_TABLE_DDL } from '../../src/main/mysql/orderSchema';

/** The zone of the oracle runs unless a run names another (the workshop's is Asia/Shanghai). */
export const TZ = 'UTC';

/**
 * Runs the connection's session in `zone` (as a fixed offset: MariaDB knows zone names only with
 * its time zone tables loaded), as a workshop database in that zone runs.
 */
export async function useSessionZone(conn: Connection, zone: string): Promise<void> {
  const offset = zoneOffsetMs(Date.now(), zone) / 60_000;
  const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  await conn.query('SET time_zone = ?', [`${offset < 0 ? '-' : '+'}${hhmm}`]);
}

const MAILS = ['pony@qq.com', 'jack@163.com', 'lucy@gmail.com', 'mei@qq.com', 'guest@example.com'];
const CITIES = ['北京', '上海', '西安', "Xi'an", '成都'];
const STATUSES = ['unpaid', 'paid', 'cancel', 'shipping', 'finished'];

export async function setUp(
  dbUrl: string,
  name: string,
): Promise<{ conn: Connection; url: string }> {
  const url = await createDatabase(dbUrl, name);
  const conn = await createConnection({ uri: url, dateStrings: true, charset: 'utf8mb4' });
  await conn.query(ORDER_TABLE_DDL);
  await conn.query(CUSTOMER_TABLE_DDL);
  // guest@example.com has no customer row: its orders must count, with a null level.
  await conn.query(
    `INSERT INTO customer VALUES ('pony@qq.com',5,'M'),('jack@163.com',3,'M'),('lucy@gmail.com',2,'F'),('mei@qq.com',4,'F')`,
  );
  return { conn, url };
}

/** `count` random statements; some run as multi-statement transactions, rows created in `zone`. */
export async function workload(
  conn: Connection,
  seed: number,
  count: number,
  zone = TZ,
): Promise<void> {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const now = Date.now();
  // Rows created today and yesterday (the days the engine keeps), in the database's zone.
  const earliest = dayStart(dayStart(now, zone) - 43_200_000, zone);
  const time = (): string =>
    formatDbDatetime(earliest + Math.floor(rnd() * (now - earliest)), zone);
  const amount = (): number => Math.round(rnd() * 99_000 + 1_000) / 100;
  for (let i = 0; i < count;) {
    const txn = rnd() < 0.2 ? 1 + Math.floor(rnd() * 4) : 1;
    if (txn > 1) await conn.query('BEGIN');
    for (let k = 0; k < txn; k++, i++) {
      const [ids] = await conn.query<RowDataPacket[]>(
        'SELECT order_id FROM `order` ORDER BY RAND() LIMIT 1',
      );
      const id = ids[0]?.order_id as number | undefined;
      const x = rnd();
      if (x < 0.4 || id === undefined) {
        const t = time();
        await conn.query(
          'INSERT INTO `order` (user_mail,status,good_count,city,amount,create_time,update_time) VALUES (?,?,?,?,?,?,?)',
          [pick(MAILS), pick(STATUSES), 1 + Math.floor(rnd() * 10), pick(CITIES), amount(), t, t],
        );
      } else if (x < 0.55)
        await conn.query('UPDATE `order` SET status=? WHERE order_id=?', [pick(STATUSES), id]);
      else if (x < 0.65)
        await conn.query('UPDATE `order` SET amount=? WHERE order_id=?', [amount(), id]);
      else if (x < 0.75)
        await conn.query('UPDATE `order` SET city=? WHERE order_id=?', [pick(CITIES), id]);
      else if (x < 0.85)
        await conn.query('UPDATE `order` SET user_mail=? WHERE order_id=?', [pick(MAILS), id]);
      else if (x < 0.9)
        await conn.query("UPDATE `order` SET status='paid' WHERE status='unpaid' AND city=?", [
          pick(CITIES),
        ]);
      else await conn.query('DELETE FROM `order` WHERE order_id=?', [id]);
    }
    if (txn > 1) await conn.query('COMMIT');
  }
}

/** DESIGN.md's metrics table as SQL GROUP BYs on MariaDB itself (days in `zone`): identity → value. */
export async function sqlView(conn: Connection, zone = TZ): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const SOLD = "status IN ('paid','shipping','finished')";
  const dayMs = (d: string): number =>
    dayStart(parseDbDatetime(`${d} 00:00:00`, zone) as number, zone);
  const minuteMs = (m: string): number => parseDbDatetime(`${m}:00`, zone) as number;
  const run = async (
    name: string,
    window: '1d' | '1m',
    dim: string | null,
    value: string,
    where = '1=1',
    cents = false,
  ) => {
    const bucket =
      window === '1d'
        ? "DATE_FORMAT(o.create_time,'%Y-%m-%d')"
        : "DATE_FORMAT(o.create_time,'%Y-%m-%d %H:%i')";
    const dimExpr = dim === 'level' ? 'c.level' : dim ? `o.${dim}` : 'NULL';
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT ${bucket} b, ${dimExpr} d, ${value} v FROM \`order\` o LEFT JOIN customer c ON c.email = o.user_mail WHERE ${where} GROUP BY b, d`,
    );
    for (const r of rows) {
      const start = window === '1d' ? dayMs(String(r.b)) : minuteMs(String(r.b));
      const dims = dim
        ? { [dim]: r.d === null ? null : dim === 'level' ? Number(r.d) : String(r.d).trimEnd() }
        : {};
      out.set(
        metricIdentity({ name, window, start, dims }),
        cents ? Number(r.v) / 100 : Number(r.v),
      );
    }
  };
  for (const w of ['1d', '1m'] as const) {
    for (const dim of [null, 'city', 'status']) await run('orders', w, dim, 'COUNT(*)');
    for (const dim of [null, 'city', 'level'])
      await run('gmv', w, dim, 'SUM(ROUND(o.amount*100))', SOLD, true);
  }
  for (const dim of [null, 'city']) await run('paid_orders', '1d', dim, 'COUNT(*)', SOLD);
  await run('cancelled', '1d', null, 'COUNT(*)', "status='cancel'");
  await run('buyers', '1d', null, 'COUNT(DISTINCT o.user_mail)', SOLD);
  // aov per day, and days with no sale still have aov 0 and buyers 0.
  const [days] = await conn.query<RowDataPacket[]>(
    `SELECT DATE_FORMAT(create_time,'%Y-%m-%d') b, SUM(IF(${SOLD}, ROUND(amount*100), 0)) cents, SUM(${SOLD}) paid FROM \`order\` GROUP BY b`,
  );
  for (const d of days) {
    const start = dayMs(String(d.b));
    const paid = Number(d.paid);
    out.set(
      metricIdentity({ name: 'aov', window: '1d', start, dims: {} }),
      paid === 0 ? 0 : Number(d.cents) / 100 / paid,
    );
    const buyers = metricIdentity({ name: 'buyers', window: '1d', start, dims: {} });
    if (!out.has(buyers)) out.set(buyers, 0);
  }
  return out;
}

/** What a screen holds after reading metric_ds, without the groups emptied to 0. */
export function screenView(records: MetricRecord[]): Map<string, number> {
  return new Map(
    records
      .filter((r) => r.value !== 0 || r.name === 'aov' || r.name === 'buyers')
      .map((r) => [metricIdentity(r), r.value] as const),
  );
}

/** A screen's state reading `stream` from kinesalite from its start, stopped when the test ends. */
export function screenOf(endpoint: string, stream: string, zone = TZ): MetricHub {
  const hub = new MetricHub('kinesis');
  const consumer = new MetricConsumer({
    client: createKinesisClient({ endpoint, region: 'us-east-1' }),
    stream,
    start: { type: 'TRIM_HORIZON' },
    target: 'kinesalite',
    timeZone: zone,
    hub,
    pollIntervalMs: 50,
  });
  consumer.start();
  onTestFinished(() => consumer.stop());
  return hub;
}

/**
 * Polls until the screen's view of metric_ds equals MariaDB's GROUP BYs (failing at once if
 * `process` exits); on timeout, shows the first differences. The view must be big enough to mean
 * something and hold the customer missing from the dimension, at a null level.
 */
export async function expectScreenEqualsSql(
  conn: Connection,
  hub: MetricHub,
  options: { timeoutMs: number; process?: ManagedProcess; zone?: string },
): Promise<void> {
  const { zone, ...wait } = options;
  const want = await sqlView(conn, zone);
  let diff: string[] = [];
  try {
    await waitFor(
      'metric_ds to equal the SQL GROUP BYs',
      () => {
        const got = screenView(hub.snapshot().metrics);
        diff = [...new Set([...want.keys(), ...got.keys()])]
          .filter((k) => want.get(k) !== got.get(k))
          .map((k) => `${k}: sql ${want.get(k)} metric ${got.get(k)}`);
        return diff.length === 0;
      },
      { intervalMs: 500, ...wait },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${diff.slice(0, 20).join('\n')}`, { cause: err });
  }
  expect(want.size).toBeGreaterThan(100);
  expect([...want.keys()].some((k) => k.includes('"level",null'))).toBe(true);
}
