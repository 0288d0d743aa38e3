/**
 * `bin/livewall cdc` and `bin/livewall simulate` as a user runs them: SIGKILLed mid-stream and
 * started again, cdc leaves no gap; passwords come from the environment and never show.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseStoredPosition } from '../../../src/main/cdc/position';
import { createMySqlConnector } from '../../../src/main/mysql/connect';
import { checkOrderTable } from '../../../src/main/mysql/orderSchema';
import { MySqlOrderSink } from '../../../src/main/mysql/orderSink';
import { runSimulation } from '../../../src/main/mysql/simulation';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite, useMariaDB } from '../../support/lifecycle';
import { createDatabase } from '../../support/mariadb';
import { makeTempDir, waitFor, type ManagedProcess, type TempDir } from '../../support/processes';
import { WORKSHOP_MAILS } from '../../../src/main/simulator/demoData';
import { cliEnv, spawnLivewall } from '../../support/livewall';
import { logEnd, orderRows, rowEvents, targetOf } from '../mysql/support';
import { atOrPast, distinctChanges, foldEvents, readStream } from './support';

const db = useMariaDB();
const kinesalite = useKinesalite();
let client: KinesisClient;
let temp: TempDir;

beforeAll(async () => {
  client = kinesisClient(kinesalite().endpoint);
  temp = await makeTempDir('livewall-cdc-cli-');
});
afterAll(async () => {
  await temp?.remove();
});

/** bin/livewall with fake AWS credentials for kinesalite and no inherited MySQL password. */
function livewall(name: string, args: string[], env: NodeJS.ProcessEnv = {}): ManagedProcess {
  return spawnLivewall(args, { name, cwd: temp.path, env: cliEnv(env) });
}

async function storedPosition(file: string): Promise<string | null> {
  try {
    const p = parseStoredPosition(await readFile(file, 'utf8'));
    return p.ok ? `${p.value.file}:${p.value.position}` : null;
  } catch {
    return null;
  }
}

describe('bin/livewall cdc', () => {
  test('SIGKILLed mid-stream and started again, it leaves no gap', async () => {
    const name = 'cli_kill';
    const url = await createDatabase(db().url, name);
    const conn: Connection = await createConnection(url);
    expect(await checkOrderTable(conn, name, true)).toBeNull();
    await createStream(client, 'kill_ds', 1);
    const from = await logEnd(conn);
    const positionFile = join(temp.path, 'kill.json');
    const cdcArgs = [
      'cdc',
      '--mysql',
      `mysql://root@127.0.0.1:${db().port}/${name}`,
      '--stream',
      'kill_ds',
      '--position-file',
      positionFile,
      '--endpoint',
      kinesalite().endpoint,
    ];
    let cdc = livewall('livewall cdc', cdcArgs);
    await waitFor('cdc to start reading', () => /reading .* from /.test(cdc.output()), {
      timeoutMs: 20_000,
      process: cdc,
    });
    expect(await storedPosition(positionFile)).toBe(`${from.file}:${from.position}`);

    const connector = await createMySqlConnector(targetOf(db().port, name), { passwords: [] });
    const sink = new MySqlOrderSink({ connect: connector.connect });
    let inserted = 0;
    const simulation = runSimulation({
      sink,
      orders: 1_500,
      rate: 600,
      lifecycle: true,
      stepDelayMs: [0, 200],
      seed: 3,
      onProgress: (p) => {
        inserted = p.inserted;
      },
    });
    // Kill halfway: many records on the stream and acknowledged, as many still to come.
    await waitFor(
      'half the orders, and cdc storing positions',
      async () =>
        inserted >= 700 && (await storedPosition(positionFile)) !== `${from.file}:${from.position}`,
      { timeoutMs: 20_000, intervalMs: 10, process: cdc },
    );
    cdc.child.kill('SIGKILL');
    expect((await cdc.exited).signal).toBe('SIGKILL');
    const killedAt = await storedPosition(positionFile);
    const beforeRestart = (await readStream(client, 'kill_ds')).length;

    cdc = livewall('livewall cdc (again)', cdcArgs);
    await waitFor('cdc to resume', () => /reading .* from /.test(cdc.output()), {
      timeoutMs: 20_000,
      process: cdc,
    });
    expect(cdc.output()).toContain(`from ${killedAt}`);
    const summary = await simulation;
    await sink.close();
    expect(summary.failed).toBe(0);
    const end = await logEnd(conn);
    await waitFor(
      'cdc to catch up',
      async () => atOrPast(await storedPosition(positionFile), end),
      { timeoutMs: 30_000, intervalMs: 20, process: cdc },
    );
    await cdc.stop(10_000);
    expect(cdc.exitInfo()).toMatchObject({ code: 0 });
    expect(cdc.output()).toMatch(/stopped at mysql-bin\.\d+:\d+ after \d+ records/);

    const records = await readStream(client, 'kill_ds');
    const events = await rowEvents(conn, name, 'order', from);
    expect(events.insert).toBe(1_500);
    expect(beforeRestart).toBeGreaterThan(0);
    expect(beforeRestart).toBeLessThan(events.insert + events.update);
    // Every row change is on the stream; repeats are only of the tail that was not yet stored.
    expect(distinctChanges(records).size).toBe(events.insert + events.update);
    // Repeats are only of what was put after the position stored at the kill.
    const [file = '', position = '0'] = (killedAt ?? '').split(':');
    const stored = await rowEvents(conn, name, 'order', from, { file, position: Number(position) });
    const repeats = records.length - distinctChanges(records).size;
    expect(repeats).toBeLessThanOrEqual(beforeRestart - (stored.insert + stored.update));
    expect(foldEvents(records, false)).toEqual(await orderRows(url));
    await conn.end();
  });

  test('never prints a password, and says what is wrong in one sentence', async () => {
    const proc = livewall('livewall cdc (bad url)', [
      'cdc',
      '--mysql',
      'mysql://root:hunter2@127.0.0.1:1/demo',
      '--endpoint',
      kinesalite().endpoint,
    ]);
    expect((await proc.exited).code).toBe(1);
    expect(proc.output()).not.toContain('hunter2');
    expect(proc.output()).toContain('mysql://root:***@127.0.0.1:1/demo');
    expect(proc.output()).toContain(
      'Cannot reach MySQL at 127.0.0.1:1 (connection refused): is the server running and is the port right?',
    );
  });
});

describe('bin/livewall simulate', () => {
  let admin: Connection;
  beforeAll(async () => {
    admin = await createConnection(db().url);
    await createDatabase(db().url, 'cli_shop');
    await admin.query("CREATE USER 'shop'@'127.0.0.1' IDENTIFIED BY 's3cret-pw'");
    await admin.query("GRANT ALL PRIVILEGES ON cli_shop.* TO 'shop'@'127.0.0.1'");
  });
  afterAll(async () => {
    await admin?.end();
  });
  const url = (): string => `mysql://shop@127.0.0.1:${db().port}/cli_shop`;

  test('prints one summary line that matches the table, password from the environment', async () => {
    const proc = livewall(
      'livewall simulate',
      [
        'simulate',
        '--mysql',
        url(),
        '--orders',
        '120',
        '--lifecycle',
        '--create-table',
        '--step-delay-ms',
        '0-20',
      ],
      { LIVEWALL_MYSQL_PASSWORD: 's3cret-pw' },
    );
    let out = '';
    proc.child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    expect(await proc.exited).toMatchObject({ code: 0 });
    const stdout = out.trim().split('\n');
    expect(stdout).toHaveLength(1);
    const summary = JSON.parse(stdout[0] ?? '') as Record<string, number>;
    expect(Object.keys(summary)).toEqual(['inserted', 'updated', 'failed']);
    expect(summary).toMatchObject({ inserted: 120, failed: 0 });
    expect(summary.updated).toBeGreaterThan(120);
    const rows = await orderRows(`${db().url}cli_shop`);
    expect(rows.size).toBe(120);
    expect(proc.output()).not.toContain('s3cret-pw');
  });

  // Issue 21: orders come from the demo's customer population by default; the workshop's four
  // addresses on request.
  test('places orders from the demo population, or with --workshop-mails from the four addresses', async () => {
    const mails = async (where: string): Promise<string[]> => {
      const [rows] = await admin.query<RowDataPacket[]>(
        `SELECT DISTINCT user_mail FROM cli_shop.\`order\` WHERE ${where}`,
      );
      return rows.map((r) => String(r.user_mail)).sort();
    };
    expect((await mails('order_id <= 120')).length).toBeGreaterThan(60);
    const proc = livewall(
      'livewall simulate (workshop mails)',
      ['simulate', '--mysql', url(), '--orders', '40', '--workshop-mails'],
      { LIVEWALL_MYSQL_PASSWORD: 's3cret-pw' },
    );
    expect(await proc.exited).toMatchObject({ code: 0 });
    expect(await mails('order_id > 120')).toEqual([...WORKSHOP_MAILS].sort());
  });

  test('a wrong password exits 1 with the sentence, not the password', async () => {
    const proc = livewall('livewall simulate (denied)', ['simulate', '--mysql', url()], {
      MYSQL_PWD: 'wrong-pw',
    });
    expect((await proc.exited).code).toBe(1);
    expect(proc.output()).toContain('MySQL refused shop@127.0.0.1');
    expect(proc.output()).toContain('set the password in LIVEWALL_MYSQL_PASSWORD or MYSQL_PWD');
    expect(proc.output()).not.toContain('wrong-pw');
  });

  test('bad usage exits 2', async () => {
    const proc = livewall('livewall simulate (usage)', [
      'simulate',
      '--mysql',
      url(),
      '--orders',
      '1.5',
    ]);
    expect((await proc.exited).code).toBe(2);
    expect(proc.output()).toContain('--orders must be an integer');
  });
});
