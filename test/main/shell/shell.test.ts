import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../src/shared/ipc';
import type { MetricBatch } from '../../../src/shared/api';
import type { Snapshot } from '../../../src/shared/contracts';
import { isAllowedNavigation, windowOptions } from '../../../src/main/shell/window';
import * as fake from '../../support/electronFake';

vi.mock('electron', () => import('../../support/electronFake'));

beforeAll(async () => {
  // No background orders, so every count below is the test's own.
  const dir = mkdtempSync(join(tmpdir(), 'lwshell-'));
  writeFileSync(
    join(dir, 'livewall.config.json'),
    JSON.stringify({ demoRate: 0, kiosk: true, mysql: { url: 'mysql://shop@127.0.0.1:1/demo' } }),
  );
  userData = dir;
  vi.stubEnv('LIVEWALL_CONFIG', join(dir, 'livewall.config.json'));
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
  fake.app.userData = dir;
  await import('../../../src/main/index');
  fake.app.fireReady();
  // whenReady's continuation runs on a later turn.
  await fake.app.whenReady();
  await new Promise((resolve) => setImmediate(resolve));
});

afterAll(() => {
  fake.app.emit('window-all-closed');
  vi.unstubAllEnvs();
});

let userData = '';
const win = (): fake.BrowserWindow => fake.BrowserWindow.instances[0] as fake.BrowserWindow;

const ordersToday = (s: Snapshot): number => {
  const totals = s.metrics.filter(
    (m) => m.name === 'orders' && m.window === '1d' && Object.keys(m.dims).length === 0,
  );
  return totals.sort((a, b) => b.start - a.start)[0]?.value ?? 0;
};

describe('Electron shell', () => {
  test('the window is isolated, sandboxed, without Node, and opens nothing else', () => {
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    const w = win();
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(w.options.webPreferences?.preload).toMatch(/preload[/\\]index\.js$/);
    expect(w.options).toMatchObject({ show: false, fullscreen: true, kiosk: true });
    expect(w.visible).toBe(false);
    w.emit('ready-to-show');
    expect(w.visible).toBe(true);
    expect(w.loaded.file).toMatch(/renderer[/\\]index\.html$/);
    expect(w.webContents.openHandler?.({ url: 'https://example.com' } as never)).toEqual({
      action: 'deny',
    });
    const prevent = vi.fn();
    w.webContents.emit('will-navigate', { preventDefault: prevent }, 'https://example.com/');
    expect(prevent).toHaveBeenCalledOnce();
  });

  test.each([
    ['file:///app/out/renderer/index.html', undefined, true],
    ['https://example.com', undefined, false],
    ['http://localhost:5173/', 'http://localhost:5173', true],
    ['http://localhost:5174/', 'http://localhost:5173', false],
  ])('navigation to %s (dev server %s) allowed: %s', (url, dev, want) => {
    expect(isAllowedNavigation(url, dev)).toBe(want);
  });

  test('kiosk follows the setting', () => {
    expect(windowOptions({ preloadPath: 'p', kiosk: false }).kiosk).toBe(false);
  });

  test('every IPC channel is registered and validates its input', async () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    await expect(fake.ipcMain.invoke('burst.start', { orders: -1 })).rejects.toThrow(
      /"orders" must be a whole number/,
    );
    await expect(fake.ipcMain.invoke('burst.start', 'rm -rf /')).rejects.toThrow(/burst request/);
    await expect(fake.ipcMain.invoke('metrics.snapshot', { sneaky: 1 })).rejects.toThrow(
      /takes no arguments/,
    );
    await expect(fake.ipcMain.invoke('source.status', 1)).rejects.toThrow(/takes no arguments/);
    await expect(
      fake.ipcMain.invoke('burst.start', { orders: 1, target: 'kafka' }),
    ).rejects.toThrow(/"target" must be/);
    await expect(fake.ipcMain.invoke('mysql.password', { password: '' })).rejects.toThrow(
      /1 to 256 characters/,
    );
    await expect(fake.ipcMain.invoke('mysql.password', 's3cret')).rejects.toThrow(
      /password request: not JSON/,
    );
    expect(await fake.ipcMain.invoke('burst.targets')).toEqual([
      { id: 'embedded', label: 'Embedded demo' },
      { id: 'mysql', label: 'MySQL shop@127.0.0.1:1/demo' },
    ]);
    expect(await fake.ipcMain.invoke('source.status')).toEqual({
      source: 'embedded',
      state: 'ok',
      message: null,
    });
  });

  test('a burst over IPC is answered exactly and pushed to the window', async () => {
    const before = ordersToday((await fake.ipcMain.invoke('metrics.snapshot')) as Snapshot);
    expect(await fake.ipcMain.invoke('burst.start', { orders: 5 })).toEqual({
      inserted: 5,
      updated: 0,
      failed: 0,
    });
    await expect
      .poll(async () => ordersToday((await fake.ipcMain.invoke('metrics.snapshot')) as Snapshot))
      .toBe(before + 5);
    const pushed = win().webContents.sent.filter((s) => s.channel === 'metrics.batch');
    expect(pushed.length).toBeGreaterThan(0);
    expect((pushed.at(-1)?.payload as MetricBatch).lastRecordAt).not.toBeNull();
  });

  test('the health panel probes the configured stages and says what is broken', async () => {
    const checks = (await fake.ipcMain.invoke('health.run')) as {
      stage: string;
      ok: boolean;
      detail: string;
    }[];
    expect(checks.map((c) => [c.stage, c.ok])).toEqual([
      ['embedded pipeline', true],
      ['mysql', false],
    ]);
    expect(checks[1]?.detail).toMatch(
      /^Cannot reach MySQL at 127\.0\.0\.1:1 \(connection refused\)/,
    );
  });

  test('a password typed in the panel goes to the OS keychain, sealed, and never comes back', async () => {
    const answer = await fake.ipcMain.invoke('mysql.password', { password: 's3cret-pw' });
    expect(answer).toEqual({
      saved: true,
      message: 'Saved in the OS keychain for shop@127.0.0.1:1.',
    });
    expect(JSON.stringify(answer)).not.toContain('s3cret');
    const stored = readFileSync(join(userData, 'mysql-passwords.json'), 'utf8');
    expect(stored).not.toContain('s3cret-pw');
    expect(Object.keys(JSON.parse(stored))).toEqual(['shop@127.0.0.1:1']);
    expect(
      win().webContents.sent.some((s) => JSON.stringify(s.payload ?? '').includes('s3cret')),
    ).toBe(false);
    fake.safeStorage.available = false;
    expect(await fake.ipcMain.invoke('mysql.password', { password: 'x' })).toEqual({
      saved: false,
      message:
        'The OS keychain is not available on this machine: set LIVEWALL_MYSQL_PASSWORD instead.',
    });
    fake.safeStorage.available = true;
  });

  test('the menu offers bursts of 100, 1 000 and 10 000 orders, and they reach the simulator', async () => {
    const demo = fake.Menu.current?.template.find((m) => m.label === 'Demo');
    const items = (demo?.submenu ?? []) as { label?: string; type?: string; click?: () => void }[];
    expect(items.map((i) => i.label ?? i.type)).toEqual([
      'Demo burst: 100 orders',
      'Demo burst: 1 000 orders',
      'Demo burst: 10 000 orders',
      'separator',
      'MySQL burst: 100 orders',
      'MySQL burst: 1 000 orders',
      'MySQL burst: 10 000 orders',
    ]);
    const before = ordersToday((await fake.ipcMain.invoke('metrics.snapshot')) as Snapshot);
    items[1]?.click?.();
    await expect
      .poll(async () => ordersToday((await fake.ipcMain.invoke('metrics.snapshot')) as Snapshot), {
        timeout: 15_000,
      })
      .toBe(before + 1_000);
    // The panel follows a menu burst through the progress pushes, to its result.
    const pushed = win()
      .webContents.sent.filter((x) => x.channel === 'burst.progress')
      .map((x) => x.payload as { requested: number; inserted: number; pendingSteps: number });
    expect(pushed.at(-1)).toMatchObject({ requested: 1_000, inserted: 1_000, pendingSteps: 0 });
  });
});
