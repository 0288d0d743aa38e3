/** createMainWindow on its own (no app wiring): guarded and loading only the app page. */
import { describe, expect, test } from 'vitest';
import type { BrowserWindow as ElectronWindow } from 'electron';
import { createMainWindow, revealWindow, windowOptions } from '../../../src/main/shell/window';
import { BrowserWindow, fakeEvent } from '../../support/electronFake';

const pages = { indexHtml: '/opt/livewall/out/renderer/index.html', devServerUrl: undefined };
const deps = { BrowserWindow: BrowserWindow as unknown as new () => ElectronWindow };

describe('createMainWindow', () => {
  test('denies pop-ups and navigation away by itself, and loads the built page', () => {
    const win = createMainWindow(
      deps,
      { preloadPath: 'p', kiosk: false },
      pages,
    ) as unknown as BrowserWindow;
    expect(win.webContents.openHandler?.({ url: 'https://example.com' } as never)).toEqual({
      action: 'deny',
    });
    const away = fakeEvent({ url: 'https://example.com/' });
    win.webContents.emit('will-navigate', away, 'https://example.com/');
    expect(away.defaultPrevented).toBe(true);
    const home = fakeEvent({ url: 'file:///opt/livewall/out/renderer/index.html' });
    win.webContents.emit('will-navigate', home, home.url);
    expect(home.defaultPrevented).toBe(false);
    expect(win.loaded).toEqual({ file: pages.indexHtml });
  });

  test('DevTools are off unless the settings turn them on', () => {
    expect(windowOptions({ preloadPath: 'p', kiosk: false }).webPreferences?.devTools).toBe(false);
  });

  test('revealWindow restores, shows and focuses; no window is no error', () => {
    const win = new BrowserWindow({});
    win.minimized = true;
    revealWindow(win as unknown as ElectronWindow);
    expect(win).toMatchObject({ minimized: false, visible: true, focused: true });
    expect(() => revealWindow(null)).not.toThrow();
  });
});
