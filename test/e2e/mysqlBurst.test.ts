/**
 * The burst panel aimed at the configured MySQL, as a person uses it in a browser: pick the
 * target, fire 100 orders, watch the progress, read the exact result; the table holds them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { describe, expect, onTestFinished, test } from 'vitest';
import { useChromium, useMariaDB } from '../support/lifecycle';
import { createDatabase } from '../support/mariadb';
import { freePort } from '../support/ports';
import { spawnLivewall } from '../support/livewall';
import { waitFor } from '../support/processes';
import { ORDER_TABLE_DDL } from '../../src/main/mysql/orderSchema';

const db = useMariaDB({ binlog: false });
const browser = useChromium();

describe('the burst panel with MySQL configured', () => {
  test('sends 100 orders into the order table and shows the exact result', async () => {
    const url = await createDatabase(db().url, 'panel');
    const admin = await createConnection(url);
    onTestFinished(() => admin.end());
    await admin.query(ORDER_TABLE_DDL);
    await admin.query(`CREATE USER 'shop'@'127.0.0.1' IDENTIFIED BY 'panel-pw'`);
    await admin.query("GRANT ALL ON `panel`.* TO 'shop'@'127.0.0.1'");
    const dir = mkdtempSync(join(tmpdir(), 'lwpanel-'));
    writeFileSync(
      join(dir, 'livewall.config.json'),
      JSON.stringify({
        demoRate: 0,
        mysql: { url: `mysql://shop@127.0.0.1:${db().port}/panel`, lifecycle: true },
      }),
    );
    const port = await freePort();
    const web = spawnLivewall(['web', '--port', String(port)], {
      cwd: dir,
      env: { ...process.env, LIVEWALL_MYSQL_PASSWORD: 'panel-pw' },
    });
    onTestFinished(() => web.stop());
    await waitFor('the server', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, {
      timeoutMs: 20_000,
      process: web,
    });

    const page = await browser().newPage({ viewport: { width: 1920, height: 1080 } });
    onTestFinished(() => page.close());
    await page.goto(`http://127.0.0.1:${port}`);
    const select = page.getByTestId('burst-target');
    await expect
      .poll(() => select.locator('option').allTextContents())
      .toEqual(['Embedded demo', `MySQL shop@127.0.0.1:${db().port}/panel`]);
    await select.selectOption('mysql');
    // A browser never offers the password field: the keychain is the app's.
    expect(await page.getByTestId('mysql-password').count()).toBe(0);
    await page.getByTestId('burst-100').click();
    await expect
      .poll(() => page.getByTestId('burst-progress').textContent(), { timeout: 10_000 })
      .toMatch(/inserted [\d,]+ of 100/);
    await expect
      .poll(() => page.getByTestId('burst-result').textContent(), { timeout: 60_000 })
      .toMatch(/^inserted 100, updated \d+, failed 0$/);
    const [rows] = await admin.query<RowDataPacket[]>(
      "SELECT COUNT(*) n, SUM(status <> 'unpaid') moved FROM `order`",
    );
    expect(Number(rows[0]?.n)).toBe(100);
    const updated = Number(
      /updated (\d+)/.exec((await page.getByTestId('burst-result').textContent()) ?? '')?.[1],
    );
    expect(updated).toBeGreaterThan(0);
    expect(Number(rows[0]?.moved)).toBeGreaterThan(0);
    expect(web.output()).not.toContain('panel-pw');
  });
});
