/**
 * The simulator against a real MariaDB: its summary is held against the table (COUNT) and the
 * binlog (row events), also when connections are lost mid-burst in every way we can cause.
 */
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMySqlConnector } from '../../../src/main/mysql/connect';
import { checkOrderTable } from '../../../src/main/mysql/orderSchema';
import { MySqlOrderSink } from '../../../src/main/mysql/orderSink';
import { runSimulation, type SimulationProgress } from '../../../src/main/mysql/simulation';
import type { NewOrder } from '../../../src/main/simulator/orderTable';
import { createDatabase } from '../../support/mariadb';
import { useMariaDB } from '../../support/lifecycle';
import { waitFor } from '../../support/processes';
import { startFaultProxy, type FaultProxy } from '../../support/mysqlFaultProxy';
import { logEnd, rowEvents, targetOf } from './support';

const db = useMariaDB();
let admin: Connection;

beforeAll(async () => {
  admin = await createConnection(db().url);
});
afterAll(async () => {
  await admin?.end().catch(() => undefined);
});

/** A fresh utf8mb4 database with the workshop's `order` table. */
async function freshDatabase(name: string): Promise<{ url: string; conn: Connection }> {
  const url = await createDatabase(db().url, name);
  const conn = await createConnection(url);
  expect(await checkOrderTable(conn, name, true)).toBeNull();
  return { url, conn };
}

async function count(conn: Connection, sql = 'SELECT COUNT(*) AS n FROM `order`'): Promise<number> {
  const [rows] = await conn.query<RowDataPacket[]>(sql);
  return Number(rows[0]?.n);
}

const order = (i: number): NewOrder => ({
  user_mail: 'pony@qq.com',
  status: 'unpaid',
  good_count: 1 + (i % 10),
  city: i % 2 ? '西安' : '北京',
  amount: 10 + i + 0.34,
});

describe('simulate into MySQL', () => {
  test('N orders with lifecycle: the summary equals the table and the binlog', async () => {
    const { conn } = await freshDatabase('sim_lifecycle');
    const from = await logEnd(conn);
    const connector = await createMySqlConnector(targetOf(db().port, 'sim_lifecycle'), {
      passwords: [],
    });
    const sink = new MySqlOrderSink({ connect: connector.connect });
    const progress: SimulationProgress[] = [];
    const summary = await runSimulation({
      sink,
      orders: 300,
      rate: 0,
      lifecycle: true,
      stepDelayMs: [0, 20],
      seed: 4,
      onProgress: (p) => progress.push(p),
    });
    await sink.close();

    expect(summary).toMatchObject({ inserted: 300, failed: 0 });
    expect(await count(conn)).toBe(300);
    expect(await rowEvents(conn, 'sim_lifecycle', 'order', from)).toEqual({
      insert: 300,
      update: summary.updated,
      delete: 0,
    });
    // Every order walked its lifecycle to the end: paid and shipping always move on.
    const [statuses] = await conn.query<RowDataPacket[]>(
      'SELECT status, COUNT(*) AS n FROM `order` GROUP BY status',
    );
    const byStatus = Object.fromEntries(statuses.map((r) => [String(r.status), Number(r.n)]));
    expect(Object.keys(byStatus).sort()).toEqual(['cancel', 'finished', 'unpaid']);
    const { finished = 0, cancel = 0 } = byStatus;
    // finished took 3 updates, cancel 1 or 2; unpaid ones stayed.
    expect(summary.updated).toBeGreaterThanOrEqual(finished * 3 + cancel);
    expect(summary.updated).toBeLessThanOrEqual(finished * 3 + cancel * 2);
    // The workshop's vocabulary: amounts 10–1000, 1–10 goods, Chinese city names stored intact.
    expect(
      await count(conn, 'SELECT COUNT(*) AS n FROM `order` WHERE amount < 10 OR amount > 1000'),
    ).toBe(0);
    expect(
      await count(conn, 'SELECT COUNT(*) AS n FROM `order` WHERE good_count NOT BETWEEN 1 AND 10'),
    ).toBe(0);
    expect(
      await count(conn, "SELECT COUNT(*) AS n FROM `order` WHERE city = '西安'"),
    ).toBeGreaterThan(0);
    expect(
      await count(conn, 'SELECT COUNT(*) AS n FROM `order` WHERE update_time < create_time'),
    ).toBe(0);
    expect(progress.at(-1)).toMatchObject({ remaining: 0, pendingSteps: 0, inserted: 300 });
    await conn.end();
  });

  test('a missing table and a latin1 city column are refused with what to run', async () => {
    const url = await createDatabase(db().url, 'sim_schema');
    const conn = await createConnection(url);
    expect(await checkOrderTable(conn, 'sim_schema', false)).toMatch(
      /does not exist: run with --create-table/,
    );
    await conn.query(
      'CREATE TABLE `order` (order_id INT AUTO_INCREMENT PRIMARY KEY, city varchar(20) NOT NULL) CHARACTER SET latin1',
    );
    expect(await checkOrderTable(conn, 'sim_schema', true)).toMatch(
      /city is latin1, which cannot hold city names such as 西安: run ALTER TABLE `sim_schema`.`order` CONVERT TO CHARACTER SET utf8mb4/,
    );
    await conn.end();
  });
});

describe('lost connections keep the counts exact', () => {
  let proxy: FaultProxy;
  afterAll(async () => {
    await proxy?.close();
  });

  async function sinkThroughProxy(database: string): Promise<MySqlOrderSink> {
    proxy ??= await startFaultProxy(db().port);
    const connector = await createMySqlConnector(
      { ...targetOf(db().port, database), port: proxy.port },
      { passwords: [] },
    );
    return new MySqlOrderSink({
      connect: connector.connect,
      backoff: { initialMs: 10, maxMs: 100 },
    });
  }

  test.each([
    // The COMMIT ran but its answer was lost: found in the table, reported once, not redone.
    ['COMMIT', 'lose-answer', { committed: 1, redone: 0 }],
    // The COMMIT never reached the server: the transaction rolled back, the insert is redone.
    ['COMMIT', 'drop-statement', { committed: 0, redone: 1 }],
    // The INSERT never reached the server: nothing is unknown, the insert simply runs again.
    ['INSERT', 'drop-statement', { committed: 0, redone: 0 }],
  ] as const)('%s %s', async (sql, fault, unknownCommits) => {
    const name = `lost_${sql}_${fault}`.replace(/-/g, '_').toLowerCase();
    const { conn } = await freshDatabase(name);
    const from = await logEnd(conn);
    const sink = await sinkThroughProxy(name);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      if (i === 2) proxy.arm(sql, fault);
      ids.push(await sink.insert(order(i)));
    }
    const stats = sink.stats();
    await sink.close();

    expect(new Set(ids).size).toBe(5);
    expect(stats.reconnects).toBe(1);
    expect(stats.unknownCommits).toEqual(unknownCommits);
    expect(await count(conn)).toBe(5);
    expect(await rowEvents(conn, name, 'order', from)).toEqual({ insert: 5, update: 0, delete: 0 });
    // Each order's values are in the table exactly once, under the id insert() returned.
    const [rows] = await conn.query<RowDataPacket[]>('SELECT order_id, good_count FROM `order`');
    expect(rows.map((r) => [r.order_id, r.good_count]).sort()).toEqual(
      ids.map((id, i) => [id, order(i).good_count]).sort(),
    );
    await conn.end();
  });

  test('an update whose answer was lost is re-run without a second row event', async () => {
    const name = 'lost_update';
    const { conn } = await freshDatabase(name);
    const sink = await sinkThroughProxy(name);
    const id = await sink.insert(order(1));
    const from = await logEnd(conn);
    proxy.arm('UPDATE', 'lose-answer');
    await sink.update(id, { status: 'paid' });
    await sink.close();
    expect(await rowEvents(conn, name, 'order', from)).toEqual({ insert: 0, update: 1, delete: 0 });
    expect(await count(conn, "SELECT COUNT(*) AS n FROM `order` WHERE status = 'paid'")).toBe(1);
    await conn.end();
  });

  test('KILLing the simulator connection again and again mid-burst loses and doubles nothing', async () => {
    const name = 'sim_killed';
    const { conn } = await freshDatabase(name);
    const from = await logEnd(conn);
    const connector = await createMySqlConnector(targetOf(db().port, name), { passwords: [] });
    const sink = new MySqlOrderSink({
      connect: connector.connect,
      backoff: { initialMs: 5, maxMs: 50 },
    });
    let kills = 0;
    let running = true;
    const killer = (async () => {
      while (running) {
        const id = sink.stats().connectionId;
        if (id !== null) {
          await admin.query(`KILL CONNECTION ${id}`).catch(() => undefined);
          kills++;
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const summary = await runSimulation({
      sink,
      orders: 1_500,
      rate: 0,
      lifecycle: true,
      stepDelayMs: [0, 10],
      seed: 9,
    });
    running = false;
    await killer;
    const stats = sink.stats();
    await sink.close();

    expect(kills).toBeGreaterThan(10);
    expect(stats.reconnects).toBeGreaterThan(10);
    expect(summary).toMatchObject({ inserted: 1_500, failed: 0 });
    expect(await count(conn)).toBe(1_500);
    expect(await rowEvents(conn, name, 'order', from)).toEqual({
      insert: 1_500,
      update: summary.updated,
      delete: 0,
    });
    await conn.end();
  });

  test('a restart of the server mid-burst is waited out and counted exactly', async () => {
    const name = 'sim_restart';
    const { conn } = await freshDatabase(name);
    const from = await logEnd(conn);
    await conn.end();
    const connector = await createMySqlConnector(targetOf(db().port, name), { passwords: [] });
    const sink = new MySqlOrderSink({
      connect: connector.connect,
      backoff: { initialMs: 50, maxMs: 500 },
    });
    let inserted = 0;
    const run = runSimulation({
      sink,
      orders: 6_000,
      rate: 0,
      lifecycle: false,
      seed: 2,
      onProgress: (p) => {
        inserted = p.inserted;
      },
    });
    await waitFor('the burst to get going', () => inserted >= 500, {
      timeoutMs: 30_000,
      intervalMs: 5,
    });
    await db().restart();
    const summary = await run;
    const stats = sink.stats();
    await sink.close();
    admin.destroy();
    admin = await createConnection(db().url);

    expect(stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(summary).toEqual({ inserted: 6_000, updated: 0, failed: 0 });
    const after = await createConnection(new URL(name, db().url).toString());
    expect(await count(after)).toBe(6_000);
    expect(await rowEvents(after, name, 'order', from)).toEqual({
      insert: 6_000,
      update: 0,
      delete: 0,
    });
    await after.end();
  });
});
