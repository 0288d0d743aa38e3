/**
 * cdc against a real MariaDB (binlog ROW) and kinesalite: what lands on the stream, folded in
 * order, is the table; and every refusal names the exact setting or grant to change.
 */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createConnection, type Connection, type ResultSetHeader } from 'mysql2/promise';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CdcError, createCdc, type Cdc, type CdcOptions } from '../../../src/main/cdc/cdcService';
import type { PutRecordsFn } from '../../../src/main/kinesis/streamWriter';
import { createMySqlConnector } from '../../../src/main/mysql/connect';
import { checkOrderTable } from '../../../src/main/mysql/orderSchema';
import { MySqlOrderSink } from '../../../src/main/mysql/orderSink';
import { staticPasswordSource } from '../../../src/main/mysql/password';
import { runSimulation } from '../../../src/main/mysql/simulation';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite, useMariaDB } from '../../support/lifecycle';
import { createDatabase } from '../../support/mariadb';
import { makeTempDir, waitFor, type TempDir } from '../../support/processes';
import { logEnd, orderRows, rowEvents, targetOf } from '../mysql/support';
import { atOrPast, distinctChanges, foldEvents, readStream } from './support';

const kinesalite = useKinesalite();
let client: KinesisClient;
let temp: TempDir;
const running = new Set<Cdc>();

beforeAll(async () => {
  client = kinesisClient(kinesalite().endpoint);
  temp = await makeTempDir('livewall-cdc-');
});
afterAll(async () => {
  await Promise.all([...running].map((c) => c.stop()));
  await temp?.remove();
});

async function freshDatabase(
  serverUrl: string,
  name: string,
): Promise<{ url: string; conn: Connection }> {
  const url = await createDatabase(serverUrl, name);
  const conn = await createConnection(url);
  expect(await checkOrderTable(conn, name, true)).toBeNull();
  return { url, conn };
}

async function cdcFor(
  port: number,
  database: string,
  stream: string,
  extra: Partial<CdcOptions> & { user?: string; password?: string } = {},
): Promise<Cdc> {
  const { user, password, ...rest } = extra;
  const connector = await createMySqlConnector(targetOf(port, database, user), {
    passwords: password ? [staticPasswordSource('test', password)] : [],
    selectDatabase: false,
  });
  const cdc = createCdc({
    connector,
    kinesis: client,
    stream,
    kinesisTarget: `endpoint ${kinesalite().endpoint}`,
    positionFile: join(temp.path, `${database}-${stream}.json`),
    ...rest,
  });
  running.add(cdc);
  return cdc;
}

/**
 * Waits until cdc has stored a position at or past the server's current end of binlog (so
 * everything written so far is on the stream). Past: MariaDB may add a binlog checkpoint event
 * on its own after a rotation, which cdc also moves over.
 */
async function caughtUp(cdc: Cdc, conn: Connection): Promise<void> {
  const end = await logEnd(conn);
  await waitFor(
    `cdc to store ${end.file}:${end.position}`,
    () => atOrPast(cdc.stats().position, end),
    { timeoutMs: 30_000, intervalMs: 20 },
  );
}

const CHANGE_KEYS =
  /^\{"database":"[a-z_]+","table":"order","type":"(insert|update|delete)","ts":\d+,"xid":\d+,"xoffset":\d+,("commit":true,)?"position":"mysql-bin\.\d{6}:\d+","data":\{"order_id":\d+,"user_mail":"[^"]*","status":"[a-z]+","good_count":\d+,"city":"[^"]+","amount":[\d.]+,"create_time":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d","update_time":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"\}(,"old":\{[^}]*\})?\}$/;

describe('cdc with binlog ROW', () => {
  const db = useMariaDB();

  test("its events, folded in order, rebuild exactly the table's final rows", async () => {
    const name = 'cdc_fold';
    const { url, conn } = await freshDatabase(db().url, name);
    await createStream(client, 'fold_ds', 2);
    const from = await logEnd(conn);
    const cdc = await cdcFor(db().port, name, 'fold_ds');
    expect(await cdc.start()).toEqual(from);

    const connector = await createMySqlConnector(targetOf(db().port, name), { passwords: [] });
    const sink = new MySqlOrderSink({ connect: connector.connect });
    const summary = await runSimulation({
      sink,
      orders: 400,
      rate: 0,
      lifecycle: true,
      stepDelayMs: [0, 20],
      seed: 11,
    });
    await sink.close();
    expect(summary.failed).toBe(0);
    const simulated = await rowEvents(conn, name, 'order', from);
    expect(simulated).toEqual({ insert: 400, update: summary.updated, delete: 0 });
    // Multi-row statements (one row event, one transaction, many rows), and another table.
    const [updated] = await conn.query<ResultSetHeader>(
      "UPDATE `order` SET good_count = good_count + 1 WHERE city = '西安'",
    );
    const [deleted] = await conn.query<ResultSetHeader>(
      'DELETE FROM `order` WHERE order_id % 37 = 0',
    );
    expect(updated.affectedRows).toBeGreaterThan(1);
    expect(deleted.affectedRows).toBeGreaterThan(1);
    await conn.query('CREATE TABLE other (id INT PRIMARY KEY, city varchar(20))');
    await conn.query("INSERT INTO other VALUES (1, '上海')");
    await caughtUp(cdc, conn);

    const records = await readStream(client, 'fold_ds');
    const table = await orderRows(url);
    expect(foldEvents(records, true)).toEqual(table);

    // One record per changed row: nothing lost, nothing doubled, nothing of the other table.
    expect(records).toHaveLength(
      simulated.insert + simulated.update + updated.affectedRows + deleted.affectedRows,
    );
    expect(distinctChanges(records).size).toBe(records.length);

    // Maxwell's exact shape; the partition key is the primary key, so an order stays on a shard.
    const now = Date.now() / 1000;
    const shardOf = new Map<string, string>();
    for (const r of records) {
      expect(r.text).toMatch(CHANGE_KEYS);
      expect(r.event.database).toBe(name);
      expect(r.partitionKey).toBe(String(r.event.data.order_id));
      expect(Math.abs(r.event.ts - now)).toBeLessThan(600);
      expect(shardOf.get(r.partitionKey) ?? r.shardId).toBe(r.shardId);
      shardOf.set(r.partitionKey, r.shardId);
    }
    expect(new Set(records.map((r) => r.shardId)).size).toBe(2);
    // Every transaction has exactly one commit:true, on its last row.
    const byXid = new Map<number, boolean[]>();
    for (const r of [...records].sort((a, b) => (a.event.xid ?? 0) - (b.event.xid ?? 0))) {
      byXid.set(r.event.xid ?? -1, [
        ...(byXid.get(r.event.xid ?? -1) ?? []),
        r.event.commit === true,
      ]);
    }
    for (const commits of byXid.values()) expect(commits.filter(Boolean)).toHaveLength(1);
    const multi = [...byXid.values()].filter((c) => c.length > 1);
    expect(multi.length).toBeGreaterThanOrEqual(2); // the multi-row UPDATE and DELETE
    // Only changed columns in old; FLOAT as its shortest form.
    const paid = records.find((r) => r.event.type === 'update' && r.event.old?.status === 'unpaid');
    expect(Object.keys(paid?.event.old ?? {}).sort()).toEqual(['status', 'update_time']);
    for (const r of records) {
      expect(String(r.event.data.amount)).toMatch(/^\d+(\.\d{1,2})?$/);
    }
    await cdc.stop();
    await conn.end();
  });

  test('a slow stream pauses reading and resumes where it stopped, losing and doubling nothing', async () => {
    const name = 'cdc_backpressure';
    const { url, conn } = await freshDatabase(db().url, name);
    await createStream(client, 'slow_ds', 1);
    const from = await logEnd(conn);
    // kinesalite behind a 20 ms delay per request, and room for only 30 waiting records. The
    // first write also waits until the reader has paused, so the stream is the slower side however
    // fast or slow this machine inserts (the simulation writes far more than 30 events).
    let firstWrite: Promise<void> | null = null;
    const put: PutRecordsFn = async (entries) => {
      firstWrite ??= waitFor('cdc to pause reading', () => cdc.stats().pauses > 0, {
        timeoutMs: 60_000,
      });
      await firstWrite;
      await new Promise((r) => setTimeout(r, 20));
      const out = await client.send(
        new PutRecordsCommand({ StreamName: 'slow_ds', Records: entries }),
      );
      return out.Records ?? [];
    };
    const cdc = await cdcFor(db().port, name, 'slow_ds', { put, maxQueuedRecords: 30 });
    await cdc.start();
    const connector = await createMySqlConnector(targetOf(db().port, name), { passwords: [] });
    const sink = new MySqlOrderSink({ connect: connector.connect });
    await runSimulation({
      sink,
      orders: 300,
      rate: 0,
      lifecycle: true,
      stepDelayMs: [0, 10],
      seed: 8,
    });
    await sink.close();
    await caughtUp(cdc, conn);
    expect(cdc.stats().pauses).toBeGreaterThan(0);
    const records = await readStream(client, 'slow_ds');
    const events = await rowEvents(conn, name, 'order', from);
    expect(records).toHaveLength(events.insert + events.update);
    expect(distinctChanges(records).size).toBe(records.length);
    expect(foldEvents(records, true)).toEqual(await orderRows(url));
    await cdc.stop();
    await conn.end();
  });

  test('a Chinese city name survives the whole trip to the stream', async () => {
    const name = 'cdc_city';
    const { conn } = await freshDatabase(db().url, name);
    await createStream(client, 'city_ds', 1);
    const cdc = await cdcFor(db().port, name, 'city_ds');
    await cdc.start();
    await conn.query(
      "INSERT INTO `order` VALUES (NULL, 'mei@qq.com', 'unpaid', 2, '西安', 99.5, '2026-11-24 10:00:01', '2026-11-24 10:00:01')",
    );
    await caughtUp(cdc, conn);
    const [record] = await readStream(client, 'city_ds');
    expect(record?.event.data).toEqual({
      order_id: 1,
      user_mail: 'mei@qq.com',
      status: 'unpaid',
      good_count: 2,
      city: '西安',
      amount: 99.5,
      create_time: '2026-11-24 10:00:01',
      update_time: '2026-11-24 10:00:01',
    });
    // UTF-8 on the wire, not \u escapes or latin1 mojibake.
    expect(Buffer.from(record?.bytes ?? []).includes(Buffer.from('"city":"西安"', 'utf8'))).toBe(
      true,
    );
    await cdc.stop();
    await conn.end();
  });

  test('a restart of MySQL mid-stream is reconnected with no gap', async () => {
    const name = 'cdc_mysql_restart';
    const { url, conn } = await freshDatabase(db().url, name);
    await createStream(client, 'restart_ds', 1);
    const from = await logEnd(conn);
    await conn.end();
    const notices: string[] = [];
    const cdc = await cdcFor(db().port, name, 'restart_ds', { onNotice: (m) => notices.push(m) });
    await cdc.start();
    const connector = await createMySqlConnector(targetOf(db().port, name), { passwords: [] });
    const sink = new MySqlOrderSink({
      connect: connector.connect,
      backoff: { initialMs: 50, maxMs: 500 },
    });
    let inserted = 0;
    const run = runSimulation({
      sink,
      orders: 3_000,
      rate: 0,
      lifecycle: false,
      seed: 5,
      onProgress: (p) => {
        inserted = p.inserted;
      },
    });
    await waitFor('orders to flow', () => inserted >= 500, { timeoutMs: 30_000, intervalMs: 5 });
    await db().restart();
    expect((await run).failed).toBe(0);
    await sink.close();
    const after = await createConnection(url);
    await caughtUp(cdc, after);
    expect(cdc.stats().reconnects).toBeGreaterThanOrEqual(1);
    expect(notices.some((m) => /Reconnecting in/.test(m))).toBe(true);

    const records = await readStream(client, 'restart_ds');
    const events = await rowEvents(after, name, 'order', from);
    expect(events.insert).toBe(3_000);
    expect(distinctChanges(records).size).toBe(events.insert);
    expect(foldEvents(records, false)).toEqual(await orderRows(url));
    await cdc.stop();
    await after.end();
  });
});

describe('cdc refuses what it cannot read', () => {
  const db = useMariaDB();
  let admin: Connection;
  beforeAll(async () => {
    admin = await createConnection(db().url);
    await createDatabase(db().url, 'cdc_refuse');
  });
  afterAll(async () => {
    await admin?.end();
  });

  async function refusal(cdc: Cdc): Promise<string> {
    const error = await cdc.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CdcError);
    await expect(cdc.done).rejects.toBe(error);
    return (error as Error).message;
  }

  test.each([
    [
      'binlog_format',
      'MIXED',
      /^binlog_format is MIXED, but cdc needs row events: set binlog_format=ROW/,
    ],
    ['binlog_format', 'STATEMENT', /^binlog_format is STATEMENT.*SET GLOBAL binlog_format='ROW'/],
    ['binlog_row_image', 'MINIMAL', /^binlog_row_image is MINIMAL.*set binlog_row_image=FULL/],
  ])('%s=%s', async (variable, value, sentence) => {
    await admin.query(`SET GLOBAL ${variable} = '${value}'`);
    try {
      expect(await refusal(await cdcFor(db().port, 'cdc_refuse', 'x_ds'))).toMatch(sentence);
    } finally {
      await admin.query(
        `SET GLOBAL ${variable} = '${variable === 'binlog_format' ? 'ROW' : 'FULL'}'`,
      );
    }
  });

  test.each([
    [
      'nothing but SELECT',
      "GRANT SELECT ON cdc_refuse.* TO 'shop'@'127.0.0.1'",
      'REPLICATION SLAVE, REPLICATION CLIENT',
    ],
    [
      'no SELECT',
      "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'shop'@'127.0.0.1'",
      'SELECT',
    ],
    [
      'no REPLICATION CLIENT',
      "GRANT REPLICATION SLAVE, SELECT ON *.* TO 'shop'@'127.0.0.1'",
      'REPLICATION CLIENT',
    ],
  ])('a user with %s', async (_what, grant, missing) => {
    await admin.query("CREATE USER 'shop'@'127.0.0.1' IDENTIFIED BY 'shop-pw'");
    try {
      await admin.query(grant);
      const cdc = await cdcFor(db().port, 'cdc_refuse', 'x_ds', {
        user: 'shop',
        password: 'shop-pw',
      });
      const message = await refusal(cdc);
      expect(message).toBe(
        `The MySQL user 'shop'@'127.0.0.1' lacks ${missing}, which cdc needs to read the binlog: as an admin, run GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO 'shop'@'127.0.0.1';`,
      );
      expect(message).not.toContain('shop-pw');
    } finally {
      await admin.query("DROP USER 'shop'@'127.0.0.1'");
    }
  });

  test('a missing stream is said before reading, with its name and endpoint', async () => {
    const message = await refusal(await cdcFor(db().port, 'cdc_refuse', 'no_such_ds'));
    expect(message).toBe(
      `Stream "no_such_ds" was not found (endpoint ${kinesalite().endpoint}): check the stream name and the region.`,
    );
  });

  test('a user with exactly the three grants may start', async () => {
    await admin.query("CREATE USER 'maxwell'@'127.0.0.1' IDENTIFIED BY 'mx'");
    await admin.query(
      "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'maxwell'@'127.0.0.1'",
    );
    await admin.query("GRANT SELECT ON cdc_refuse.* TO 'maxwell'@'127.0.0.1'");
    await createStream(client, 'grants_ds', 1);
    const cdc = await cdcFor(db().port, 'cdc_refuse', 'grants_ds', {
      user: 'maxwell',
      password: 'mx',
    });
    await cdc.start();
    await cdc.stop();
    await expect(cdc.done).resolves.toBeUndefined();
  });

  test('a purged stored position gets the sentence with the fix, and --from-current starts', async () => {
    const { conn } = await freshDatabase(db().url, 'cdc_purge');
    await createStream(client, 'purge_ds', 1);
    const first = await cdcFor(db().port, 'cdc_purge', 'purge_ds');
    const stored = await first.start();
    await first.stop();
    // The binlog moves on and the file holding the stored position is purged.
    await conn.query('FLUSH BINARY LOGS');
    await conn.query(
      "INSERT INTO `order` VALUES (NULL, 'a@qq.com', 'unpaid', 1, '上海', 10, NOW(), NOW())",
    );
    await conn.query('FLUSH BINARY LOGS');
    const end = await logEnd(conn);
    // The server keeps a file that a binlog dump thread still reads, and the stopped cdc's thread
    // may outlive its socket for a moment: purge until the stored file is really gone.
    await waitFor(
      `${stored.file} to be purged`,
      async () => {
        await conn.query(`PURGE BINARY LOGS TO '${end.file}'`);
        const [logs] = await conn.query('SHOW BINARY LOGS');
        return !(logs as { Log_name: string }[]).some((l) => l.Log_name === stored.file);
      },
      { timeoutMs: 20_000 },
    );

    const again = await cdcFor(db().port, 'cdc_purge', 'purge_ds');
    const message = await refusal(again);
    expect(message).toContain(`The stored binlog position ${stored.file}:${stored.position}`);
    expect(message).toMatch(/is gone from the server \(its oldest binlog is now mysql-bin\.\d+\)/);
    expect(message).toMatch(
      /run cdc again with --from-current to start at the server's current position/,
    );

    const current = await cdcFor(db().port, 'cdc_purge', 'purge_ds', { fromCurrent: true });
    expect(await current.start()).toEqual(end);
    await conn.query(
      "INSERT INTO `order` VALUES (NULL, 'b@qq.com', 'paid', 1, '西安', 20, NOW(), NOW())",
    );
    await caughtUp(current, conn);
    const records = await readStream(client, 'purge_ds');
    expect(records.map((r) => r.event.data.user_mail)).toEqual(['b@qq.com']);
    await current.stop();
    await conn.end();
  });
});

describe('cdc without binlog', () => {
  const db = useMariaDB({ binlog: false });

  test('refuses with the setting to change', async () => {
    await createDatabase(db().url, 'nolog');
    const cdc = await cdcFor(db().port, 'nolog', 'x_ds');
    const error = await cdc.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CdcError);
    expect((error as Error).message).toBe(
      'Binary logging is off on this server, so cdc has nothing to read: add log_bin=mysql-bin and server_id=1 under [mysqld] in my.cnf and restart the server (on Amazon RDS: set a backup retention period above 0).',
    );
  });
});
