/**
 * Issue 4's figures, against the private MariaDB and kinesalite: binlog-to-stream events per
 * second (cdc reading a binlog already written, so the database is not the limit), and the lag
 * from COMMIT to the record being readable on the stream (p50, p99) at 100 orders/s.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { createConnection, type Connection } from 'mysql2/promise';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKinesisClient } from '../src/main/kinesis/kinesisClient';
import { createCdc, type Cdc } from '../src/main/cdc/cdcService';
import { createMySqlConnector } from '../src/main/mysql/connect';
import { ORDER_TABLE_DDL } from '../src/main/mysql/orderSchema';
import { MySqlOrderSink } from '../src/main/mysql/orderSink';
import { runSimulation } from '../src/main/mysql/simulation';
import { createStream, kinesisClient, startKinesalite } from '../test/support/kinesalite';
import { createDatabase, startMariaDB } from '../test/support/mariadb';
import { waitFor } from '../test/support/poll';
import { percentile } from './stats';
import { sleep } from '../src/main/lib/backoff';

type Report = (name: string, value: string) => void;

// A 2 ms interval: the figure is the time until the condition holds.
const until = (what: string, ready: () => boolean, timeoutMs: number): Promise<void> =>
  waitFor(what, ready, { timeoutMs, intervalMs: 2 });

const values = (i: number): string =>
  `('pony@qq.com', 'unpaid', ${1 + (i % 10)}, '${i % 2 ? '西安' : '北京'}', ${10 + (i % 990)}.5, NOW(), NOW())`;

export async function cdcBench(report: Report): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const [db, kinesalite] = await Promise.all([startMariaDB(), startKinesalite()]);
  const dir = await mkdtemp(join(tmpdir(), 'livewall-bench-cdc-'));
  let cdc: Cdc | null = null;
  let conn: Connection | null = null;
  try {
    const url = await createDatabase(db.url, 'bench');
    conn = await createConnection(url);
    await conn.query(ORDER_TABLE_DDL);
    await createStream(kinesisClient(kinesalite.endpoint), 'order_ds', 2);
    const kinesis = createKinesisClient({ endpoint: kinesalite.endpoint, region: 'us-east-1' });
    const connector = await createMySqlConnector(
      { host: '127.0.0.1', port: db.port, user: 'root', database: 'bench', ssl: false },
      { passwords: [], selectDatabase: false },
    );

    // 1. Throughput: 20 000 inserts (100-row statements) and 5 000 single-row updates are in
    //    the binlog before cdc starts; time until the stream has acknowledged all 25 000.
    const [[status]] = (await conn.query('SHOW MASTER STATUS')) as [
      { File: string; Position: number }[],
      unknown,
    ];
    for (let s = 0; s < 200; s++) {
      const rows = Array.from({ length: 100 }, (_, i) => values(s * 100 + i)).join(', ');
      await conn.query(
        `INSERT INTO \`order\` (user_mail, status, good_count, city, amount, create_time, update_time) VALUES ${rows}`,
      );
    }
    for (let i = 1; i <= 5_000; i++) {
      await conn.query(
        "UPDATE `order` SET status = 'paid', update_time = NOW() WHERE order_id = ?",
        [i],
      );
    }
    const positionFile = join(dir, 'position.json');
    await writeFile(
      positionFile,
      JSON.stringify({ file: status?.File, position: status?.Position }),
    );
    cdc = createCdc({
      connector,
      kinesis,
      stream: 'order_ds',
      kinesisTarget: 'kinesalite',
      positionFile,
    });
    const t0 = performance.now();
    await cdc.start();
    const running = cdc;
    await until('25 000 acknowledged events', () => running.stats().acked >= 25_000, 90_000);
    const seconds = (performance.now() - t0) / 1000;
    report('cdc: binlog → stream, 25 000 events (events/s)', (25_000 / seconds).toFixed(0));
    report('cdc: binlog → stream, 25 000 events (s)', seconds.toFixed(2));

    // 2. The simulator's exact-count inserts (one transaction each) into the same database.
    const shop = await createMySqlConnector(connector.target, { passwords: [] });
    const sink = new MySqlOrderSink({ connect: shop.connect });
    const s0 = performance.now();
    const summary = await runSimulation({
      sink,
      orders: 2_000,
      rate: 0,
      lifecycle: false,
      seed: 1,
    });
    await sink.close();
    report(
      'simulate: exact-count inserts into MySQL (orders/s)',
      (summary.inserted / ((performance.now() - s0) / 1000)).toFixed(0),
    );
    await until(
      'the simulated orders on the stream',
      () => running.stats().acked >= 27_000,
      60_000,
    );

    // 3. Lag: one order every 10 ms for 5 s; a reader polls both shards from LATEST.
    const reader = kinesisClient(kinesalite.endpoint);
    const { Shards: shards = [] } = await reader.send(
      new ListShardsCommand({ StreamName: 'order_ds' }),
    );
    const iterators = await Promise.all(
      shards.map(async (s) => {
        const out = await reader.send(
          new GetShardIteratorCommand({
            StreamName: 'order_ds',
            ShardId: s.ShardId,
            ShardIteratorType: 'LATEST',
          }),
        );
        return out.ShardIterator;
      }),
    );
    const committedAt = new Map<number, number>();
    const lags: number[] = [];
    let writing = true;
    const decoder = new TextDecoder();
    const polling = (async () => {
      while (writing || lags.length < committedAt.size) {
        let got = 0;
        await Promise.all(
          iterators.map(async (iterator, i) => {
            if (!iterator) return;
            const page = await reader.send(new GetRecordsCommand({ ShardIterator: iterator }));
            iterators[i] = page.NextShardIterator;
            const now = performance.now();
            for (const r of page.Records ?? []) {
              const event = JSON.parse(decoder.decode(r.Data)) as {
                type: string;
                data: { order_id: number };
              };
              const at = committedAt.get(event.data.order_id);
              if (event.type === 'insert' && at !== undefined) lags.push(now - at);
              got++;
            }
          }),
        );
        if (got === 0) await sleep(5);
      }
    })();
    const start = performance.now();
    for (let i = 0; i < 500; i++) {
      const due = start + i * 10;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const [result] = (await conn.query(
        `INSERT INTO \`order\` (user_mail, status, good_count, city, amount, create_time, update_time) VALUES ${values(i)}`,
      )) as [{ insertId: number }, unknown];
      committedAt.set(result.insertId, performance.now());
    }
    writing = false;
    await Promise.race([polling, sleep(30_000)]);
    report('cdc: COMMIT → readable on the stream, p50 (ms)', percentile(lags, 50).toFixed(1));
    report('cdc: COMMIT → readable on the stream, p99 (ms)', percentile(lags, 99).toFixed(1));
    report('cdc: lag samples (100 orders/s, 5 ms polling)', `${lags.length} of 500`);
  } finally {
    await cdc?.stop();
    await conn?.end();
    await Promise.all([db.dispose(), kinesalite.dispose()]);
    await rm(dir, { recursive: true, force: true });
  }
}
