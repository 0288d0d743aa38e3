/**
 * The customer dimension's database goes away under `livewall flink`: the JDBC lookup join fails,
 * Flink restarts the job from its last checkpoint with backoff, and once the database is back the
 * metrics equal MariaDB's GROUP BYs again, the new customer at its level. The job never exits.
 * The dimension lives in a second private MariaDB so that cdc keeps reading the first one.
 */
import { createConnection } from 'mysql2/promise';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { createStream, kinesisClient } from '../support/kinesalite';
import { useKinesalite, useMariaDB } from '../support/lifecycle';
import { createDatabase } from '../support/mariadb';
import { engineFlags } from '../support/livewall';
import { useOracleRig } from '../support/oracleRig';
import { waitFor } from '../support/processes';
import { screenOf, screenView, setUp, sqlView, workload, TZ } from '../support/sqlOracle';
import { CUSTOMER_TABLE_DDL } from '../../src/main/mysql/orderSchema';

const orders = useMariaDB();
const dimension = useMariaDB({ binlog: false });
const kinesalite = useKinesalite({ shardLimit: 20 });
const rig = useOracleRig('livewall-flink-outage-');

test(
  'a lost customer database stalls the job, which resumes exactly when it is back',
  { timeout: 420_000 },
  async () => {
    const { conn } = await setUp(orders().url, 'outage');
    onTestFinished(() => conn.end());
    // The dimension's own copy of the customer table, as the oracle's.
    const dimUrl = await createDatabase(dimension().url, 'dim');
    const dim = async (sql: string): Promise<void> => {
      const c = await createConnection({ uri: dimUrl, charset: 'utf8mb4' });
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    await dim(CUSTOMER_TABLE_DDL);
    await dim(
      "INSERT INTO customer VALUES ('pony@qq.com',5,'M'),('jack@163.com',3,'M'),('lucy@gmail.com',2,'F'),('mei@qq.com',4,'F')",
    );
    const client = kinesisClient(kinesalite().endpoint);
    for (const s of ['order_ds', 'metric_ds', 'dwd_ds'])
      await createStream(client, `outage_${s}`, 1);
    const endpoint = kinesalite().endpoint;
    await rig.startCdc(
      `mysql://root@127.0.0.1:${orders().port}/outage`,
      'outage_order_ds',
      endpoint,
    );
    const job = rig.livewall(
      'flink',
      [
        'flink',
        ...engineFlags({
          timeZone: TZ,
          database: 'outage',
          source: 'outage_order_ds',
          metrics: 'outage_metric_ds',
          dwd: 'outage_dwd_ds',
          customers: `mysql://root@127.0.0.1:${dimension().port}/dim`,
          endpoint,
          stateDir: join(rig.path(), 'state'),
        }),
        '--checkpoint-interval',
        '2000',
      ],
      60_000,
    );
    const hub = screenOf(endpoint, 'outage_metric_ds');
    const converged = async (what: string): Promise<void> => {
      const want = await sqlView(conn);
      await waitFor(
        what,
        () => {
          const got = screenView(hub.snapshot().metrics);
          return want.size === got.size && [...want].every(([k, v]) => got.get(k) === v);
        },
        { timeoutMs: 180_000, intervalMs: 500, process: job },
      );
    };

    await workload(conn, 31, 300);
    await converged('metric_ds to equal the SQL GROUP BYs');

    // The dimension goes away; a customer the job has never looked up places orders.
    await dimension().stop();
    await conn.query("INSERT INTO customer VALUES ('zoe@new.cn',7,'F')");
    const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
    for (let i = 0; i < 3; i++)
      await conn.query(
        "INSERT INTO `order` (user_mail,status,good_count,city,amount,create_time,update_time) VALUES ('zoe@new.cn','paid',1,'北京',12.5,?,?)",
        [now, now],
      );
    // Flink says the lookup failed and restarts the job; the process stays up.
    await waitFor(
      'the job to fail over on the lost lookup',
      () => /switched from RUNNING to FAILED/.test(job.output()),
      { timeoutMs: 120_000, process: job },
    );
    expect(job.exitInfo()).toBeUndefined();

    await dimension().restart();
    await dim("INSERT INTO customer VALUES ('zoe@new.cn',7,'F')");
    await converged('metric_ds to equal the SQL GROUP BYs after the outage');
    expect(
      screenView(hub.snapshot().metrics).get(
        JSON.stringify(['gmv', '1d', Date.parse(`${now.slice(0, 10)}T00:00:00Z`), [['level', 7]]]),
      ),
    ).toBe(37.5);
  },
);
