/**
 * The Electron entry: a thin shell wiring the Electron-free services to one window, the IPC
 * contract and the menu.
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu } from 'electron';
import { loadConfig } from './config';
import { createSource } from './services/sources';
import { registerIpc } from './shell/ipc';
import { menuTemplate } from './shell/menu';
import { createMainWindow } from './shell/window';

const loaded = loadConfig(process.env.LIVEWALL_CONFIG);
if (!loaded.ok) {
  process.stderr.write(`livewall: ${loaded.error}\n`);
  process.exit(2);
}
const config = loaded.value;
if (process.env.LIVEWALL_KIOSK === '1') config.kiosk = true;

let win: BrowserWindow | null = null;
// The embedded demo keeps its day in the app's data folder, so a restart shows it at once.
const running = createSource(config, {
  stateFile: join(app.getPath('userData'), 'embedded-state.json'),
});
if (!running.ok) {
  process.stderr.write(`livewall: ${running.error}\n`);
  process.exit(2);
}
const { source } = running.value;
const pipeline = running.value;

void app.whenReady().then(() => {
  pipeline.start();
  registerIpc(ipcMain, source, () => win?.webContents ?? null);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        burst: (n) => void source.burst(n),
        toggleKiosk: () => win?.setKiosk(!win.isKiosk()),
      }),
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
