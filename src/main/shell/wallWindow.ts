/**
 * The wall's window and everything that keeps it on the wall: the chosen screen, kiosk, a display
 * that never sleeps, crash and hang recovery, the idle cursor, and the navigation guards. Each
 * decision is a pure function elsewhere in this folder; this file only wires them to one window.
 */
import type { App, BrowserWindow, PowerSaveBlocker, Screen } from 'electron';
import type { Rect } from './displayChoice';
import { DisplayFollower } from './displays';
import { hideIdleCursor } from './cursor';
import { prevent } from './guards';
import { shouldPreventClose } from './kioskPolicy';
import type { AppPages } from './navigation';
import { armRecovery } from './recovery';
import { createMainWindow, type WindowDeps } from './window';

export interface WallDeps extends WindowDeps {
  app: Pick<App, 'on'>;
  screen: Partial<Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay' | 'on'>>;
  powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop'>;
}

export interface WallSettings {
  kiosk: boolean;
  packaged: boolean;
  /** Config `display`: 1-based screen number, null for the primary. */
  display: number | null;
  pages: AppPages;
  /** The built preload script. */
  preloadPath: string;
}

/** Shared with the app: true once it quits (Quit, the OS ending the session). */
export interface QuitState {
  quitting: boolean;
}

/** Runs a step of the wiring; a part Electron lacks (or refuses) is logged, never fatal. */
export function attempt(log: (line: string) => void, what: string, step: () => void): void {
  try {
    step();
  } catch (err) {
    log(`${what}: ${(err as Error).message}`);
  }
}

export function openWallWindow(
  deps: WallDeps,
  s: WallSettings,
  state: QuitState,
  log: (line: string) => void,
): BrowserWindow {
  const displays = new DisplayFollower(deps.screen, s.display, log);
  let bounds: Rect | null = null;
  attempt(log, 'cannot list the screens', () => (bounds = displays.initial()));
  const w = createMainWindow(
    deps,
    { preloadPath: s.preloadPath, kiosk: s.kiosk, devTools: !s.packaged, bounds },
    s.pages,
  );
  // The options place it already; setBounds again so a window manager that ignored x/y for a
  // full-screen window still maps it on the configured screen (it is not shown yet).
  const start = bounds as Rect | null;
  if (s.display !== null && start) attempt(log, 'placing the window', () => w.setBounds(start));

  let blocker: number | null = null;
  w.on('ready-to-show', () => {
    attempt(log, 'showing the window', () => w.show());
    // Some Linux window managers ignore kiosk set before the window is mapped: set it again.
    if (s.kiosk) attempt(log, 'kiosk', () => w.setKiosk(true));
    // A wall that dims after ten minutes is no wall.
    if (blocker === null) {
      attempt(log, 'keeping the display awake', () => {
        blocker = deps.powerSaveBlocker.start('prevent-display-sleep');
      });
    }
  });
  deps.app.on('will-quit', () => {
    const id = blocker;
    if (id !== null)
      attempt(log, 'letting the display sleep', () => deps.powerSaveBlocker.stop(id));
  });

  w.on('close', (event: Electron.Event) => {
    const kiosk = w.isKiosk?.() ?? s.kiosk;
    if (shouldPreventClose({ kiosk, quitting: state.quitting })) prevent(event);
  });
  // Windows does not emit before-quit on shutdown or logoff: let the window close then.
  w.on('query-session-end', () => (state.quitting = true));
  w.on('session-end', () => (state.quitting = true));
  if (s.kiosk && !s.packaged) {
    // Unpackaged builds have DevTools, but in kiosk nothing may open them.
    w.webContents.on('devtools-opened', () => w.webContents.closeDevTools());
  }

  attempt(log, 'crash recovery', () => {
    const recovery = armRecovery(w, { log, quitting: () => state.quitting });
    deps.app.on('render-process-gone', (event, contents, details) => {
      if (contents === w.webContents) recovery.gone(event, details);
    });
    w.on('closed', () => recovery.stop());
  });
  attempt(log, 'hiding the idle cursor', () => w.on('closed', hideIdleCursor(w)));
  attempt(log, 'following the screens', () => displays.follow(w));
  return w;
}
