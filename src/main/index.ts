/**
 * The Electron entry: a thin shell wiring the Electron-free services to one window, the IPC
 * contract, the menu and the OS keychain, and making that window an appliance for a wall PC: one
 * instance, a display that never sleeps, recovery from crashes and hangs, the configured screen,
 * start at login, and a kiosk with one way out. The decisions live in src/main/shell's pure files.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  globalShortcut,
  ipcMain,
  Menu,
  powerSaveBlocker,
  safeStorage,
  screen,
  session,
} from 'electron';
import type { PasswordSaved } from '@shared/api';
import { loadConfig } from './app/config';
import { parseMySqlUrl } from './mysql/target';
import { createSource } from './app/sources';
import { applyAutostart, autostartPlan } from './shell/autostart';
import { childGoneLogLine } from './shell/crashRecovery';
import { hideIdleCursor } from './shell/cursor';
import type { Rect } from './shell/displayChoice';
import { DisplayFollower } from './shell/displays';
import { denyAllPermissions, guardWebContents } from './shell/guards';
import { registerIpc } from './shell/ipc';
import { Keychain } from './shell/keychain';
import { kioskWanted, QUIT_ACCELERATOR, shouldPreventClose } from './shell/kioskPolicy';
import { menuTemplate } from './shell/menu';
import { devServerUrl, isAllowedNavigation, type AppPages } from './shell/navigation';
import { armRecovery } from './shell/recovery';
import { createMainWindow, revealWindow } from './shell/window';

const log = (line: string): void => void process.stderr.write(`livewall: ${line}\n`);

/** Runs a step of the wiring; a part Electron lacks (or refuses) is logged, never fatal. */
function attempt(what: string, step: () => void): void {
  try {
    step();
  } catch (err) {
    log(`${what}: ${(err as Error).message}`);
  }
}

function main(): void {
  // One wall, one window: a second launch hands over to the running one and quits before it
  // opens anything (no window, no pipeline writing the same state file).
  if (typeof app.requestSingleInstanceLock === 'function' && !app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const loaded = loadConfig(process.env.LIVEWALL_CONFIG);
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
  const running = createSource(config, {
    stateFile: join(app.getPath('userData'), 'embedded-state.json'),
    passwords: () => [keychain.source()],
  });
  if (!running.ok) {
    log(running.error);
    process.exit(2);
  }
  const pipeline = running.value;
  const { source } = pipeline;

  let win: BrowserWindow | null = null;
  let quitting = false;
  let blocker: number | null = null;
  const quit = (): void => {
    quitting = true;
    app.quit();
  };

  /** The password typed in the burst panel, for the configured MySQL account. */
  async function savePassword(password: string): Promise<PasswordSaved> {
    const target = config.mysql ? parseMySqlUrl(config.mysql.url) : null;
    if (!target?.ok)
      return { saved: false, message: 'No MySQL is configured, so there is no password to keep.' };
    return keychain.save(target.value, password);
  }

  app.on('second-instance', () => revealWindow(win));
  app.on('before-quit', () => (quitting = true));
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
        ipcMain,
        source,
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
                void source.burst({ orders: n, target }).catch((err: unknown) => {
                  log(`the burst failed: ${(err as Error).message}`);
                }),
              toggleKiosk: () => win?.setKiosk(!win.isKiosk()),
              quit,
            },
            source.burstTargets(),
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

    const displays = new DisplayFollower(screen ?? {}, config.display, log);
    let bounds: Rect | null = null;
    try {
      bounds = displays.initial();
    } catch (err) {
      log(`cannot list the screens: ${(err as Error).message}`);
    }
    const w = createMainWindow(
      { BrowserWindow },
      { preloadPath: join(__dirname, '../preload/index.js'), kiosk, devTools: !packaged, bounds },
      pages,
    );
    win = w;
    attempt('guarding the window', () => guardWebContents(w.webContents, pages));
    w.on('ready-to-show', () => {
      w.show();
      // Some Linux window managers ignore kiosk set before the window is mapped: set it again.
      if (kiosk) attempt('kiosk', () => w.setKiosk(true));
      // A wall that dims after ten minutes is no wall.
      if (blocker === null) {
        attempt('keeping the display awake', () => {
          blocker = powerSaveBlocker.start('prevent-display-sleep');
        });
      }
    });
    w.on('close', (event: Electron.Event) => {
      if (shouldPreventClose({ kiosk: w.isKiosk?.() ?? kiosk, quitting })) event.preventDefault();
    });
    // Windows does not emit before-quit on shutdown or logoff: let the window close then.
    w.on('query-session-end', () => (quitting = true));
    w.on('session-end', () => (quitting = true));
    w.on('closed', () => {
      if (win === w) win = null;
    });
    if (kiosk && !packaged) {
      // Unpackaged builds have DevTools, but in kiosk nothing may open them.
      w.webContents.on('devtools-opened', () => w.webContents.closeDevTools());
    }
    attempt('crash recovery', () => {
      const recovery = armRecovery(w, { log, quitting: () => quitting });
      app.on('render-process-gone', (event, contents, details) => {
        if (contents === w.webContents) recovery.gone(event, details);
      });
      w.on('closed', () => recovery.stop());
    });
    attempt('hiding the idle cursor', () => w.on('closed', hideIdleCursor(w)));
    attempt('following the screens', () => displays.follow(w));
  };

  // Whichever Electron offers first: the 'ready' event (synchronous) or whenReady().
  app.on('ready', start);
  if (typeof app.whenReady === 'function') {
    void app.whenReady().then(start, (err: unknown) => log(`not ready: ${String(err)}`));
  }

  app.on('window-all-closed', () => {
    void pipeline.stop().finally(() => app.quit());
  });
  app.on('will-quit', () => {
    attempt('releasing the shortcut', () => globalShortcut.unregisterAll());
    if (blocker !== null)
      attempt('letting the display sleep', () => powerSaveBlocker.stop(blocker as number));
  });
}

main();
