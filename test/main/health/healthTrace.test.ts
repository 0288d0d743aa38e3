/**
 * `livewall health --trace` over the real pipeline (MariaDB → cdc → order_ds → engine →
 * metric_ds + dwd on kinesalite): one marked order is followed through every stream, each hop's
 * latency printed, and the order is deleted again.
 */
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { StreamReader } from '../../../src/main/kinesis/streamReader';
import { usePostgres } from '../../support/lifecycle';
import { TRACE_MAIL } from '../../../src/main/health/trace';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite, useMariaDB } from '../../support/lifecycle';
import {
  cdcArgs,
  engineFlags,
  streamFlags,
  cliEnv,
  runLivewall,
  spawnLivewall,
} from '../../support/livewall';
import { createDatabase } from '../../support/mariadb';
import { makeTempDir, waitFor, type ManagedProcess, type TempDir } from '../../support/processes';
import { ORDER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';

const db = useMariaDB();
const kinesalite = useKinesalite();
const postgres = usePostgres();
const NAME = 'trace';
let temp: TempDir;
let conn: Connection;
const procs: ManagedProcess[] = [];
const env = (): NodeJS.ProcessEnv => cliEnv();
const mysqlUrl = (): string => `mysql://root@127.0.0.1:${db().port}/${NAME}`;

beforeAll(async () => {
  temp = await makeTempDir('livewall-trace-');
  const url = await createDatabase(db().url, NAME);
  conn = await createConnection({ uri: url, charset: 'utf8mb4' });
  await conn.query(ORDER_TABLE_DDL);
  const client = kinesisClient(kinesalite().endpoint);
  for (const s of ['order_ds', 'metric_ds', 'dwd_ds'])
    await createStream(client, `${NAME}_${s}`, 2);
  const endpoint = kinesalite().endpoint;
  const cdc = spawnLivewall(
    cdcArgs({
      mysql: mysqlUrl(),
      stream: `${NAME}_order_ds`,
      endpoint,
      positionFile: join(temp.path, 'cdc.pos.json'),
    }),
    { cwd: temp.path, env: env() },
  );
  procs.push(cdc);
  await waitFor('cdc to start reading', () => /reading .* from /.test(cdc.output()), {
    timeoutMs: 20_000,
    process: cdc,
  });
  procs.push(
    spawnLivewall(
      [
        'engine',
        ...engineFlags({
          database: NAME,
          source: `${NAME}_order_ds`,
          metrics: `${NAME}_metric_ds`,
          dwd: `${NAME}_dwd_ds`,
          endpoint,
          stateDir: join(temp.path, 'engine'),
        }),
      ],
      { cwd: temp.path, env: env() },
    ),
  );
}, 90_000);
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await conn?.end();
  await temp?.remove();
});

describe('livewall health --trace', () => {
  test(
    'follows one marked order through every hop, prints latencies, deletes it',
    { timeout: 120_000 },
    async () => {
      const args = [
        'health',
        '--trace',
        '--mysql',
        mysqlUrl(),
        ...streamFlags(NAME),
        '--endpoint',
        kinesalite().endpoint,
      ];
      // The warehouse, loaded from dwd the way Firehose would (one row per wide row).
      const wh = new pg.Client({ connectionString: postgres().url });
      await wh.connect();
      await wh.query(
        'CREATE TABLE customer_order (order_id INT, user_mail TEXT, op TEXT, ts BIGINT)',
      );
      const loader = new StreamReader({
        client: kinesisClient(kinesalite().endpoint),
        stream: `${NAME}_dwd_ds`,
        start: { type: 'TRIM_HORIZON' },
        target: 'kinesalite',
        onRecords: async (batch) => {
          for (const rec of batch.records) {
            const row = JSON.parse(new TextDecoder().decode(rec.Data)) as Record<string, unknown>;
            await wh.query('INSERT INTO customer_order VALUES ($1, $2, $3, $4)', [
              row.order_id,
              row.user_mail,
              row.op,
              row.ts,
            ]);
          }
        },
      });
      loader.start();
      onTestFinished(async () => {
        await loader.stop();
        await wh.end();
      });
      args.push('--warehouse', postgres().url);
      const r = await runLivewall(args, { cwd: temp.path, env: env() });
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(
        /^ok {4}trace warehouse: reached customer_order after \d+(\.\d)? (ms|s)$/m,
      );
      // The first line names the config file (stderr); the hops follow.
      const [configLine, ...lines] = r.output.trim().split('\n');
      expect(configLine).toMatch(/^livewall health: no config file /);
      expect(lines[0]).toMatch(
        /^ok {4}trace mysql: inserted the marked order \d+ \(trace@lw\.invalid, city livewall-trace\)$/,
      );
      for (const s of ['order_ds', 'dwd', 'metric_ds'])
        expect(r.output).toMatch(
          new RegExp(`ok {4}trace ${s}: reached ${NAME}_\\w+_ds after \\d+(\\.\\d)? (ms|s)$`, 'm'),
        );
      expect(lines.at(-1)).toMatch(/^ok {4}trace mysql: deleted the marked order \d+ again/);
      const [rows] = await conn.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM `order` WHERE user_mail = ?',
        [TRACE_MAIL],
      );
      expect(Number(rows[0]?.n)).toBe(0);
      // --json: the hops as one array, latencies in ageMs.
      const j = await runLivewall([...args, '--json'], { cwd: temp.path, env: env() });
      const hops = JSON.parse(
        j.output
          .trim()
          .split('\n')
          .find((l) => l.startsWith('[')) ?? '[]',
      ) as { stage: string; ok: boolean; ageMs?: number }[];
      expect(hops.map((h) => h.stage)).toEqual([
        'mysql',
        'order_ds',
        'dwd',
        'metric_ds',
        'warehouse',
        'mysql',
      ]);
      expect(hops.every((h) => h.ok)).toBe(true);
      expect(hops[1]?.ageMs).toBeGreaterThanOrEqual(0);
    },
  );

  test('without --mysql it is a usage error', async () => {
    const r = await runLivewall(['health', '--trace', '--order-stream', 'x'], {
      cwd: temp.path,
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.output).toContain('--trace needs --mysql');
  });
});
