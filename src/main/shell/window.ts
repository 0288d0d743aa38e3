/**
 * The one BrowserWindow: its options are a pure function so a test can check every security
 * setting without Electron.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

export interface WindowSettings {
  preloadPath: string;
  kiosk: boolean;
}

export function windowOptions(s: WindowSettings): BrowserWindowConstructorOptions {
  return {
    width: 1920,
    height: 1080,
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
    },
  };
}

/** The parts of Electron the window needs; the tests pass a typed fake. */
export interface WindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
}

/** Only our own renderer's pages may load: in dev the dev server, else the packaged file. */
export function isAllowedNavigation(url: string, devServerUrl: string | undefined): boolean {
  if (devServerUrl && url.startsWith(devServerUrl)) return true;
  return url.startsWith('file://');
}

export function createMainWindow(
  deps: WindowDeps,
  settings: WindowSettings,
  load: { devServerUrl: string | undefined; indexHtml: string },
): BrowserWindow {
  const win = new deps.BrowserWindow(windowOptions(settings));
  win.once('ready-to-show', () => win.show());
  // No pop-ups and no navigation away: a wall display shows livewall and nothing else.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, load.devServerUrl)) event.preventDefault();
  });
  if (load.devServerUrl) void win.loadURL(load.devServerUrl);
  else void win.loadFile(load.indexHtml);
  return win;
}
