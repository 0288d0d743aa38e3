/**
 * The one BrowserWindow: its options are a pure function so a test can check every security
 * setting without Electron.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { Rect } from './displayChoice';
import { guardWebContents } from './guards';
import type { AppPages } from './navigation';

export interface WindowSettings {
  preloadPath: string;
  kiosk: boolean;
  /** DevTools only in unpackaged builds (`!app.isPackaged`); off unless said. */
  devTools?: boolean;
  /** The chosen screen's bounds; the window is full screen there. */
  bounds?: Rect | null;
}

export function windowOptions(s: WindowSettings): BrowserWindowConstructorOptions {
  return {
    ...(s.bounds ?? { width: 1920, height: 1080 }),
    show: false,
    fullscreen: true,
    kiosk: s.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#05070d',
    title: 'livewall',
    webPreferences: {
      preload: s.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: s.devTools === true,
    },
  };
}

/** The parts of Electron the window needs; the tests pass a typed fake. */
export interface WindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
}

/** Loads the app's own page: the dev server in dev, else the built index.html. */
export function loadAppPage(win: BrowserWindow, pages: AppPages): void {
  const loading = pages.devServerUrl
    ? win.loadURL(pages.devServerUrl)
    : win.loadFile(pages.indexHtml);
  // A failed load shows in the window (and is retried by crash recovery); never an unhandled rejection.
  void Promise.resolve(loading).catch((err: unknown) => {
    process.stderr.write(`livewall: the screen did not load: ${(err as Error).message}\n`);
  });
}

export function createMainWindow(
  deps: WindowDeps,
  settings: WindowSettings,
  pages: AppPages,
): BrowserWindow {
  const win = new deps.BrowserWindow(windowOptions(settings));
  // No pop-ups and no navigation away: a wall display shows livewall and nothing else.
  guardWebContents(win.webContents, pages);
  loadAppPage(win, pages);
  return win;
}

/** A second launch brings the running wall back to the front instead of opening another. */
export function revealWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed?.()) return;
  if (win.isMinimized?.()) win.restore?.();
  win.show?.();
  win.focus?.();
}
