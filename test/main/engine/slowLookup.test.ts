/**
 * A slow `customer` dimension never holds orders back beyond the bound: with the table locked,
 * orders flow at a null level; when the lookup answers, their gmv moves to the customer's level.
 */
import { createConnection } from 'mysql2/promise';
import { describe, expect, onTestFinished, test } from 'vitest';
import { metricIdentity } from '../../../src/shared/identity';
import { dayStart, formatDbDatetime } from '../../../src/shared/time';
import { createKinesisClient } from '../../../src/main/kinesis/kinesisClient';
import { mysqlCustomerDirectory } from '../../../src/main/engine/customerDirectory';
import { EngineRunner } from '../../../src/main/engine/engineRunner';
import { createMySqlConnector } from '../../../src/main/mysql/connect';
import { parseMySqlUrl } from '../../../src/main/mysql/target';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite, useMariaDB } from '../../support/lifecycle';
import { createDatabase } from '../../support/mariadb';
import { waitFor } from '../../support/processes';
import { putRaw } from '../../support/metrics';
import { screenOf, TZ } from '../../support/sqlOracle';
import { CUSTOMER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';

const db = useMariaDB();
const kinesalite = useKinesalite();
const enc = new TextEncoder();

describe('customer lookup', () => {
  test('a locked customer table: orders flow at a null level within the bound, then move to their level', async () => {
    const url = await createDatabase(db().url, 'slow');
    const admin = await createConnection(url);
    const locker = await createConnection(url);
    onTestFinished(async () => {
      await locker.end().catch(() => undefined);
      await admin.end();
    });
    await admin.query(CUSTOMER_TABLE_DDL);
    await admin.query("INSERT INTO customer VALUES ('pony@qq.com', 5, 'M')");
    await locker.query('LOCK TABLES customer WRITE');

    const client = kinesisClient(kinesalite().endpoint);
    for (const s of ['slow_order_ds', 'slow_metric_ds']) await createStream(client, s, 1);
    const target = parseMySqlUrl(`mysql://root@127.0.0.1:${db().port}/slow`);
    if (!target.ok) throw new Error(target.error);
    const connector = await createMySqlConnector(target.value, { passwords: [] });
    const endpoint = kinesalite().endpoint;
    const runner = new EngineRunner({
      client: createKinesisClient({ endpoint, region: 'us-east-1' }),
      orderStream: 'slow_order_ds',
      metrics: 'slow_metric_ds',
      dwd: null,
      target: 'kinesalite',
      timeZone: TZ,
      dbTimeZone: TZ,
      start: { type: 'TRIM_HORIZON' },
      customers: mysqlCustomerDirectory(connector, 'slow'),
      database: 'slow',
      lookupBoundMs: 200,
      emitIntervalMs: 50,
      checkpointPath: null,
      pollIntervalMs: 50,
    });
    await runner.start();
    onTestFinished(() => runner.stop());
    const hub = screenOf(endpoint, 'slow_metric_ds');

    const t = formatDbDatetime(Date.now(), TZ);
    const events = Array.from({ length: 20 }, (_, i) => ({
      database: 'slow',
      table: 'order',
      type: 'insert',
      ts: Math.floor(Date.now() / 1000),
      xid: i,
      data: {
        order_id: i + 1,
        user_mail: 'pony@qq.com',
        status: 'paid',
        good_count: 1,
        city: '西安',
        amount: 10,
        create_time: t,
        update_time: t,
      },
    }));
    await putRaw(
      client,
      'slow_order_ds',
      events.map((e) => ({
        PartitionKey: String(e.data.order_id),
        Data: enc.encode(JSON.stringify(e)),
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
});
