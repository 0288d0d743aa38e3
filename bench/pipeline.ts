/**
 * Issue 5's end-to-end figure: from COMMIT on MariaDB to the metric record on metric_ds, through
 * cdc, order_ds, the engine (default 500 ms emit interval) and a consumer reading metric_ds.
 */
import { createConnection } from 'mysql2/promise';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricRecord } from '../src/shared/contracts';
import { createKinesisClient } from '../src/main/kinesis/kinesisClient';
import { createCdc } from '../src/main/cdc/cdcService';
import { MetricConsumer } from '../src/main/app/metricConsumer';
import { EngineRunner } from '../src/main/engine/engineRunner';
import { createMySqlConnector } from '../src/main/mysql/connect';
import { ORDER_TABLE_DDL } from '../src/main/mysql/orderSchema';
import { MetricHub } from '../src/main/app/metricHub';
import { createStream, kinesisClient, startKinesalite } from '../test/support/kinesalite';
import { createDatabase, startMariaDB } from '../test/support/mariadb';
import { percentile } from './stats';
import { sleep } from '../src/main/lib/backoff';

type Report = (name: string, value: string) => void;

export async function pipelineBench(report: Report): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const [db, kinesalite] = await Promise.all([startMariaDB(), startKinesalite()]);
  const dir = await mkdtemp(join(tmpdir(), 'livewall-bench-e2e-'));
  const client = createKinesisClient({ endpoint: kinesalite.endpoint, region: 'us-east-1' });
  try {
    const url = await createDatabase(db.url, 'e2e');
    const conn = await createConnection(url);
    await conn.query(ORDER_TABLE_DDL);
    for (const s of ['order_ds', 'metric_ds'])
      await createStream(kinesisClient(kinesalite.endpoint), s, 2);
    const connector = await createMySqlConnector(
      { host: '127.0.0.1', port: db.port, user: 'root', database: 'e2e', ssl: false },
      { passwords: [], selectDatabase: false },
    );
    const cdc = createCdc({
      connector,
      kinesis: client,
      stream: 'order_ds',
      kinesisTarget: 'kinesalite',
      positionFile: join(dir, 'pos.json'),
      fromCurrent: true,
    });
    await cdc.start();
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const engine = new EngineRunner({
      client,
      orderStream: 'order_ds',
      metrics: 'metric_ds',
      dwd: null,
      target: 'kinesalite',
      timeZone: tz,
      dbTimeZone: tz,
      start: { type: 'TRIM_HORIZON' },
      customers: null,
      checkpointPath: join(dir, 'engine.json'),
    });
    await engine.start();
    // When each total of today's orders was first seen on metric_ds.
    const seen = new Map<number, number>();
    const hub = new (class extends MetricHub {
      override apply(records: readonly MetricRecord[]): void {
        const at = performance.now();
        for (const r of records) {
          if (
            r.name === 'orders' &&
            r.window === '1d' &&
            Object.keys(r.dims).length === 0 &&
            !seen.has(r.value)
          )
            seen.set(r.value, at);
        }
        super.apply(records);
      }
    })('kinesis');
    const consumer = new MetricConsumer({
      client,
      stream: 'metric_ds',
      start: { type: 'TRIM_HORIZON' },
      target: 'kinesalite',
      timeZone: tz,
      hub,
    });
    consumer.start();
    const commits: number[] = [];
    const rate = 20;
    const total = 200;
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      await conn.query(
        "INSERT INTO `order` (user_mail,status,good_count,city,amount,create_time,update_time) VALUES ('pony@qq.com','paid',1,'西安',10.5,NOW(),NOW())",
      );
      commits.push(performance.now());
    }
    const deadline = Date.now() + 20_000;
    while (![...seen.keys()].some((v) => v >= total) && Date.now() < deadline) await sleep(20);
    // The i-th order is on screen once a total of at least i was seen.
    const lags: number[] = [];
    const totals = [...seen].sort((a, b) => a[0] - b[0]);
    commits.forEach((c, i) => {
      const first = totals.find(([v]) => v >= i + 1);
      if (first) lags.push(first[1] - c);
    });
    report(
      `pipeline: COMMIT→metric_ds at ${rate} orders/s, p50 / p99 (ms)`,
      `${percentile(lags, 50).toFixed(0)} / ${percentile(lags, 99).toFixed(0)} (${lags.length} of ${total})`,
    );
    await consumer.stop();
    await engine.stop();
    await cdc.stop();
    await conn.end();
  } finally {
    await rm(dir, { recursive: true, force: true });
    await Promise.all([db.dispose(), kinesalite.dispose()]);
  }
}
