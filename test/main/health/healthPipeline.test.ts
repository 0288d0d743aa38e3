/**
 * Issue 12 against the real pipeline: a private MariaDB with binlog → `livewall cdc` → order_ds
 * → `livewall engine` → metric_ds + dwd on kinesalite, judged by `livewall health --json` with
 * the pipeline flags and a 2 s allowed lag. Each broken state is produced for real (cdc stopped
 * while orders arrive, the engine stopped, the binlog purged under a stopped cdc) and the failing
 * sentence must name the stage and the remedy; with everything back, every stage passes.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite, useMariaDB } from '../../support/lifecycle';
import {
  cdcArgs,
  cliEnv,
  engineFlags,
  runLivewall,
  spawnLivewall,
  streamFlags,
} from '../../support/livewall';
import { createDatabase } from '../../support/mariadb';
import { makeTempDir, waitFor, type ManagedProcess, type TempDir } from '../../support/processes';
import { CUSTOMER_TABLE_DDL, ORDER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';

interface Check {
  stage: string;
  ok: boolean;
  detail: string;
  ageMs?: number;
}

const db = useMariaDB();
const kinesalite = useKinesalite();
let temp: TempDir;
let conn: Connection;
let cdc: ManagedProcess | null = null;
let engine: ManagedProcess | null = null;
const NAME = 'pipe';
const env = (): NodeJS.ProcessEnv => cliEnv();
const mysqlUrl = (): string => `mysql://root@127.0.0.1:${db().port}/${NAME}`;
const cdcArgsOf = (first: boolean): string[] => {
  const args = cdcArgs({
    mysql: mysqlUrl(),
    stream: `${NAME}_order_ds`,
    endpoint: kinesalite().endpoint,
    positionFile: join(temp.path, 'cdc.pos.json'),
  });
  // Later starts resume from the stored position.
  return first ? args : args.filter((a) => a !== '--from-current');
};
const engineArgs = (): string[] => [
  'engine',
  ...engineFlags({
    database: NAME,
    source: `${NAME}_order_ds`,
    metrics: `${NAME}_metric_ds`,
    dwd: `${NAME}_dwd_ds`,
    customers: mysqlUrl(),
    endpoint: kinesalite().endpoint,
    stateDir: join(temp.path, 'engine'),
    timeZone: 'UTC',
  }),
];
export const healthFlags = (): string[] => [
  '--mysql',
  mysqlUrl(),
  '--customers',
  mysqlUrl(),
  ...streamFlags(NAME),
  '--max-lag',
  '2',
  '--endpoint',
  kinesalite().endpoint,
];

async function startCdc(first = false): Promise<void> {
  cdc = spawnLivewall(cdcArgsOf(first), { name: 'livewall cdc', cwd: temp.path, env: env() });
  const p = cdc;
  await waitFor('cdc to start reading', () => /reading .* from /.test(p.output()), {
    timeoutMs: 20_000,
    process: p,
  });
}
/** Starts the engine and waits until it reads (it has named itself on its streams by then). */
async function startEngine(): Promise<void> {
  engine = spawnLivewall(engineArgs(), { name: 'livewall engine', cwd: temp.path, env: env() });
  const p = engine;
  await waitFor('the engine to start reading', () => /reading .* metrics to /.test(p.output()), {
    timeoutMs: 20_000,
    process: p,
  });
}
async function orders(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await conn.query(
      "INSERT INTO `order` (user_mail, status, good_count, city, amount, create_time, update_time) VALUES ('pony@qq.com', 'paid', 1, '西安', 9.5, NOW(), NOW())",
    );
  }
}

let last: { code: number | null; checks: Check[]; output: string } | null = null;
/** Runs `livewall health --json` until `want` holds, with a deadline; returns that run. */
async function healthUntil(
  what: string,
  want: (code: number | null, checks: Check[]) => boolean,
  timeoutMs = 60_000,
  extra: string[] = [],
): Promise<Check[]> {
  let found: Check[] | null = null;
  await waitFor(
    what,
    async () => {
      const r = await runLivewall(['health', '--json', ...healthFlags(), ...extra], {
        cwd: temp.path,
        env: env(),
      });
      const line = r.output.split('\n').find((l) => l.startsWith('['));
      last = { code: r.code, checks: line ? (JSON.parse(line) as Check[]) : [], output: r.output };
      if (want(r.code, last.checks)) found = last.checks;
      return found !== null;
    },
    { timeoutMs, intervalMs: 200 },
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\nlast run: ${JSON.stringify(last, null, 1)}`, {
      cause: err,
    });
  });
  return found as unknown as Check[];
}
const stage = (checks: Check[], name: string): Check => {
  const c = checks.find((x) => x.stage === name);
  if (!c) throw new Error(`no ${name} check in ${JSON.stringify(checks)}`);
  return c;
};

beforeAll(async () => {
  temp = await makeTempDir('livewall-health-pipe-');
  const url = await createDatabase(db().url, NAME);
  conn = await createConnection({ uri: url, dateStrings: true, charset: 'utf8mb4' });
  await conn.query(ORDER_TABLE_DDL);
  await conn.query(CUSTOMER_TABLE_DDL);
  await conn.query("INSERT INTO customer VALUES ('pony@qq.com',5,'M')");
  const client = kinesisClient(kinesalite().endpoint);
  for (const s of ['order_ds', 'metric_ds', 'dwd_ds'])
    await createStream(client, `${NAME}_${s}`, 2);
  await startCdc(true);
  await startEngine();
}, 90_000);
afterAll(async () => {
  await cdc?.stop();
  await engine?.stop();
  await conn?.end();
  await temp?.remove();
});

describe('livewall health over cdc and the engine', () => {
  test(
    'a flowing pipeline passes every stage, in pipeline order, with ages',
    { timeout: 90_000 },
    async () => {
      await orders(5);
      const checks = await healthUntil('every stage to pass', (code) => code === 0);
      expect(checks.map((c) => c.stage)).toEqual([
        'embedded pipeline', // the screen's own source: no config, so the embedded default
        'mysql',
        'cdc',
        'order_ds',
        'engine',
        'metric_ds',
        'dwd',
        'customers',
      ]);
      for (const s of ['mysql', 'order_ds', 'metric_ds', 'dwd'])
        expect(stage(checks, s).ageMs, s).toBeGreaterThanOrEqual(0);
      // The engine named itself on the metric stream when it started (stream tags).
      expect(stage(checks, 'engine').detail).toMatch(
        /^pipe_metric_ds is written by livewall engine: Node \d+\.\d+\.\d+ on \S+, started \d+ (s|min) ago; /,
      );
    },
  );

  test(
    'cdc stopped while orders arrive: cdc fails, named, with the remedy',
    { timeout: 90_000 },
    async () => {
      await cdc?.stop();
      await orders(10);
      const checks = await healthUntil(
        'cdc to fail',
        (code, c) => code === 1 && c.some((x) => x.stage === 'cdc' && !x.ok),
      );
      const c = stage(checks, 'cdc');
      expect(c.detail).toMatch(
        /^cdc \(Maxwell\) has shipped nothing to pipe_order_ds (for|within) .* while MySQL pipe\.order took 10 changes/,
      );
      expect(c.detail).toContain('no client reads the binlog now');
      expect(c.detail).toContain('start `livewall cdc`');
      expect(stage(checks, 'engine').ok).toBe(true);
      expect(stage(checks, 'mysql').ok).toBe(true);
      // With a minute allowed, nobody reading the binlog still turns cdc red within ~10 s.
      const slow = await healthUntil(
        'cdc to fail with --max-lag 600 and no binlog reader',
        (code, c) => code === 1 && c.some((x) => x.stage === 'cdc' && !x.ok),
        30_000,
        ['--max-lag', '600'],
      );
      expect(stage(slow, 'cdc').detail).toMatch(/10 s allowed\); no client reads the binlog now:/);
    },
  );

  test(
    'cdc back, the engine stopped: the engine fails and cdc passes',
    { timeout: 90_000 },
    async () => {
      await startCdc();
      await engine?.stop();
      await orders(5);
      const checks = await healthUntil(
        'the engine to fail with cdc passing',
        (code, c) =>
          code === 1 &&
          c.some((x) => x.stage === 'engine' && !x.ok) &&
          c.some((x) => x.stage === 'cdc' && x.ok),
      );
      const e = stage(checks, 'engine');
      expect(e.detail).toMatch(
        /the engine has written nothing to pipe_(metric|dwd)_ds .* while pipe_order_ds took \d+ changes/,
      );
      expect(e.detail).toContain('start `livewall engine`');
      expect(checks.filter((x) => !x.ok).map((x) => x.stage)).toEqual(['engine']);
    },
  );

  test('everything back: every stage passes again', { timeout: 90_000 }, async () => {
    await startEngine();
    await healthUntil('every stage to pass', (code) => code === 0);
  });

  test(
    'the binlog purged under a stopped cdc: cdc fails with the purge remedy',
    { timeout: 90_000 },
    async () => {
      await cdc?.stop();
      await orders(3);
      await conn.query('FLUSH BINARY LOGS');
      const [rows] = (await conn.query('SHOW MASTER STATUS')) as unknown as [{ File: string }[]];
      const current = rows[0]?.File ?? '';
      // The server keeps a file while a dump thread still reads it: purge until it is gone.
      await waitFor(
        'the older binlogs to be purged',
        async () => {
          await conn.query(`PURGE BINARY LOGS TO '${current}'`);
          const [logs] = (await conn.query('SHOW BINARY LOGS')) as unknown as [
            { Log_name: string }[],
          ];
          return logs.every((l) => l.Log_name >= current);
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      cdc = spawnLivewall(cdcArgsOf(false), { name: 'livewall cdc', cwd: temp.path, env: env() });
      const p = cdc;
      await waitFor('cdc to refuse the purged position', () => p.exitInfo() !== undefined, {
        timeoutMs: 30_000,
      });
      expect(p.output()).toMatch(/is gone from the server .*Could not find first log file name/);
      const checks = await healthUntil(
        'cdc to fail',
        (code, c) => code === 1 && c.some((x) => x.stage === 'cdc' && !x.ok),
      );
      const c = stage(checks, 'cdc');
      expect(c.detail).toMatch(/^cdc \(Maxwell\) has shipped nothing .* took 3 changes/);
      expect(c.detail).toContain(
        "if it says 'Could not find first log file name', its position was purged: start from the current position",
      );
    },
  );
});
