/**
 * `bin/livewall load` as a user runs it, on kinesalite and a private PostgreSQL 15: both dialects
 * leave one row per live order equal to its last wide row; a SIGKILL between the rows and their
 * positions loses and doubles nothing; a reshard while it is down, junk records and a warehouse
 * restart leave the table exact, and the committed counts equal what was written.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import pg from 'pg';
import { beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { runPipeline } from '../../../src/main/health/pipeline';
import { createPositionTableSql, createTableSql } from '../../../src/main/warehouse/tableShape';
import { WarehouseLoader } from '../../../src/main/warehouse/loader';
import { parseWarehouseTarget } from '../../../src/main/warehouse/warehouseTarget';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite } from '../../support/lifecycle';
import { cliEnv, spawnLivewall } from '../../support/livewall';
import { usePostgres } from '../../support/lifecycle';
import { waitFor, type ManagedProcess } from '../../support/processes';
import {
  committedCounts,
  putRows,
  putTexts,
  readTable,
  splitFirstShard,
  tableOf,
  waitCommitted,
  workload,
  type Wide,
} from './support';

const kinesalite = useKinesalite({ shardLimit: 50 });
const postgres = usePostgres();
let client: KinesisClient;

beforeAll(() => {
  client = kinesisClient(kinesalite().endpoint);
});

function load(stream: string, table: string, extra: string[] = []): ManagedProcess {
  const p = spawnLivewall(
    [
      'load',
      '--dwd-stream',
      stream,
      '--warehouse',
      postgres().url,
      '--table',
      table,
      '--create-table',
      '--buffer-interval',
      '0.3',
      '--endpoint',
      kinesalite().endpoint,
      ...extra,
    ],
    {
      name: `livewall load ${stream}`,
      env: cliEnv({ PGPASSWORD: '', LIVEWALL_WAREHOUSE_PASSWORD: '' }),
    },
  );
  onTestFinished(() => p.stop());
  return p;
}

/** Fails a wait at once, with its output, when the loader ends. */
const alive = (p: ManagedProcess) => (): Error | undefined =>
  p.exitInfo() ? new Error(`the loader ended:\n${p.output()}`) : undefined;

async function sql<T = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: postgres().url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('bin/livewall load', () => {
  test.each(['postgres', 'redshift'])(
    '--dialect %s keeps one row per live order, its last wide row',
    async (dialect) => {
      const stream = `dwd_${dialect}`;
      await createStream(client, stream, 2);
      const first = workload(1, 300, 1);
      await putRows(client, stream, first);
      const loader = load(stream, `orders_${dialect}`, ['--dialect', dialect]);
      await waitCommitted(postgres().url, stream, first.length, alive(loader));
      expect(await readTable(postgres().url, `orders_${dialect}`)).toEqual(tableOf(first));

      // Later versions replace, deletes remove, across flushes.
      const more = workload(150, 300, 2);
      await putRows(client, stream, more);
      const all = [...first, ...more];
      await waitCommitted(postgres().url, stream, all.length, alive(loader));
      expect(await readTable(postgres().url, `orders_${dialect}`)).toEqual(tableOf(all));

      await loader.stop();
      expect(loader.exitInfo()?.code).toBe(0);
      const summary = JSON.parse(/\{"flushes".*\}/.exec(loader.output())?.[0] ?? '{}');
      expect(summary.records).toBe(all.length);
      expect(summary.malformed).toBe(0);
    },
  );

  test('SIGKILLed between the rows and their positions, it loses nothing and doubles nothing', async () => {
    const stream = 'dwd_kill';
    const table = 'orders_kill';
    await createStream(client, stream, 2);
    const a = workload(1, 200, 3);
    await putRows(client, stream, a);
    let loader = load(stream, table, ['--dialect', 'redshift']);
    await waitCommitted(postgres().url, stream, a.length, alive(loader));

    // Hold the position table: the next flush writes its rows, then waits at its positions.
    const lock = new pg.Client({ connectionString: postgres().url });
    await lock.connect();
    onTestFinished(() => lock.end());
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE livewall_load_position IN ACCESS EXCLUSIVE MODE');
    const b = workload(100, 200, 4);
    await putRows(client, stream, b);
    await waitFor(
      'the flush to wait at its positions, its rows written',
      async () =>
        (
          await sql(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                AND query LIKE '%livewall_load_position%' AND query NOT LIKE '%pg_stat_activity%'`,
          )
        ).length > 0,
      { timeoutMs: 30_000, process: loader },
    );
    loader.child.kill('SIGKILL');
    expect((await loader.exited).signal).toBe('SIGKILL');
    await lock.query('ROLLBACK');
    // The killed transaction never committed: the table is as A left it.
    expect(await readTable(postgres().url, table)).toEqual(tableOf(a));
    expect((await committedCounts(postgres().url, stream)).loaded).toBe(a.length);

    loader = load(stream, table, ['--dialect', 'redshift']);
    const c = workload(250, 100, 5);
    await putRows(client, stream, c);
    const all = [...a, ...b, ...c];
    await waitCommitted(postgres().url, stream, all.length, alive(loader));
    expect(await readTable(postgres().url, table)).toEqual(tableOf(all));
    // Every record counted once: a replayed flush would count its records twice.
    expect(await committedCounts(postgres().url, stream)).toMatchObject({
      loaded: all.length,
      skipped: 0,
    });
  });

  test('a shard split while it is down: it resumes the parent, then reads the children', async () => {
    const stream = 'dwd_reshard';
    const table = 'orders_reshard';
    await createStream(client, stream, 2);
    const a = workload(1, 300, 6);
    await putRows(client, stream, a);
    let loader = load(stream, table);
    // Killed mid-stream: some of it committed, not all.
    await waitFor(
      'a first flush',
      async () => (await committedCounts(postgres().url, stream)).loaded > 0,
      { timeoutMs: 30_000, process: loader },
    );
    const b = workload(200, 200, 7);
    const writing = putRows(client, stream, b);
    loader.child.kill('SIGKILL');
    await loader.exited;
    await writing;
    await splitFirstShard(client, stream);
    const c = workload(350, 300, 8);
    await putRows(client, stream, c);

    loader = load(stream, table);
    const all = [...a, ...b, ...c];
    await waitCommitted(postgres().url, stream, all.length, alive(loader));
    expect(await readTable(postgres().url, table)).toEqual(tableOf(all));
    const shards = await sql<{ shard_id: string; finished: boolean }>(
      'SELECT shard_id, finished FROM livewall_load_position WHERE stream = $1 ORDER BY shard_id',
      [stream],
    );
    expect(shards.length).toBe(4);
    expect(shards.filter((s) => s.finished).length).toBe(1);
  });

  test('junk records are counted, named by shard and sequence number, and kept out', async () => {
    const stream = 'dwd_junk';
    const table = 'orders_junk';
    await createStream(client, stream, 1);
    const good = workload(1, 50, 9);
    const row = good[0] as Wide;
    const junk = [
      'not json {',
      JSON.stringify({ order_id: 'seven' }),
      JSON.stringify({ ...row, order_id: 9001, op: 'upsert' }),
      JSON.stringify({ ...row, order_id: 9002, city: '城'.repeat(86) }), // 258 bytes: VARCHAR(256) in Redshift's bytes
      JSON.stringify({ ...row, order_id: 9003, user_mail: 'nul\u0000@x.cn' }),
      JSON.stringify({ ...row, order_id: 9004, create_time: '2026-02-30 10:00:00' }),
      JSON.stringify({ ...row, order_id: 9005, level: 3.5 }),
      JSON.stringify({ ...row, order_id: 9006, good_count: 2 ** 40 }),
    ];
    const texts = [
      ...good.slice(0, 20).map((r) => ({ key: String(r.order_id), text: JSON.stringify(r) })),
      ...junk.map((text, i) => ({ key: `junk${i}`, text })),
      ...good.slice(20).map((r) => ({ key: String(r.order_id), text: JSON.stringify(r) })),
    ];
    await putTexts(client, stream, texts);
    const loader = load(stream, table, ['--dialect', 'redshift']);
    await waitCommitted(postgres().url, stream, texts.length, alive(loader));
    expect(await readTable(postgres().url, table)).toEqual(tableOf(good));
    expect(await committedCounts(postgres().url, stream)).toMatchObject({
      loaded: good.length,
      skipped: junk.length,
    });
    const named =
      loader.output().match(/skipped a malformed record \(shardId-\d+, \d+\): .*/g) ?? [];
    expect(named.length).toBe(junk.length);
    expect(named.join('\n')).toMatch(/not JSON/);
    expect(named.join('\n')).toMatch(/"city" is 258 bytes, longer than the column's 256/);
    expect(named.join('\n')).toMatch(/"create_time" is not a real date/);
    await loader.stop();
    expect(JSON.parse(/\{"flushes".*\}/.exec(loader.output())?.[0] ?? '{}').malformed).toBe(
      junk.length,
    );
  });

  test('the warehouse restarting: it retries, says so, and resumes exactly', async () => {
    const stream = 'dwd_restart';
    const table = 'orders_restart';
    await createStream(client, stream, 2);
    const a = workload(1, 200, 10);
    await putRows(client, stream, a);
    const loader = load(stream, table, ['--dialect', 'postgres']);
    await waitCommitted(postgres().url, stream, a.length, alive(loader));
    await postgres().stop();
    const b = workload(100, 200, 11);
    await putRows(client, stream, b);
    await waitFor('the loader to say it retries', () => /retrying in \d+ s/.test(loader.output()), {
      timeoutMs: 30_000,
      process: loader,
    });
    await postgres().restart();
    const all = [...a, ...b];
    await waitCommitted(postgres().url, stream, all.length, alive(loader));
    expect(await readTable(postgres().url, table)).toEqual(tableOf(all));
    expect(await committedCounts(postgres().url, stream)).toMatchObject({ loaded: all.length });
    expect(loader.output()).toMatch(/the warehouse answers again/);
  });

  test('a table whose columns do not fit is refused at start, by column', async () => {
    await createStream(client, 'dwd_misfit', 1);
    await sql(`CREATE TABLE misfit (order_id BIGINT PRIMARY KEY, user_mail TEXT NOT NULL,
      status TEXT NOT NULL, good_count INT NOT NULL, city INT NOT NULL, amount FLOAT8 NOT NULL,
      create_time TIMESTAMP NOT NULL, update_time TIMESTAMP NOT NULL, sex TEXT, level INT,
      op TEXT NOT NULL, ts BIGINT NOT NULL)`);
    const bad = load('dwd_misfit', 'misfit');
    const exit = await bad.exited;
    expect(exit.code).toBe(1);
    expect(bad.output()).toMatch(/the column "city" of "misfit" is INTEGER/);

    await sql(`CREATE TABLE keyless (order_id BIGINT NOT NULL, user_mail TEXT NOT NULL,
      status TEXT NOT NULL, good_count INT NOT NULL, city TEXT NOT NULL, amount FLOAT8 NOT NULL,
      create_time TIMESTAMP NOT NULL, update_time TIMESTAMP NOT NULL, sex TEXT, level INT,
      op TEXT NOT NULL, ts BIGINT NOT NULL)`);
    const keyless = load('dwd_misfit', 'keyless', ['--dialect', 'postgres']);
    expect((await keyless.exited).code).toBe(1);
    expect(keyless.output()).toMatch(/no PRIMARY KEY or UNIQUE constraint on "order_id"/);
  });

  test('health compares dwd with the committed positions and names livewall load', async () => {
    const stream = 'dwd_health';
    await createStream(client, stream, 2);
    const a = workload(1, 50, 12);
    await putRows(client, stream, a);
    const loader = load(stream, 'customer_order');
    await waitCommitted(postgres().url, stream, a.length, alive(loader));
    const check = async () => {
      const checks = await runPipeline({
        maxLagMs: 1_000,
        loaderGraceMs: 0,
        kinesis: { client, target: kinesalite().endpoint },
        dwdStream: stream,
        warehouse: postgres().url,
      });
      // No Firehose is named: the hop is the loader's line.
      return checks.find((c) => c.stage === 'load');
    };
    expect(await check()).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/nothing waiting/),
    });

    loader.child.kill('SIGKILL');
    await loader.exited;
    // Deletes only: they leave no row whose `ts` could tell, the positions still do.
    const deletes = a.slice(0, 5).map((r) => ({ ...r, op: 'delete' as const, ts: r.ts + 5_000 }));
    await putRows(client, stream, deletes);
    await waitFor('health to name livewall load', async () => (await check())?.ok === false, {
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    expect((await check())?.detail).toMatch(
      /^livewall load has committed nothing to the warehouse .* while dwd_health took 5 rows .*start `livewall load`/,
    );
  });

  test('--buffer-size starts a flush before the interval; SIGTERM commits the rest', async () => {
    const stream = 'dwd_size';
    const table = 'orders_size';
    await createStream(client, stream, 1);
    const first = workload(1, 400, 13);
    await putRows(client, stream, first);
    // A 60 s interval and 20 kB: only the size can start a flush while the test waits.
    const loader = load(stream, table, ['--buffer-interval', '60', '--buffer-size', '0.02']);
    await waitCommitted(postgres().url, stream, first.length, alive(loader));
    // Less than the size, ended by a junk record: once it is named, the rows before it are held.
    const rest = workload(500, 10, 14);
    await putTexts(client, stream, [
      ...rest.map((r) => ({ key: String(r.order_id), text: JSON.stringify(r) })),
      { key: 'junk', text: 'the end' },
    ]);
    await waitFor('the rest to be read', () => /skipped a malformed record/.test(loader.output()), {
      timeoutMs: 30_000,
      process: loader,
    });
    expect((await committedCounts(postgres().url, stream)).loaded).toBe(first.length);
    await loader.stop();
    expect(loader.exitInfo()?.code).toBe(0);
    const all = [...first, ...rest];
    expect(await committedCounts(postgres().url, stream)).toMatchObject({
      loaded: all.length,
      skipped: 1,
    });
    expect(await readTable(postgres().url, table)).toEqual(tableOf(all));
    const summary = JSON.parse(/\{"flushes".*\}/.exec(loader.output())?.[0] ?? '{}');
    expect(summary.flushes).toBe(2);
  });

  test('a second loader on the same stream and table: one stops, naming the other, nothing doubles', async () => {
    const stream = 'dwd_twice';
    const table = 'orders_twice';
    await createStream(client, stream, 2);
    const first = workload(1, 200, 15);
    await putRows(client, stream, first);
    const a = load(stream, table);
    await waitCommitted(postgres().url, stream, first.length, alive(a));
    const b = load(stream, table);
    await waitFor('the second loader to start', () => /loading dwd_twice/.test(b.output()), {
      timeoutMs: 30_000,
      process: b,
    });
    const more = workload(150, 200, 16);
    await putRows(client, stream, more);
    await waitFor('one loader to stop', () => !!(a.exitInfo() || b.exitInfo()), {
      timeoutMs: 30_000,
    });
    const [loser, survivor] = a.exitInfo() ? [a, b] : [b, a];
    expect(loser.exitInfo()?.code).toBe(1);
    expect(loser.output()).toMatch(
      /another livewall load has committed dwd_twice into "orders_twice"/,
    );
    const all = [...first, ...more];
    await waitCommitted(postgres().url, stream, all.length, alive(survivor));
    expect(await readTable(postgres().url, table)).toEqual(tableOf(all));
  });

  test('the grants of docs/warehouse.md suffice once the tables exist', async () => {
    const stream = 'dwd_grants';
    await createStream(client, stream, 1);
    const name = (n: string) => ({ schema: null, name: n, sql: `"${n}"` });
    await sql(createTableSql(name('orders_grants')));
    await sql(createPositionTableSql(name('livewall_load_position')));
    await sql('CREATE USER loader');
    await sql('GRANT USAGE ON SCHEMA public TO loader');
    await sql('GRANT SELECT, INSERT, DELETE, UPDATE ON orders_grants TO loader');
    await sql('GRANT SELECT, INSERT, DELETE ON livewall_load_position TO loader');
    const rows = workload(1, 100, 17);
    await putRows(client, stream, rows);
    const p = spawnLivewall(
      [
        'load',
        '--dwd-stream',
        stream,
        '--warehouse',
        postgres().url.replace('postgres@', 'loader@'),
        '--table',
        'orders_grants',
        '--dialect',
        'postgres',
        '--create-table',
        '--buffer-interval',
        '0.3',
        '--endpoint',
        kinesalite().endpoint,
      ],
      { name: 'livewall load as loader', env: cliEnv() },
    );
    onTestFinished(() => p.stop());
    await waitCommitted(postgres().url, stream, rows.length, alive(p));
    expect(await readTable(postgres().url, 'orders_grants')).toEqual(tableOf(rows));
  });

  test('a password in the URL works, is warned about, and never printed', async () => {
    await createStream(client, 'dwd_secret', 1);
    const url = postgres().url.replace('postgres@', 'postgres:s3cr3t-pw@');
    const p = spawnLivewall(
      [
        'load',
        '--dwd-stream',
        'dwd_secret',
        '--warehouse',
        url,
        '--table',
        'orders_secret',
        '--create-table',
        '--endpoint',
        kinesalite().endpoint,
      ],
      { name: 'livewall load secret', env: cliEnv() },
    );
    onTestFinished(() => p.stop());
    await waitFor('the loader to start', () => /loading dwd_secret/.test(p.output()), {
      timeoutMs: 30_000,
      process: p,
    });
    await p.stop();
    expect(p.output()).toMatch(/postgres:\*\*\*@127\.0\.0\.1.*shows in the process list/);
    expect(p.output()).not.toContain('s3cr3t');
  });
});

describe('WarehouseLoader', () => {
  test('stopped while the warehouse is away: it gives up, commits nothing after, and the next run is exact', async () => {
    const stream = 'dwd_giveup';
    const table = 'orders_giveup';
    await createStream(client, stream, 2);
    const target = parseWarehouseTarget(postgres().url, { table, dialect: 'redshift' });
    if (!target.ok) throw new Error(target.error);
    const lines: string[] = [];
    const loader = () =>
      new WarehouseLoader({
        client,
        stream,
        start: { type: 'TRIM_HORIZON' },
        kinesisTarget: 'kinesalite',
        warehouse: target.value,
        createTable: true,
        bufferIntervalMs: 200,
        bufferBytes: 5 * 1024 * 1024,
        log: (line) => lines.push(line),
        stopGraceMs: 500,
      });
    const a = workload(1, 200, 18);
    await putRows(client, stream, a);
    const first = loader();
    await first.start();
    onTestFinished(() => first.stop());
    await waitCommitted(postgres().url, stream, a.length);
    await postgres().stop();
    const b = workload(100, 200, 19);
    await putRows(client, stream, b);
    await waitFor('a retry', () => lines.some((l) => /retrying in/.test(l)), { timeoutMs: 30_000 });
    await first.stop();
    expect(lines.join('\n')).toMatch(/gave up writing \d+ row\(s\) at stop/);
    expect(first.stats().state).toBe('stopped');

    await postgres().restart();
    expect((await committedCounts(postgres().url, stream)).loaded).toBe(a.length);
    const second = loader();
    await second.start();
    onTestFinished(() => second.stop());
    const all = [...a, ...b];
    await waitCommitted(postgres().url, stream, all.length);
    expect(await readTable(postgres().url, table)).toEqual(tableOf(all));
  });
});
