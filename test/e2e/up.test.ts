/**
 * `livewall up` as a new user runs it (on a machine with MariaDB and PostgreSQL): the whole
 * pipeline with real parts from one command, the warehouse filled by `livewall load`, with
 * `health --json` passing against it; SIGINT stops every part (no process or port left), and a
 * second run resumes the first's database, streams and positions.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { describe, expect, onTestFinished, test } from 'vitest';
import { postgresHome } from '../../src/main/cli/up/localPostgres';
import { cliEnv, runLivewall, spawnLivewall } from '../support/livewall';
import { freePort } from '../support/ports';
import { makeTempDir, waitFor, type ManagedProcess } from '../support/processes';

interface Check {
  stage: string;
  ok: boolean;
  detail: string;
}

const env = cliEnv();

async function startUp(cwd: string, ports: number[]): Promise<ManagedProcess> {
  const [web, kinesis, mysql, warehouse] = ports.map(String) as [string, string, string, string];
  const p = spawnLivewall(
    [
      'up',
      '--port',
      web,
      '--kinesis-port',
      kinesis,
      '--mysql-port',
      mysql,
      '--warehouse-port',
      warehouse,
      '--rate',
      '5',
    ],
    { cwd, env },
  );
  onTestFinished(() => p.stop(60_000));
  await waitFor('up to print the URL', () => p.output().includes(`open http://127.0.0.1:${web}`), {
    timeoutMs: 120_000,
    process: p,
  });
  return p;
}

async function healthPasses(cwd: string): Promise<Check[]> {
  let last: { code: number | null; output: string } = { code: null, output: '' };
  let checks: Check[] = [];
  await waitFor(
    'health --json to pass against up',
    async () => {
      last = await runLivewall(
        ['health', '--json', '--config', join(cwd, '.livewall/up/livewall.config.json')],
        { cwd, env },
      );
      const line = last.output.split('\n').find((l) => l.startsWith('['));
      checks = line ? (JSON.parse(line) as Check[]) : [];
      return last.code === 0;
    },
    { timeoutMs: 90_000, intervalMs: 1_000 },
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\nlast run:\n${last.output}`, { cause: err });
  });
  return checks;
}

async function orderCount(port: number): Promise<number> {
  const conn = await createConnection({ host: '127.0.0.1', port, user: 'root', database: 'demo' });
  try {
    const [rows] = await conn.query('SELECT COUNT(*) AS n FROM `order`');
    return Number((rows as { n: number }[])[0]?.n ?? 0);
  } finally {
    await conn.end();
  }
}

const portFree = async (port: number): Promise<boolean> => {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
};

describe('livewall up', () => {
  test('one command runs the pipeline; health passes; Ctrl-C stops all; a second run resumes', async () => {
    const dir = await makeTempDir('lwup-');
    // As root the warehouse's files live outside the state folder (localPostgres.ts).
    onTestFinished(() =>
      rmSync(postgresHome(join(dir.path, '.livewall/up/postgres')), {
        recursive: true,
        force: true,
      }),
    );
    const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
    const [webPort, , mysqlPort] = ports as [number, number, number];

    const first = await startUp(dir.path, ports);
    const checks = await healthPasses(dir.path);
    expect(checks.map((c) => c.stage)).toEqual([
      'mysql',
      'cdc',
      'order_ds',
      'engine',
      'metric_ds',
      'dwd',
      'firehose', // the dwd → warehouse hop, here moved by livewall load
      'warehouse',
      'customers',
    ]);
    expect(checks.find((c) => c.stage === 'mysql')?.detail).toContain(
      'the grants cdc needs are in place for maxwell@',
    );
    await waitFor(
      'the screen to count orders',
      async () => {
        const snapshot = (await (
          await fetch(`http://127.0.0.1:${webPort}/api/snapshot`)
        ).json()) as { metrics: { name: string; value: number }[] };
        return snapshot.metrics.some((m) => m.name === 'orders' && m.value > 0);
      },
      { timeoutMs: 60_000, intervalMs: 500, process: first },
    );
    const before = await orderCount(mysqlPort);
    expect(before).toBeGreaterThan(0);

    first.child.kill('SIGINT'); // what Ctrl-C sends
    const exit = await first.exited;
    expect(exit.code, first.output()).toBe(0);
    expect(first.output()).toContain('livewall up: stopped');
    expect(first.output()).not.toMatch(/stopped by itself/);
    for (const port of ports) expect(await portFree(port), `port ${port} is free`).toBe(true);
    const config = readFileSync(join(dir.path, '.livewall/up/livewall.config.json'), 'utf8');
    expect(config).not.toMatch(/password|secret/i);

    const second = await startUp(dir.path, ports);
    expect(second.output()).toContain('resumed the earlier run');
    expect(second.output()).not.toContain('creating the private MariaDB');
    expect(second.output()).not.toContain('creating the private PostgreSQL');
    expect(second.output()).toContain('order_ds already exists');
    // The first run's orders are still there, and new ones arrive on top of them.
    await waitFor('new orders', async () => (await orderCount(mysqlPort)) > before, {
      timeoutMs: 30_000,
      process: second,
    });
    await healthPasses(dir.path);
  });
});
