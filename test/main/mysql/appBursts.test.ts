/**
 * The app's bursts into the configured MySQL, as the panel and the menu fire them: through the
 * screen source (the same one the IPC handlers and the web server use), with the password from
 * the environment or from the OS keychain, progress pushed while it runs, exact counts after.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import type { BurstProgress } from '../../../src/shared/contracts';
import { DEFAULT_CONFIG, type LivewallConfig } from '../../../src/main/app/config';
import { MySqlBurstError } from '../../../src/main/mysql/mysqlBurster';
import { createFeed } from '../../../src/main/app/sources';
import { Keychain } from '../../../src/main/shell/keychain';
import { safeStorage } from '../../support/electronFake';
import { useMariaDB } from '../../support/lifecycle';
import { createDatabase } from '../../support/mariadb';
import { ORDER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';

const db = useMariaDB({ binlog: false });

async function shop(name: string): Promise<{ count: () => Promise<number>; url: string }> {
  const rootUrl = await createDatabase(db().url, name);
  const admin = await createConnection(rootUrl);
  onTestFinished(() => admin.end());
  await admin.query(ORDER_TABLE_DDL);
  await admin.query(`CREATE USER IF NOT EXISTS 'shop'@'127.0.0.1' IDENTIFIED BY 'pw-of-shop'`);
  await admin.query(`GRANT ALL ON \`${name}\`.* TO 'shop'@'127.0.0.1'`);
  const count = async (): Promise<number> => {
    const [rows] = await admin.query<RowDataPacket[]>('SELECT COUNT(*) n FROM `order`');
    return Number(rows[0]?.n);
  };
  return { count, url: `mysql://shop@127.0.0.1:${db().port}/${name}` };
}

function source(config: Partial<LivewallConfig>, keychain?: Keychain) {
  const running = createFeed(
    { ...DEFAULT_CONFIG, demoRate: 0, ...config },
    keychain ? { passwords: () => [keychain.source()] } : {},
  );
  if (!running.ok) throw new Error(running.error);
  running.value.start();
  onTestFinished(() => running.value.stop());
  return running.value.feed;
}

describe('app bursts into MySQL', () => {
  test('with the password in the environment: progress while it runs, exact counts after', async () => {
    const { count, url } = await shop('app_env');
    vi.stubEnv('LIVEWALL_MYSQL_PASSWORD', 'pw-of-shop');
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const s = source({ mysql: { url, lifecycle: true } });
    expect(s.burstTargets()).toEqual([
      { id: 'embedded', label: 'Embedded demo' },
      { id: 'mysql', label: `MySQL shop@127.0.0.1:${db().port}/app_env` },
    ]);
    const progress: BurstProgress[] = [];
    s.on('burst.progress', (p) => progress.push(p));
    const summary = await s.burst({ orders: 40, target: 'mysql' });
    expect(summary.inserted).toBe(40);
    expect(summary.failed).toBe(0);
    expect(summary.updated).toBeGreaterThan(40); // the lifecycle walked them through their statuses
    expect(await count()).toBe(40);
    expect(progress[0]).toMatchObject({ target: 'mysql', requested: 40, inserted: 0 });
    expect(progress.at(-1)).toEqual({
      burstId: 1,
      target: 'mysql',
      requested: 40,
      ...summary,
      pendingSteps: 0,
    });
  });

  test('a wrong password is one sentence, and the password from the keychain then works', async () => {
    const { count, url } = await shop('app_keychain');
    vi.stubEnv('LIVEWALL_MYSQL_PASSWORD', '');
    vi.stubEnv('MYSQL_PWD', '');
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const keychain = new Keychain(
      safeStorage,
      join(mkdtempSync(join(tmpdir(), 'lwkey-')), 'k.json'),
    );
    const s = source({ mysql: { url, lifecycle: false } }, keychain);
    const refused = s.burst({ orders: 5, target: 'mysql' });
    await expect(refused).rejects.toBeInstanceOf(MySqlBurstError);
    await expect(refused).rejects.toThrow(
      /^MySQL refused shop@127\.0\.0\.1:\d+\/app_keychain \(access denied\)/,
    );
    await expect(refused).rejects.not.toThrow(/pw-of-shop/);
    const target = { user: 'shop', host: '127.0.0.1', port: db().port };
    expect((await keychain.save(target, 'pw-of-shop')).saved).toBe(true);
    expect(await s.burst({ orders: 5, target: 'mysql' })).toEqual({
      inserted: 5,
      updated: 0,
      failed: 0,
    });
    expect(await count()).toBe(5);
  });
});
