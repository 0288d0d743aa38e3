/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it hooks require('electron') */
/*
 * Loads the BUILT out/main/index.js with a recording stand-in for `electron` (not the typed fake:
 * plain EventEmitters, the way an outside check would write one), emits Electron's events in the
 * order an app lives them, and writes what the shell did to $STANDIN_OUT as JSON.
 *
 * STANDIN_MODE: `whenReady` (app.whenReady exists) or `event` (only the 'ready' event);
 * STANDIN_LOCK=0: another instance holds the single-instance lock.
 */
'use strict';
const { EventEmitter } = require('node:events');
const { writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const rec = {
  calls: [],
  windows: 0,
  reloadDelaysMs: [],
  errors: [],
};
const call = (what, ...args) => rec.calls.push([what, ...args]);

const app = new EventEmitter();
let readyResolve;
const ready = new Promise((r) => (readyResolve = r));
if (process.env.STANDIN_MODE === 'whenReady') app.whenReady = () => ready;
app.isPackaged = false;
app.getPath = () => process.env.STANDIN_USERDATA;
app.requestSingleInstanceLock = () => {
  call('requestSingleInstanceLock');
  return process.env.STANDIN_LOCK !== '0';
};
app.quit = () => call('quit');
app.setLoginItemSettings = (s) => call('setLoginItemSettings', s);

const windows = [];
class WebContents extends EventEmitter {
  constructor() {
    super();
    this.reloads = 0;
  }
  setWindowOpenHandler() {}
  send() {}
  isDestroyed() {
    return false;
  }
  reload() {
    this.reloads += 1;
    call('webContents.reload');
  }
}
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.minimized = false;
    rec.windows += 1;
    call('new BrowserWindow', { kiosk: options.kiosk, fullscreen: options.fullscreen });
    windows.push(this);
  }
  loadFile(f) {
    call('loadFile', f);
    return Promise.resolve();
  }
  loadURL(u) {
    call('loadURL', u);
    return Promise.resolve();
  }
  show() {
    call('show');
  }
  focus() {
    call('focus');
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
    call('restore');
  }
  isKiosk() {
    return this.options.kiosk === true;
  }
  setKiosk(k) {
    call('setKiosk', k);
  }
  setFullScreen(f) {
    call('setFullScreen', f);
  }
  setBounds(b) {
    call('setBounds', b);
  }
}
const screen = new EventEmitter();
const d1 = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
const d2 = { id: 2, bounds: { x: 1920, y: 0, width: 2560, height: 1440 } };
let displays = [d1, d2];
screen.getAllDisplays = () => displays;
screen.getPrimaryDisplay = () => d1;

const standIn = {
  app,
  BrowserWindow,
  screen,
  ipcMain: { handle: (c) => call('ipcMain.handle', c), removeHandler() {} },
  Menu: {
    buildFromTemplate: (t) => t,
    setApplicationMenu: (m) =>
      call(
        'setApplicationMenu',
        m.map((x) => x.label),
      ),
  },
  powerSaveBlocker: { start: (t) => (call('powerSaveBlocker.start', t), 1), stop() {} },
  safeStorage: { isEncryptionAvailable: () => false },
  globalShortcut: {
    register: (a) => (call('globalShortcut.register', a), true),
    unregisterAll() {},
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => call('setPermissionRequestHandler'),
      setPermissionCheckHandler: () => call('setPermissionCheckHandler'),
    },
  },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'electron' ? standIn : load.call(this, request, ...rest);
};

const tick = () => new Promise((r) => setImmediate(r));
async function until(what, ok, ms) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main() {
  require(join(root, 'out', 'main', 'index.js'));
  call('mark', 'ready');
  app.emit('ready', {}, {});
  readyResolve();
  await tick();
  await tick();
  const win = windows[0];
  if (process.env.STANDIN_LOCK === '0' || !win) return;
  call('mark', 'ready-to-show');
  win.emit('ready-to-show');
  for (const url of ['http://localhost:5173.evil.example/', 'file:///etc/passwd']) {
    let prevented = false;
    const event = { url, preventDefault: () => (prevented = true) };
    win.webContents.emit('will-navigate', event, url);
    call('will-navigate refused', url, prevented);
  }
  call('mark', 'render-process-gone');
  // The delays the shell asks for while it hears the crash: the reload's, not the machine's speed.
  const realSetTimeout = global.setTimeout;
  global.setTimeout = (fn, ms, ...args) => {
    rec.reloadDelaysMs.push(ms);
    return realSetTimeout(fn, ms, ...args);
  };
  try {
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 133 });
  } finally {
    global.setTimeout = realSetTimeout;
  }
  await until('a reload', () => win.webContents.reloads > 0, 20_000);
  call('mark', 'second-instance');
  win.minimized = true;
  app.emit('second-instance', {}, ['livewall'], '/');
  call('mark', 'display-removed');
  displays = [d1];
  screen.emit('display-removed', {}, d2);
  call('mark', 'display-added');
  displays = [d1, d2];
  screen.emit('display-added', {}, d2);
  call('mark', 'end');
}

main()
  .catch((err) => rec.errors.push(String(err && err.stack ? err.stack : err)))
  .finally(() => {
    writeFileSync(process.env.STANDIN_OUT, JSON.stringify(rec));
    process.exit(0);
  });
