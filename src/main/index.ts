/**
 * The Electron entry: a thin shell wiring the Electron-free services to one window, the IPC
 * contract, the menu and the OS keychain.
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, safeStorage } from 'electron';
import type { PasswordSaved } from '@shared/api';
import { loadConfig } from './app/config';
import { parseMySqlUrl } from './mysql/target';
import { createFeed } from './app/sources';
import { registerIpc } from './shell/ipc';
import { Keychain } from './shell/keychain';
import { menuTemplate } from './shell/menu';
import { createMainWindow } from './shell/window';

const loaded = loadConfig(process.env.LIVEWALL_CONFIG);
if (!loaded.ok) {
  process.stderr.write(`livewall: ${loaded.error}\n`);
  process.exit(2);
}
const config = loaded.value;
if (process.env.LIVEWALL_KIOSK === '1') config.kiosk = true;

const keychain = new Keychain(safeStorage, join(app.getPath('userData'), 'mysql-passwords.json'));
let win: BrowserWindow | null = null;
// The embedded demo keeps its day in the app's data folder, so a restart shows it at once.
const running = createFeed(config, {
  stateFile: join(app.getPath('userData'), 'embedded-state.json'),
  passwords: () => [keychain.source()],
});
if (!running.ok) {
  process.stderr.write(`livewall: ${running.error}\n`);
  process.exit(2);
}
const { feed } = running.value;
const pipeline = running.value;

/** The password typed in the burst panel, for the configured MySQL account. */
async function savePassword(password: string): Promise<PasswordSaved> {
  const target = config.mysql ? parseMySqlUrl(config.mysql.url) : null;
  if (!target?.ok)
    return { saved: false, message: 'No MySQL is configured, so there is no password to keep.' };
  return keychain.save(target.value, password);
}

void app.whenReady().then(() => {
  pipeline.start();
  registerIpc(ipcMain, feed, () => win?.webContents ?? null, savePassword);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        {
          // The panel follows a menu burst through the progress pushes.
          burst: (n, target) =>
            void feed.burst({ orders: n, target }).catch((err: unknown) => {
              process.stderr.write(`livewall: the burst failed: ${(err as Error).message}\n`);
            }),
          toggleKiosk: () => win?.setKiosk(!win.isKiosk()),
        },
        feed.burstTargets(),
      ),
    ),
  );
  win = createMainWindow(
    { BrowserWindow },
    { preloadPath: join(__dirname, '../preload/index.js'), kiosk: config.kiosk },
    {
      devServerUrl: process.env.ELECTRON_RENDERER_URL,
      indexHtml: join(__dirname, '../renderer/index.html'),
    },
  );
  win.on('closed', () => (win = null));
});

app.on('window-all-closed', () => {
  void pipeline.stop().finally(() => app.quit());
});
