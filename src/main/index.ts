/**
 * The Electron entry: a thin shell wiring the Electron-free services to one window, the IPC
 * contract, the menu and the OS keychain, and making that window an appliance for a wall PC: one
 * instance, a display that never sleeps, recovery from crashes and hangs, the configured screen,
 * start at login, and a kiosk with one way out. The decisions live in src/main/shell's pure files.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  globalShortcut,
  Menu,
  powerSaveBlocker,
  safeStorage,
  screen,
  session,
} from 'electron';
import type { PasswordSaved } from '@shared/contracts';
import { loadConfig } from './app/config';
import { configLine, watchConfigFile } from './app/configFile';
import { appConfigLocation } from './shell/configPath';
import { parseMySqlUrl } from './mysql/target';
import { createFeed } from './app/sources';
import { applyAutostart, autostartPlan } from './shell/autostart';
import { childGoneLogLine } from './shell/crashRecovery';
import { denyAllPermissions, guardWebContents, prevent } from './shell/guards';
import { registerIpc } from './shell/ipc';
import { Keychain } from './shell/keychain';
import { kioskWanted, QUIT_ACCELERATOR } from './shell/kioskPolicy';
import { menuTemplate } from './shell/menu';
import { devServerUrl, isAllowedNavigation, type AppPages } from './shell/navigation';
import { attempt as attemptStep, openWallWindow, type QuitState } from './shell/wallWindow';
import { revealWindow } from './shell/window';

const log = (line: string): void => void process.stderr.write(`livewall: ${line}\n`);

const attempt = (what: string, step: () => void): void => attemptStep(log, what, step);

function main(): void {
  // One wall, one window: a second launch hands over to the running one and quits before it
  // opens anything (no window, no pipeline writing the same state file).
  if (typeof app.requestSingleInstanceLock === 'function' && !app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const where = appConfigLocation({
    env: process.env,
    packaged: app.isPackaged === true,
    userData: app.getPath('userData'),
    exists: existsSync,
  });
  log(configLine(where, existsSync));
  const loaded = loadConfig(where.path, !where.required);
  if (!loaded.ok) {
    log(loaded.error);
    process.exit(2);
  }
  const config = loaded.value;
  const kiosk = kioskWanted(config.kiosk, process.env);
  const packaged = app.isPackaged === true;
  const pages: AppPages = {
    indexHtml: join(__dirname, '../renderer/index.html'),
    devServerUrl: devServerUrl(packaged, process.env.ELECTRON_RENDERER_URL),
  };

  const keychain = new Keychain(safeStorage, join(app.getPath('userData'), 'mysql-passwords.json'));
  // The embedded demo keeps its day in the app's data folder, so a restart shows it at once.
  const running = createFeed(config, {
    stateFile: join(app.getPath('userData'), 'embedded-state.json'),
    passwords: () => [keychain.source()],
  });
  if (!running.ok) {
    log(running.error);
    process.exit(2);
  }
  const pipeline = running.value;
  const { feed } = pipeline;

  let win: BrowserWindow | null = null;
  const state: QuitState = { quitting: false };
  const quit = (): void => {
    state.quitting = true;
    app.quit();
  };

  // The window, the kiosk, the display and the pipeline all come from the config file: a change
  // is applied by starting the app again; a file that does not parse leaves it running as it is.
  const configWatch = watchConfigFile(where.path, () => {
    const next = loadConfig(where.path, !where.required);
    if (!next.ok) {
      log(`${next.error}; the app keeps its running settings until the file is fixed`);
      return;
    }
    log(`${configLine(where, existsSync)} changed: restarting the app to apply it`);
    app.relaunch();
    quit();
  });

  /** The password typed in the burst panel, for the configured MySQL account. */
  async function savePassword(password: string): Promise<PasswordSaved> {
    const target = config.mysql ? parseMySqlUrl(config.mysql.url) : null;
    if (!target?.ok)
      return { saved: false, message: 'No MySQL is configured, so there is no password to keep.' };
    return keychain.save(target.value, password);
  }

  app.on('second-instance', () => attempt('showing the window', () => revealWindow(win)));
  app.on('before-quit', () => (state.quitting = true));
  // Every web contents Electron creates (the window's, any other) gets the same guards.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, pages));
  // The GPU process (or a utility) dying is survived: Chromium starts another; say so in the log.
  app.on('child-process-gone', (_event, details) => log(childGoneLogLine(details ?? {})));

  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    attempt('permissions', () => denyAllPermissions(session?.defaultSession ?? {}));
    attempt('autostart', () => {
      const plan = autostartPlan({
        platform: process.platform,
        autostart: config.autostart,
        env: process.env,
        execPath: process.execPath,
        home: homedir(),
      });
      const said = applyAutostart(plan, app);
      if (said) log(said);
    });
    pipeline.start();
    attempt('IPC', () =>
      registerIpc(
        feed,
        () => win?.webContents ?? null,
        savePassword,
        (url) => isAllowedNavigation(url, pages),
      ),
    );
    attempt('the menu', () =>
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          menuTemplate(
            {
              // The panel follows a menu burst through the progress pushes.
              burst: (n, target) =>
                void feed.burst({ orders: n, target }).catch((err: unknown) => {
                  log(`the burst failed: ${(err as Error).message}`);
                }),
              toggleKiosk: () => win?.setKiosk(!win.isKiosk()),
              quit,
            },
            feed.burstTargets(),
            { kiosk, devTools: !packaged },
          ),
        ),
      ),
    );
    if (kiosk) {
      // Also a global shortcut, in case the window manager keeps the menu's accelerators.
      attempt('the quit shortcut', () => {
        if (!globalShortcut.register(QUIT_ACCELERATOR, quit))
          log(`${QUIT_ACCELERATOR} is taken by another program; the menu's accelerator remains`);
      });
    }

    win = openWallWindow(
      { app, BrowserWindow, screen: screen ?? {}, powerSaveBlocker },
      {
        kiosk,
        packaged,
        display: config.display,
        pages,
        preloadPath: join(__dirname, '../preload/index.js'),
      },
      state,
      log,
    );
    const w = win;
    w.on('closed', () => {
      if (win === w) win = null;
    });
  };

  // Whichever Electron offers first: the 'ready' event (synchronous) or whenReady().
  app.on('ready', start);
  if (typeof app.whenReady === 'function') {
    void app.whenReady().then(start, (err: unknown) => log(`not ready: ${String(err)}`));
  }

  // The pipeline stops (and saves its day) before the app goes, however it goes: the last window
  // closing, or Quit (after which Electron skips window-all-closed); never longer than 5 s.
  let stopping: Promise<void> | null = null;
  let stopped = false;
  const stopPipeline = (): Promise<void> =>
    (stopping ??= Promise.race([
      pipeline.stop().catch((err: unknown) => log(`stopping: ${(err as Error).message}`)),
      new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref()),
    ]).then(() => void (stopped = true)));
  app.on('window-all-closed', () => {
    configWatch.close();
    void stopPipeline().finally(() => app.quit());
  });
  app.on('will-quit', (event: Electron.Event) => {
    configWatch.close();
    attempt('releasing the shortcut', () => globalShortcut.unregisterAll());
    if (stopped) return;
    prevent(event);
    void stopPipeline().finally(() => app.quit());
  });
}

main();
