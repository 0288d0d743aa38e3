/**
 * Issue 19's figures: `livewall load` into a private PostgreSQL 15, beside the floor of loading the
 * same rows with `COPY … FROM STDIN` through psql.
 * 1. end to end: 20 000 orders' wide rows already on a 2-shard kinesalite stream, the loader
 *    started from trim with a 1 s buffer; time until every row is committed, and how many
 *    transactions it took;
 * 2. the warehouse path alone: one flush of the same 20 000 rows (stage + merge + positions);
 * 3. the floor: psql `\copy` of the same rows as CSV into a plain table.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../src/main/kinesis/kinesisClient';
import { WarehouseLoader } from '../src/main/warehouse/loader';
import { fitRow } from '../src/main/warehouse/rowFit';
import { checkTableFit, COLUMNS, createTableSql } from '../src/main/warehouse/tableShape';
import { WarehouseWriter } from '../src/main/warehouse/warehouseWriter';
import { parseWarehouseTarget, type WarehouseTarget } from '../src/main/warehouse/warehouseTarget';
import { createStream, kinesisClient, startKinesalite } from '../test/support/kinesalite';
import { startPostgres } from '../test/support/postgres';
import { waitFor } from '../test/support/poll';

type Report = (name: string, value: string) => void;

const ORDERS = 20_000;

function rows(n: number): Record<string, unknown>[] {
  const base = Date.UTC(2026, 10, 24, 2, 0, 0);
  return Array.from({ length: n }, (_, i) => {
    const at = base + (i % 3600) * 1000;
    const time = new Date(at).toISOString().slice(0, 19).replace('T', ' ');
    return {
      order_id: i + 1,
      user_mail: i % 3 ? 'pony@qq.com' : "o'brien@x.cn",
      status: 'paid',
      good_count: 1 + (i % 10),
      city: i % 2 ? '西安' : '乌鲁木齐',
      amount: 10 + (i % 990) + 0.5,
      create_time: time,
      update_time: time,
      sex: i % 4 ? 'F' : null,
      level: i % 4 ? 1 + (i % 5) : null,
      op: 'insert',
      ts: at,
    };
  });
}

function psql(url: string, sql: string, input: string): Promise<void> {
  const dir = '/usr/lib/postgresql';
  const bin = readdirSync(dir)
    .map((v) => join(dir, v, 'bin', 'psql'))
    .find((p) => existsSync(p));
  return new Promise((resolve, reject) => {
    const p = spawn(bin ?? 'psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}`))));
    p.stdin.end(input);
  });
}

const csvField = (v: unknown): string =>
  v === null ? '' : typeof v === 'string' ? `"${v.replace(/"/g, '""')}"` : String(v);

export async function warehouseBench(report: Report): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const [db, kinesalite] = await Promise.all([startPostgres(), startKinesalite()]);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    const data = rows(ORDERS);
    const texts = data.map((r) => JSON.stringify(r));
    const client = kinesisClient(kinesalite.endpoint);
    await createStream(client, 'bench_dwd', 2);
    for (let i = 0; i < texts.length; i += 500) {
      await client.send(
        new PutRecordsCommand({
          StreamName: 'bench_dwd',
          Records: texts.slice(i, i + 500).map((t, j) => ({
            PartitionKey: String(i + j + 1),
            Data: Buffer.from(t),
          })),
        }),
      );
    }
    const target = (table: string): WarehouseTarget => {
      const t = parseWarehouseTarget(db.url, { table, dialect: 'redshift' });
      if (!t.ok) throw new Error(t.error);
      return t.value;
    };

    // 1. End to end.
    const loader = new WarehouseLoader({
      client: createKinesisClient({ endpoint: kinesalite.endpoint, region: 'us-east-1' }),
      stream: 'bench_dwd',
      start: { type: 'TRIM_HORIZON' },
      kinesisTarget: 'kinesalite',
      warehouse: target('customer_order'),
      createTable: true,
      bufferIntervalMs: 1_000,
      bufferBytes: 5 * 1024 * 1024,
      log: () => undefined,
    });
    const t0 = performance.now();
    await loader.start();
    await waitFor('every row loaded', () => loader.stats().upserted >= ORDERS, {
      timeoutMs: 300_000,
      intervalMs: 20,
    });
    const e2e = performance.now() - t0;
    const flushes = loader.stats().flushes;
    await loader.stop();
    report(
      'load: 20 000 orders kinesalite → PostgreSQL (1 s buffer)',
      `${Math.round(ORDERS / (e2e / 1000))} rows/s (${(e2e / 1000).toFixed(1)} s, ${flushes} transactions)`,
    );

    // 2. The warehouse path alone: one flush of all rows.
    await sql.query(createTableSql(target('flush_only').table));
    const fit = checkTableFit(
      'flush_only',
      (
        await sql.query(
          `SELECT column_name, data_type, character_maximum_length::int AS character_maximum_length,
                  is_nullable, column_default FROM information_schema.columns WHERE table_name = 'flush_only'`,
        )
      ).rows,
    );
    if (!fit.ok) throw new Error(fit.error);
    const values = texts.map((t) => {
      const r = fitRow(t, fit.value, 'redshift');
      if (!r.ok) throw new Error(r.error);
      return r.value.values;
    });
    const writer = new WarehouseWriter(target('flush_only'), 'bench_flush');
    await writer.prepare(false);
    const t1 = performance.now();
    await writer.write({
      rows: values,
      shards: new Map(),
      startFrom: 'trim',
      stamp: Date.now(),
      previousStamp: null,
    });
    const flushMs = performance.now() - t1;
    await writer.close();
    report(
      'load: one flush of 20 000 rows (stage, merge, positions)',
      `${Math.round(ORDERS / (flushMs / 1000))} rows/s (${Math.round(flushMs)} ms)`,
    );

    // 3. The floor: COPY of the same rows through psql.
    await sql.query(createTableSql(target('copy_floor').table));
    const csv = data.map((r) => COLUMNS.map((c) => csvField(r[c])).join(',')).join('\n') + '\n';
    const t2 = performance.now();
    await psql(db.url, `\\copy copy_floor (${COLUMNS.join(', ')}) FROM STDIN (FORMAT csv)`, csv);
    const copyMs = performance.now() - t2;
    report(
      'load floor: psql COPY FROM STDIN of the same rows',
      `${Math.round(ORDERS / (copyMs / 1000))} rows/s (${Math.round(copyMs)} ms)`,
    );
  } finally {
    await sql.end().catch(() => undefined);
    await kinesalite.dispose();
    await db.dispose();
  }
}
