/**
 * A slow `customer` dimension never holds orders back beyond the bound: with the table locked,
 * orders flow at a null level; when the lookup answers, their gmv moves to the customer's level.
 * And an engine that dies while its lookups hang leaves nothing on the screen that the engine
 * restarted from its checkpoint does not correct.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { describe, expect, onTestFinished, test } from 'vitest';
import { metricIdentity } from '../../../src/shared/identity';
import { dayStart, formatDbDatetime, minuteStart } from '../../../src/shared/time';
import { createKinesisClient } from '../../../src/main/kinesis/kinesisClient';
import { mysqlCustomerDirectory } from '../../../src/main/engine/customerDirectory';
import { EngineRunner } from '../../../src/main/engine/engineRunner';
import { createMySqlConnector } from '../../../src/main/mysql/connect';
import { parseMySqlUrl } from '../../../src/main/mysql/target';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite, useMariaDB } from '../../support/lifecycle';
import { createDatabase } from '../../support/mariadb';
import { makeTempDir, waitFor } from '../../support/processes';
import { putRaw } from '../../support/metrics';
import { screenOf, TZ } from '../../support/sqlOracle';
import { CUSTOMER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';

const db = useMariaDB();
const kinesalite = useKinesalite();
const enc = new TextEncoder();

/** Database `name` with a customer table, and the client of its streams `name_order_ds`, `name_metric_ds`. */
async function slowDimension(
  name: string,
  customers: string,
): Promise<{
  admin: Connection;
  locker: Connection;
  runner: (checkpointPath: string | null) => Promise<EngineRunner>;
}> {
  const url = await createDatabase(db().url, name);
  const admin = await createConnection(url);
  const locker = await createConnection(url);
  onTestFinished(async () => {
    await locker.end().catch(() => undefined);
    await admin.end();
  });
  await admin.query(CUSTOMER_TABLE_DDL);
  await admin.query(`INSERT INTO customer VALUES ${customers}`);
  const client = kinesisClient(kinesalite().endpoint);
  for (const s of ['order_ds', 'metric_ds']) await createStream(client, `${name}_${s}`, 1);
  const target = parseMySqlUrl(`mysql://root@127.0.0.1:${db().port}/${name}`);
  if (!target.ok) throw new Error(target.error);
  const runner = async (checkpointPath: string | null): Promise<EngineRunner> => {
    const connector = await createMySqlConnector(target.value, { passwords: [] });
    const endpoint = kinesalite().endpoint;
    return new EngineRunner({
      client: createKinesisClient({ endpoint, region: 'us-east-1' }),
      orderStream: `${name}_order_ds`,
      metrics: `${name}_metric_ds`,
      dwd: null,
      target: 'kinesalite',
      timeZone: TZ,
      dbTimeZone: TZ,
      start: { type: 'TRIM_HORIZON' },
      customers: mysqlCustomerDirectory(connector, name),
      database: name,
      lookupBoundMs: 200,
      emitIntervalMs: 50,
      checkpointPath,
      checkpointIntervalMs: 200,
      pollIntervalMs: 50,
    });
  };
  return { admin, locker, runner };
}

/** Maxwell inserts of paid orders into database `name`'s `order`, put on its order stream. */
async function putOrders(
  name: string,
  orders: { id: number; mail: string; amount: number; at: number }[],
): Promise<void> {
  await putRaw(
    kinesisClient(kinesalite().endpoint),
    `${name}_order_ds`,
    orders.map((o) => {
      const t = formatDbDatetime(o.at, TZ);
      const event = {
        database: name,
        table: 'order',
        type: 'insert',
        ts: Math.floor(Date.now() / 1000),
        xid: o.id,
        data: {
          order_id: o.id,
          user_mail: o.mail,
          status: 'paid',
          good_count: 1,
          city: '西安',
          amount: o.amount,
          create_time: t,
          update_time: t,
        },
      };
      return { PartitionKey: String(o.id), Data: enc.encode(JSON.stringify(event)) };
    }),
  );
}

describe('customer lookup', () => {
  test('a locked customer table: orders flow at a null level within the bound, then move to their level', async () => {
    const { locker, runner: make } = await slowDimension('slow', "('pony@qq.com', 5, 'M')");
    await locker.query('LOCK TABLES customer WRITE');
    const runner = await make(null);
    await runner.start();
    onTestFinished(() => runner.stop());
    const hub = screenOf(kinesalite().endpoint, 'slow_metric_ds');
    await putOrders(
      'slow',
      Array.from({ length: 20 }, (_, i) => ({
        id: i + 1,
        mail: 'pony@qq.com',
        amount: 10,
        at: Date.now(),
      })),
    );

    const today = dayStart(Date.now(), TZ);
    const gmv = (level: number | null) =>
      hub.state.get(metricIdentity({ name: 'gmv', window: '1d', start: today, dims: { level } }))
        ?.value ?? 0;
    // The lookup hangs on the lock, yet every order is counted, at a null level.
    await waitFor('orders at a null level', () => gmv(null) === 200, { timeoutMs: 20_000 });
    expect(runner.stats().engine).toMatchObject({ applied: 20, pendingCustomers: 20 });
    expect(gmv(5)).toBe(0);
    await locker.query('UNLOCK TABLES');
    await waitFor('orders moved to level 5', () => gmv(5) === 200 && gmv(null) === 0, {
      timeoutMs: 20_000,
    });
    expect(runner.stats().engine.pendingCustomers).toBe(0);
  });

  test('an engine that dies while a lookup hangs: the one restarted from its checkpoint empties what it put at a null level', async () => {
    const dir = await makeTempDir('livewall-crash-');
    onTestFinished(() => dir.remove());
    const { locker, runner: make } = await slowDimension(
      'crash',
      "('pony@qq.com', 5, 'M'), ('jack@163.com', 3, 'M')",
    );
    const hub = screenOf(kinesalite().endpoint, 'crash_metric_ds');
    const minute = minuteStart(Date.now() - 120_000);
    const gmv = (level: number | null) =>
      hub.state.get(metricIdentity({ name: 'gmv', window: '1m', start: minute, dims: { level } }))
        ?.value ?? 0;
    const dead = await make(join(dir.path, 'dead.json'));
    await dead.start();
    await putOrders('crash', [{ id: 1, mail: 'pony@qq.com', amount: 10, at: minute }]);
    await waitFor('order 1 at level 5', () => gmv(5) === 10, { timeoutMs: 20_000 });
    // A checkpoint begun after order 1 was folded is the last one the dead run leaves.
    const taken = dead.stats().checkpoints;
    await waitFor('a checkpoint holding order 1', () => dead.stats().checkpoints >= taken + 2, {
      timeoutMs: 20_000,
    });
    const checkpoint = join(dir.path, 'restarted.json');
    await copyFile(join(dir.path, 'dead.json'), checkpoint);

    // The lookup of order 2's customer hangs: it goes out at a null level; then the run dies
    // (stopped before its lookup answers, from the copied checkpoint as after a SIGKILL).
    await locker.query('LOCK TABLES customer WRITE');
    await putOrders('crash', [{ id: 2, mail: 'jack@163.com', amount: 20, at: minute + 5_000 }]);
    await waitFor('order 2 at a null level', () => gmv(null) === 20, { timeoutMs: 20_000 });
    const counted = dead.stats().checkpoints;
    const stopped = dead.stop();
    await waitFor('its outputs closed', () => dead.stats().checkpoints > counted, {
      timeoutMs: 20_000,
    });
    await locker.query('UNLOCK TABLES');
    await stopped;

    const restarted = await make(checkpoint);
    await restarted.start();
    onTestFinished(() => restarted.stop());
    await waitFor(
      'order 2 at level 3 and nothing left at a null level',
      () => gmv(3) === 20 && gmv(5) === 10 && gmv(null) === 0,
      { timeoutMs: 20_000 },
    );
  });
});
