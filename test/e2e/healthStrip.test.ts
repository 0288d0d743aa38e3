/**
 * The pipeline strip in a real browser: `livewall web --source kinesis` with the pipeline flags
 * over MariaDB → `livewall cdc` → order_ds → `livewall engine` → metric_ds + dwd shows one chip
 * per stage, all passing, without a click; when cdc stops while orders arrive, the cdc chip
 * turns red, and a click opens the detail with the remedy.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStream, kinesisClient } from '../support/kinesalite';
import { useChromium, useKinesalite, useMariaDB } from '../support/lifecycle';
import { cdcArgs, cliEnv, engineFlags, spawnLivewall, streamFlags } from '../support/livewall';
import { createDatabase } from '../support/mariadb';
import { freePort } from '../support/ports';
import { makeTempDir, waitFor, type ManagedProcess, type TempDir } from '../support/processes';
import { ORDER_TABLE_DDL } from '../../src/main/mysql/orderSchema';

const db = useMariaDB();
const kinesalite = useKinesalite();
const browser = useChromium();
const NAME = 'strip';
const ARTIFACTS = join(__dirname, '..', 'artifacts');
let temp: TempDir;
let conn: Connection;
const procs: ManagedProcess[] = [];

const env = (): NodeJS.ProcessEnv => cliEnv();
const mysqlUrl = (): string => `mysql://root@127.0.0.1:${db().port}/${NAME}`;
function livewall(args: string[]): ManagedProcess {
  const p = spawnLivewall(args, { cwd: temp.path, env: env() });
  procs.push(p);
  return p;
}

beforeAll(async () => {
  temp = await makeTempDir('livewall-strip-');
  const url = await createDatabase(db().url, NAME);
  conn = await createConnection({ uri: url, charset: 'utf8mb4' });
  await conn.query(ORDER_TABLE_DDL);
  const client = kinesisClient(kinesalite().endpoint);
  for (const s of ['order_ds', 'metric_ds', 'dwd_ds'])
    await createStream(client, `${NAME}_${s}`, 1);
}, 90_000);
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await conn?.end();
  await temp?.remove();
});

async function orders(n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await conn.query(
      "INSERT INTO `order` (user_mail, status, good_count, city, amount, create_time, update_time) VALUES ('pony@qq.com', 'paid', 1, '西安', 9.5, NOW(), NOW())",
    );
}

describe('the pipeline strip', () => {
  test(
    'all chips pass without a click; the cdc chip turns red when cdc stops',
    { timeout: 180_000 },
    async () => {
      const endpoint = kinesalite().endpoint;
      const cdc = livewall(
        cdcArgs({
          mysql: mysqlUrl(),
          stream: `${NAME}_order_ds`,
          endpoint,
          positionFile: join(temp.path, 'cdc.pos.json'),
        }),
      );
      await waitFor('cdc to start reading', () => /reading .* from /.test(cdc.output()), {
        timeoutMs: 20_000,
        process: cdc,
      });
      livewall([
        'engine',
        ...engineFlags({
          database: NAME,
          source: `${NAME}_order_ds`,
          metrics: `${NAME}_metric_ds`,
          dwd: `${NAME}_dwd_ds`,
          endpoint,
          stateDir: join(temp.path, 'engine'),
        }),
      ]);
      const port = await freePort();
      const web = livewall([
        'web',
        '--source',
        'kinesis',
        '--stream',
        `${NAME}_metric_ds`,
        '--from',
        'trim',
        '--port',
        String(port),
        '--endpoint',
        endpoint,
        '--mysql',
        mysqlUrl(),
        ...streamFlags(NAME),
        '--max-lag',
        '2',
      ]);
      await waitFor('web to serve', () => /serving http/.test(web.output()), {
        timeoutMs: 20_000,
        process: web,
      });
      await orders(3);

      const page = await browser().newPage({ viewport: { width: 1920, height: 1080 } });
      try {
        await page.goto(`http://127.0.0.1:${port}`);
        const chips = page.getByTestId('pipeline-chip');
        await expect
          .poll(
            async () => {
              const oks = await chips.evaluateAll((els) =>
                els.map((e) => e.getAttribute('data-ok')),
              );
              return oks.length >= 4 && oks.every((ok) => ok === 'true');
            },
            { timeout: 60_000, interval: 500 },
          )
          .toBe(true);
        const stages = await chips.evaluateAll((els) =>
          els.map((e) => e.getAttribute('data-stage')),
        );
        expect(stages).toEqual(['mysql', 'cdc', 'order_ds', 'engine', 'metric_ds', 'dwd']);
        // The health panel stays closed: the strip needs no click.
        expect(await page.getByTestId('health-panel').count()).toBe(0);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'pipeline-strip-1920x1080.png') });

        await cdc.stop();
        await orders(10);
        const cdcChip = page.locator('[data-testid="pipeline-chip"][data-stage="cdc"]');
        await expect
          .poll(() => cdcChip.getAttribute('data-ok'), { timeout: 60_000, interval: 500 })
          .toBe('false');
        await cdcChip.click();
        const row = page.getByTestId('health-check').filter({ hasText: 'cdc (Maxwell)' });
        await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
        expect(await row.textContent()).toContain('start `livewall cdc`');
        await page.screenshot({ path: join(ARTIFACTS, 'pipeline-strip-cdc-stopped.png') });
      } finally {
        await page.close();
      }
    },
  );
});
