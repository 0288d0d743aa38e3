/**
 * The Electron shell (src/main/index.ts) against the typed fake of `electron`. Every test boots
 * its own app: vi.resetModules() gives a fresh fake and a fresh src/main/index, so no test depends
 * on another's window, handlers or order.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { INVOKE_CHANNELS } from '../../../src/shared/channels';
import type { MetricBatch, Snapshot } from '../../../src/shared/contracts';
import { QUIT_ACCELERATOR } from '../../../src/main/shell/kioskPolicy';
import { waitFor } from '../../support/processes';
import type * as FakeModule from '../../support/electronFake';

/** The embedded pipeline names its engine on the status, as a Kinesis feed names the stream's. */
const EMBEDDED_ENGINE = {
  kind: 'engine',
  detail: 'livewall engine in this process',
  since: expect.any(Number) as number,
};

type Fake = typeof FakeModule;

interface Booted {
  fake: Fake;
  dir: string;
  win(): InstanceType<Fake['BrowserWindow']>;
  stderr: string[];
}

let current: Booted | null = null;

/**
 * A fresh app: config written to a temp folder (no background orders unless asked), the fake
 * prepared by `prepare`, then src/main/index imported and Electron made ready.
 */
async function boot(
  config: Record<string, unknown> = {},
  opts: { prepare?: (fake: Fake) => void; env?: Record<string, string> } = {},
): Promise<Booted> {
  // A fresh registry: a new fake (new app, windows, handlers) and a new src/main/index.
  vi.resetModules();
  const fake = await import('../../support/electronFake');
  vi.doMock('electron', () => fake);
  const dir = mkdtempSync(join(tmpdir(), 'lwshell-'));
  writeFileSync(join(dir, 'livewall.config.json'), JSON.stringify({ demoRate: 0, ...config }));
  vi.stubEnv('LIVEWALL_CONFIG', join(dir, 'livewall.config.json'));
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
  vi.stubEnv('LIVEWALL_KIOSK', '');
  vi.stubEnv('APPIMAGE', '');
  vi.stubEnv('XDG_CONFIG_HOME', join(dir, 'xdg'));
  for (const [k, v] of Object.entries(opts.env ?? {})) vi.stubEnv(k, v);
  fake.app.userData = dir;
  opts.prepare?.(fake);
  const stderr: string[] = [];
  vi.restoreAllMocks(); // a test that boots twice spies on the real write, not on the last spy
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return write(chunk);
  });
  await import('../../../src/main/index');
  fake.app.fireReady();
  await fake.app.whenReady();
  await new Promise((resolve) => setImmediate(resolve));
  current = {
    fake,
    dir,
    stderr,
    win: () => {
      const w = fake.BrowserWindow.instances[0];
      if (!w) throw new Error('no window was created');
      return w;
    },
  };
  return current;
}

afterEach(async () => {
  const b = current;
  current = null;
  if (b) {
    // Stops the pipeline; the shell quits once it has stopped.
    b.fake.app.emit('window-all-closed');
    if (b.fake.BrowserWindow.instances.length > 0) {
      await waitFor('the app to quit', () => b.fake.app.quitCalled, { timeoutMs: 10_000 });
    }
    rmSync(b.dir, { recursive: true, force: true });
  }
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const ordersToday = (s: Snapshot): number => {
  const totals = s.metrics.filter(
    (m) => m.name === 'orders' && m.window === '1d' && Object.keys(m.dims).length === 0,
  );
  return totals.sort((a, b) => b.start - a.start)[0]?.value ?? 0;
};

type Item = MenuItemConstructorOptions;
const allItems = (items: readonly Item[]): Item[] =>
  items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? allItems(i.submenu) : [])]);

describe('the window', () => {
  test('is isolated, sandboxed, without Node, full screen, and shown when ready', async () => {
    const { fake, win } = await boot({ kiosk: true });
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    const w = win();
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      devTools: true, // not packaged
    });
    expect(w.options.webPreferences?.preload).toMatch(/preload[/\\]index\.js$/);
    expect(w.options).toMatchObject({ show: false, fullscreen: true, kiosk: true });
    expect(w.visible).toBe(false);
    w.emit('ready-to-show');
    expect(w.visible).toBe(true);
    expect(w.loaded.file).toMatch(/renderer[/\\]index\.html$/);
  });

  test('a packaged app has no DevTools and ignores ELECTRON_RENDERER_URL', async () => {
    const { win } = await boot(
      {},
      {
        prepare: (f) => (f.app.isPackaged = true),
        env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' },
      },
    );
    expect(win().options.webPreferences?.devTools).toBe(false);
    expect(win().loaded).toEqual({ file: expect.stringMatching(/renderer[/\\]index\.html$/) });
  });

  test('an unpackaged app loads the dev server named by ELECTRON_RENDERER_URL', async () => {
    const { win } = await boot({}, { env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    expect(win().loaded).toEqual({ url: 'http://localhost:5173/' });
  });

  test('LIVEWALL_KIOSK=1 makes a kiosk window without the config saying so', async () => {
    const { win } = await boot({ kiosk: false }, { env: { LIVEWALL_KIOSK: '1' } });
    expect(win().options.kiosk).toBe(true);
    expect(win().isKiosk()).toBe(true);
  });
});

describe('one instance', () => {
  test('a second launch quits at once and opens nothing', async () => {
    const { fake } = await boot({}, { prepare: (f) => (f.app.lockAvailable = false) });
    expect(fake.app.lockRequested).toBe(true);
    expect(fake.app.quitCalled).toBe(true);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(fake.Menu.current).toBeNull();
  });

  test('the running one restores, shows and focuses its window when launched again', async () => {
    const { fake, win } = await boot();
    const w = win();
    w.minimized = true;
    fake.app.emit('second-instance', fake.fakeEvent(), ['livewall'], '/');
    expect(w).toMatchObject({ minimized: false, visible: true, focused: true });
    expect(fake.BrowserWindow.instances).toHaveLength(1);
  });
});

describe('the display never sleeps', () => {
  test('prevent-display-sleep starts once the window shows, and only once', async () => {
    const { fake, win } = await boot();
    expect(fake.powerSaveBlocker.started).toEqual([]);
    win().emit('ready-to-show');
    win().emit('ready-to-show');
    expect(fake.powerSaveBlocker.started).toEqual([{ id: 1, type: 'prevent-display-sleep' }]);
    fake.app.emit('will-quit');
    expect(fake.powerSaveBlocker.stopped).toEqual([1]);
  });
});

describe('crash recovery', () => {
  test('a renderer that went away is reloaded within 2 s, and the reason is logged', async () => {
    const { fake, win, stderr } = await boot();
    const w = win();
    w.webContents.emit('render-process-gone', fake.fakeEvent(), { reason: 'oom', exitCode: -1 });
    // Never inside the event: Chromium is still tearing the old renderer down.
    expect(w.webContents.reloads).toBe(0);
    // The delay the shell chose, not the machine's speed, is what must stay under 2 s.
    const said = /renderer went away \(oom, exit code -1\); reloading in (\d+) ms/.exec(
      stderr.join(''),
    );
    expect(Number(said?.[1])).toBeLessThan(2_000);
    await waitFor('the reload', () => w.webContents.reloads === 1, { timeoutMs: 30_000 });
  });

  test("app's render-process-gone for the window reloads it; another web contents' does not", async () => {
    const { fake, win } = await boot();
    const w = win();
    fake.app.emit('render-process-gone', fake.fakeEvent(), new fake.FakeWebContents(), {
      reason: 'crashed',
    });
    fake.app.emit('render-process-gone', fake.fakeEvent(), w.webContents, { reason: 'crashed' });
    await waitFor('the reload', () => w.webContents.reloads === 1, { timeoutMs: 30_000 });
  });

  test('a GPU process crash is logged and survived', async () => {
    const { fake, win, stderr } = await boot();
    fake.app.emit('child-process-gone', fake.fakeEvent(), {
      type: 'GPU',
      reason: 'crashed',
      exitCode: 139,
    });
    expect(stderr.join('')).toMatch(/GPU process went away \(crashed, exit code 139\)/);
    expect(fake.app.quitCalled).toBe(false);
    expect(win().webContents.reloads).toBe(0);
  });
});

describe('choose the display', () => {
  const left = { x: 0, y: 0, width: 1920, height: 1080 };
  const right = { x: 1920, y: 0, width: 3840, height: 2160 };

  test('full screen on the configured screen; to the primary when it goes, back when it returns', async () => {
    const { fake, win } = await boot(
      { display: 2 },
      { prepare: (f) => (f.screen.displays = [f.display(1, left), f.display(2, right)]) },
    );
    const w = win();
    expect(w.options).toMatchObject({ ...right, fullscreen: true });
    expect(w.boundsSet).toEqual([right]);
    fake.screen.remove(2);
    expect(w.boundsSet.at(-1)).toEqual(left);
    expect(w.fullScreen).toBe(true);
    fake.screen.add(fake.display(2, right));
    expect(w.boundsSet.at(-1)).toEqual(right);
    expect(w.boundsSet).toEqual([right, left, right]);
  });

  test('without the setting the window is on the primary screen and stays in kiosk when moved', async () => {
    const { fake, win } = await boot(
      { kiosk: true },
      {
        prepare: (f) => {
          f.screen.displays = [f.display(1, left), f.display(2, right)];
          f.screen.primaryId = 2;
        },
      },
    );
    const w = win();
    expect(w.options).toMatchObject(right);
    fake.screen.primaryId = 1;
    fake.screen.remove(2);
    expect(w.boundsSet.at(-1)).toEqual(left);
    expect(w.isKiosk()).toBe(true);
  });
});

describe('start at login', () => {
  test('autostart writes the XDG autostart entry for the executable, and false removes it', async () => {
    const first = await boot({ autostart: true });
    const file = join(first.dir, 'xdg', 'autostart', 'livewall.desktop');
    const entry = readFileSync(file, 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\n/);
    expect(entry).toContain('Type=Application\n');
    expect(entry).toContain(`\nExec=${process.execPath}\n`);
    // The next start, with autostart off, removes it.
    const xdg = join(first.dir, 'xdg');
    first.fake.app.emit('window-all-closed');
    await waitFor('the first app to quit', () => first.fake.app.quitCalled, { timeoutMs: 10_000 });
    current = null;
    const second = await boot({ autostart: false }, { env: { XDG_CONFIG_HOME: xdg } });
    expect(existsSync(file)).toBe(false);
    rmSync(first.dir, { recursive: true, force: true });
    void second;
  });

  test('an AppImage starts itself ($APPIMAGE), quoted for the desktop entry', async () => {
    const { dir } = await boot(
      { autostart: true },
      { env: { APPIMAGE: '/home/wall/Apps/livewall 1.0 $x.AppImage' } },
    );
    const entry = readFileSync(join(dir, 'xdg', 'autostart', 'livewall.desktop'), 'utf8');
    expect(entry).toContain('\nExec="/home/wall/Apps/livewall 1.0 \\\\$x.AppImage"\n');
  });
});

describe('kiosk means kiosk', () => {
  test('the menu keeps the bursts and Quit on Ctrl+Alt+Shift+Q; nothing reloads, opens DevTools or leaves kiosk', async () => {
    const { fake } = await boot({ kiosk: true });
    const template = fake.Menu.current?.template ?? [];
    expect(template.map((m) => m.label)).toEqual(['livewall', 'Demo']);
    const items = allItems(template);
    expect(items.filter((i) => i.role !== undefined)).toEqual([]);
    expect(items.filter((i) => i.accelerator !== undefined).map((i) => i.accelerator)).toEqual([
      QUIT_ACCELERATOR,
    ]);
    expect(QUIT_ACCELERATOR).toBe('Ctrl+Alt+Shift+Q');
    expect([...fake.globalShortcut.registered.keys()]).toEqual([QUIT_ACCELERATOR]);
    fake.globalShortcut.registered.get(QUIT_ACCELERATOR)?.();
    expect(fake.app.quitCalled).toBe(true);
  });

  test('quitting waits for the pipeline to stop, then quits', async () => {
    const { fake, dir } = await boot();
    await fake.ipcMain.invoke('burst.start', { orders: 3 });
    const first = fake.fakeEvent();
    fake.app.emit('will-quit', first);
    expect(first.defaultPrevented).toBe(true);
    await waitFor('the quit after the stop', () => fake.app.quitCalled, { timeoutMs: 10_000 });
    // The embedded day was saved on the way out.
    expect(readFileSync(join(dir, 'embedded-state.json'), 'utf8')).toContain('order');
    const second = fake.fakeEvent();
    fake.app.emit('will-quit', second);
    expect(second.defaultPrevented).toBe(false);
  });

  test('Quit from the menu quits', async () => {
    const { fake } = await boot({ kiosk: true });
    const quit = allItems(fake.Menu.current?.template ?? []).find((i) => i.label === 'Quit');
    (quit?.click as (() => void) | undefined)?.();
    expect(fake.app.quitCalled).toBe(true);
  });

  test('outside kiosk the View menu has DevTools only when not packaged', async () => {
    const dev = await boot({ kiosk: false });
    const roles = (f: Fake): unknown[] =>
      allItems(f.Menu.current?.template ?? []).map((i) => i.role);
    expect(roles(dev.fake)).toContain('toggleDevTools');
    expect(dev.fake.globalShortcut.registered.size).toBe(0);
  });

  test('a packaged app outside kiosk has no DevTools item', async () => {
    const { fake: f } = await boot({ kiosk: false }, { prepare: (x) => (x.app.isPackaged = true) });
    const roles = allItems(f.Menu.current?.template ?? []).map((i) => i.role);
    expect(roles).not.toContain('toggleDevTools');
    expect(roles).toContain('reload');
  });

  test('the kiosk window does not close unless the app quits', async () => {
    const { fake, win } = await boot({ kiosk: true });
    const closing = fake.fakeEvent();
    win().emit('close', closing);
    expect(closing.defaultPrevented).toBe(true);
    fake.app.emit('before-quit', fake.fakeEvent());
    const quitting = fake.fakeEvent();
    win().emit('close', quitting);
    expect(quitting.defaultPrevented).toBe(false);
  });

  test('DevTools opened somehow in kiosk are closed at once', async () => {
    const { win } = await boot({ kiosk: true });
    win().webContents.emit('devtools-opened');
    expect(win().webContents.devToolsClosed).toBe(1);
  });

  test('the cursor is hidden by an injected stylesheet after 3 s still, and shown on a move', async () => {
    const { win } = await boot({ kiosk: true });
    const wc = win().webContents;
    await waitFor(
      'the cursor to hide',
      () => [...wc.css.values()].some((c) => /cursor: none/.test(c)),
      {
        timeoutMs: 5_000,
      },
    );
    wc.emit('before-mouse-event', {}, { type: 'mouseMove', x: 1, y: 1 });
    await waitFor('the cursor to show', () => wc.css.size === 0, { timeoutMs: 1_000 });
  });
});

describe('Electron security', () => {
  test('every permission request and check is denied', async () => {
    const { fake: f } = await boot();
    const s = f.session.defaultSession;
    const answer = vi.fn();
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal'] as const) {
      s.requestHandler?.(null as never, p, answer, {} as never);
      expect(s.checkHandler?.(null, p, 'file://', {} as never)).toBe(false);
    }
    expect(answer.mock.calls).toEqual([[false], [false], [false], [false]]);
  });

  test('navigation, frame navigation and redirects go nowhere but the app page', async () => {
    const { win } = await boot();
    const wc = win().webContents;
    const own = pathToFileURL(win().loaded.file ?? '').href;
    const tries = [
      ['will-navigate', 'https://example.com/'],
      ['will-navigate', 'file:///etc/passwd'],
      ['will-frame-navigate', 'https://example.com/'],
      ['will-redirect', 'http://localhost:5173.evil.example/'],
    ] as const;
    for (const [event, url] of tries) {
      const e = current?.fake.fakeEvent({ url });
      wc.emit(event, e, ...(event === 'will-frame-navigate' ? [] : [url]));
      expect([event, url, e?.defaultPrevented]).toEqual([event, url, true]);
    }
    const ok = current?.fake.fakeEvent({ url: own });
    wc.emit('will-navigate', ok, own);
    expect(ok?.defaultPrevented).toBe(false);
    expect(wc.openHandler?.({ url: 'https://example.com' } as never)).toEqual({ action: 'deny' });
  });

  test('any other web contents is guarded too: no pop-ups, no webviews, no navigation', async () => {
    const { fake: f } = await boot();
    const other = new f.FakeWebContents();
    f.app.emit('web-contents-created', f.fakeEvent(), other);
    expect(other.openHandler?.({ url: 'https://example.com' } as never)).toEqual({
      action: 'deny',
    });
    const attach = f.fakeEvent();
    other.emit('will-attach-webview', attach, {}, {});
    expect(attach.defaultPrevented).toBe(true);
    const nav = f.fakeEvent({ url: 'https://example.com/' });
    other.emit('will-navigate', nav, 'https://example.com/');
    expect(nav.defaultPrevented).toBe(true);
  });

  test('IPC answers only the app page: not another page, a file, or a subframe', async () => {
    const { fake: f, win } = await boot();
    const own = pathToFileURL(win().loaded.file ?? '').href;
    expect(await f.ipcMain.invoke('source.status', undefined, { url: own, parent: null })).toEqual({
      source: 'embedded',
      state: 'ok',
      message: null,
      engine: EMBEDDED_ENGINE,
    });
    for (const sender of [
      { url: 'https://evil.example/' },
      { url: 'file:///tmp/index.html' },
      { url: own, parent: {} },
      { url: '' },
    ]) {
      await expect(f.ipcMain.invoke('burst.start', { orders: 1 }, sender)).rejects.toThrow(
        /burst\.start: livewall answers only its own page/,
      );
    }
  });

  test('a password kept by basic_text says so and points to the environment variable', async () => {
    const { fake: f } = await boot(
      { mysql: { url: 'mysql://shop@127.0.0.1:1/demo' } },
      { prepare: (x) => (x.safeStorage.backend = 'basic_text') },
    );
    const answer = (await f.ipcMain.invoke('mysql.password', { password: 's3cret-pw' })) as {
      saved: boolean;
      message: string;
    };
    expect(answer.saved).toBe(true);
    expect(answer.message).toMatch(/fixed key, not an OS keychain/);
    expect(answer.message).toMatch(/LIVEWALL_MYSQL_PASSWORD/);
    expect(answer.message).not.toMatch(/Saved in the OS keychain/);
  });
});

describe('IPC and the pipeline', () => {
  test('every IPC channel is registered and validates its input', async () => {
    const { fake: f } = await boot({ mysql: { url: 'mysql://shop@127.0.0.1:1/demo' } });
    const ipc = f.ipcMain;
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    await expect(ipc.invoke('burst.start', { orders: -1 })).rejects.toThrow(
      /"orders" must be a whole number/,
    );
    await expect(ipc.invoke('burst.start', 'rm -rf /')).rejects.toThrow(/burst request/);
    await expect(ipc.invoke('metrics.snapshot', { sneaky: 1 })).rejects.toThrow(
      /takes no arguments/,
    );
    await expect(ipc.invoke('source.status', 1)).rejects.toThrow(/takes no arguments/);
    await expect(ipc.invoke('burst.start', { orders: 1, target: 'kafka' })).rejects.toThrow(
      /"target" must be/,
    );
    await expect(ipc.invoke('mysql.password', { password: '' })).rejects.toThrow(
      /1 to 256 characters/,
    );
    await expect(ipc.invoke('mysql.password', 's3cret')).rejects.toThrow(
      /password request: not JSON/,
    );
    expect(await ipc.invoke('burst.targets')).toEqual([
      { id: 'embedded', label: 'Embedded demo' },
      { id: 'mysql', label: 'MySQL shop@127.0.0.1:1/demo' },
    ]);
    expect(await ipc.invoke('source.status')).toEqual({
      source: 'embedded',
      state: 'ok',
      message: null,
      engine: EMBEDDED_ENGINE,
    });
  });

  test('a burst over IPC is answered exactly and pushed to the window', async () => {
    const { fake: f, win } = await boot();
    const before = ordersToday((await f.ipcMain.invoke('metrics.snapshot')) as Snapshot);
    expect(before).toBe(0);
    expect(await f.ipcMain.invoke('burst.start', { orders: 5 })).toEqual({
      inserted: 5,
      updated: 0,
      failed: 0,
    });
    await expect
      .poll(async () => ordersToday((await f.ipcMain.invoke('metrics.snapshot')) as Snapshot))
      .toBe(5);
    const pushed = win().webContents.sent.filter((s) => s.channel === 'metrics.batch');
    expect(pushed.length).toBeGreaterThan(0);
    expect((pushed.at(-1)?.payload as MetricBatch).lastRecordAt).not.toBeNull();
  });

  test('the health panel probes the configured stages and says what is broken', async () => {
    const { fake: f } = await boot({ mysql: { url: 'mysql://shop@127.0.0.1:1/demo' } });
    const checks = (await f.ipcMain.invoke('health.run')) as {
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
    const { fake: f, dir, win } = await boot({ mysql: { url: 'mysql://shop@127.0.0.1:1/demo' } });
    const answer = await f.ipcMain.invoke('mysql.password', { password: 's3cret-pw' });
    expect(answer).toEqual({
      saved: true,
      message: 'Saved in the OS keychain for shop@127.0.0.1:1.',
    });
    expect(JSON.stringify(answer)).not.toContain('s3cret');
    const stored = readFileSync(join(dir, 'mysql-passwords.json'), 'utf8');
    expect(stored).not.toContain('s3cret-pw');
    expect(Object.keys(JSON.parse(stored))).toEqual(['shop@127.0.0.1:1']);
    expect(
      win().webContents.sent.some((s) => JSON.stringify(s.payload ?? '').includes('s3cret')),
    ).toBe(false);
    f.safeStorage.available = false;
    expect(await f.ipcMain.invoke('mysql.password', { password: 'x' })).toEqual({
      saved: false,
      message:
        'The OS keychain is not available on this machine: set LIVEWALL_MYSQL_PASSWORD instead.',
    });
  });

  test('the menu offers bursts of 100, 1 000 and 10 000 orders, and they reach the simulator', async () => {
    const { fake: f, win } = await boot({
      kiosk: true,
      mysql: { url: 'mysql://shop@127.0.0.1:1/demo' },
    });
    const demo = f.Menu.current?.template.find((m) => m.label === 'Demo');
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
    items[1]?.click?.();
    await expect
      .poll(async () => ordersToday((await f.ipcMain.invoke('metrics.snapshot')) as Snapshot), {
        timeout: 15_000,
      })
      .toBe(1_000);
    // The panel follows a menu burst through the progress pushes, to its result.
    const pushed = win()
      .webContents.sent.filter((x) => x.channel === 'burst.progress')
      .map((x) => x.payload as { requested: number; inserted: number; pendingSteps: number });
    expect(pushed.at(-1)).toMatchObject({ requested: 1_000, inserted: 1_000, pendingSteps: 0 });
  });
});

describe('the config file', () => {
  test('is named on the first log line; a change restarts the app, a broken file does not', async () => {
    const b = await boot();
    const file = join(b.dir, 'livewall.config.json');
    expect(b.stderr[0]).toBe(`livewall: config ${file}\n`);
    writeFileSync(file, '{ "demoRate": ');
    await waitFor(
      'the broken file to be named',
      () => b.stderr.some((l) => l.includes('keeps its running settings')),
      { timeoutMs: 10_000 },
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; stderr: ${b.stderr.join('')}`, { cause: err });
    });
    expect(b.fake.app.relaunchCalled).toBe(false);
    writeFileSync(file, JSON.stringify({ demoRate: 3 }));
    await waitFor('the app to restart', () => b.fake.app.relaunchCalled, { timeoutMs: 10_000 });
    expect(b.fake.app.quitCalled).toBe(true);
    expect(b.stderr.join('')).toContain(`config ${file} changed: restarting the app to apply it`);
  });
});
