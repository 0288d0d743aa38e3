/**
 * A typed fake of the parts of the `electron` module that livewall's shell uses, so the shell runs
 * in Node (the Electron binary cannot be downloaded on CI machines). Each member implements the
 * real type's subset; tests read what the shell did through the `fake` handles and emit Electron's
 * events through them.
 *
 * State lives in this module: a test that wants a fresh app calls `vi.resetModules()` and imports
 * both this fake and src/main/index again, so no test sees another's window, handlers or menu.
 */
import { pathToFileURL } from 'node:url';
import type {
  SafeStorage,
  BrowserWindowConstructorOptions,
  Display,
  HandlerDetails,
  IpcMain,
  IpcMainInvokeEvent,
  IpcRenderer,
  MenuItemConstructorOptions,
  Rectangle,
  Session,
  WebContents,
  WindowOpenHandlerResponse,
} from 'electron';

type Listener = (...args: unknown[]) => void;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }
  off(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** An Electron event object: says whether a listener called preventDefault. */
export function fakeEvent<T extends object>(
  fields: T = {} as T,
): T & {
  preventDefault(): void;
  defaultPrevented: boolean;
} {
  const e = {
    ...fields,
    defaultPrevented: false,
    preventDefault(): void {
      e.defaultPrevented = true;
    },
  };
  return e;
}

type PermissionRequest = Parameters<Session['setPermissionRequestHandler']>[0];
type PermissionCheck = Parameters<Session['setPermissionCheckHandler']>[0];

class FakeSession implements Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler'
> {
  requestHandler: PermissionRequest = null;
  checkHandler: PermissionCheck = null;
  setPermissionRequestHandler(handler: PermissionRequest): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheck): void {
    this.checkHandler = handler;
  }
}

export const session = { defaultSession: new FakeSession() };

export class FakeWebContents
  extends Emitter
  implements
    Pick<
      WebContents,
      | 'send'
      | 'isDestroyed'
      | 'reload'
      | 'forcefullyCrashRenderer'
      | 'insertCSS'
      | 'removeInsertedCSS'
      | 'getURL'
      | 'getType'
      | 'closeDevTools'
    >
{
  readonly sent: { channel: string; payload: unknown }[] = [];
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  reloads = 0;
  crashes = 0;
  devToolsClosed = 0;
  /** Stylesheets main injected, by key. */
  readonly css = new Map<string, string>();
  url = '';
  private cssKeys = 0;
  constructor(private readonly type: ReturnType<WebContents['getType']> = 'window') {
    super();
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, payload: args[0] });
    // Like Electron: the page's ipcRenderer listeners on the channel get it.
    ipcRenderer.emit(channel, fakeEvent(), ...args);
  }
  isDestroyed(): boolean {
    return false;
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  reload(): void {
    this.reloads += 1;
  }
  /** Like Electron: the renderer dies, and render-process-gone follows on a later turn. */
  forcefullyCrashRenderer(): void {
    this.crashes += 1;
    setImmediate(() =>
      this.emit('render-process-gone', fakeEvent(), { reason: 'killed', exitCode: 9 }),
    );
  }
  async insertCSS(css: string): Promise<string> {
    const key = `css-${++this.cssKeys}`;
    this.css.set(key, css);
    return key;
  }
  async removeInsertedCSS(key: string): Promise<void> {
    this.css.delete(key);
  }
  getURL(): string {
    return this.url;
  }
  getType(): ReturnType<WebContents['getType']> {
    return this.type;
  }
  closeDevTools(): void {
    this.devToolsClosed += 1;
  }
}

export class BrowserWindow extends Emitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  focused = false;
  minimized = false;
  fullScreen: boolean;
  bounds: Rectangle;
  /** Every setBounds, in order. */
  readonly boundsSet: Rectangle[] = [];
  loaded: { url?: string; file?: string } = {};
  private kiosk: boolean;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.kiosk = options.kiosk ?? false;
    this.fullScreen = options.fullscreen ?? false;
    this.bounds = {
      x: options.x ?? 0,
      y: options.y ?? 0,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    BrowserWindow.instances.push(this);
    // Like Electron: the app hears of every new web contents.
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return false;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = { url };
    this.webContents.url = url;
  }
  async loadFile(file: string): Promise<void> {
    this.loaded = { file };
    this.webContents.url = pathToFileURL(file).href;
  }
  reload(): void {
    this.webContents.reload();
  }
  setKiosk(flag: boolean): void {
    this.kiosk = flag;
  }
  isKiosk(): boolean {
    return this.kiosk;
  }
  setFullScreen(flag: boolean): void {
    this.fullScreen = flag;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  setBounds(bounds: Partial<Rectangle>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.boundsSet.push(this.bounds);
  }
  getBounds(): Rectangle {
    return this.bounds;
  }
}

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

class FakeIpcMain implements Pick<IpcMain, 'handle' | 'removeHandler'> {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, listener: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /**
   * What ipcRenderer.invoke would get back. The sender is the first window's page unless the test
   * names another frame URL (or a subframe, with `parent`).
   */
  async invoke(
    channel: string,
    payload?: unknown,
    sender?: { url: string; parent?: object | null },
  ): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    const frame = sender ?? {
      url: BrowserWindow.instances[0]?.webContents.url ?? '',
      parent: null,
    };
    return h({ senderFrame: frame } as unknown as IpcMainInvokeEvent, payload);
  }
}
export const ipcMain = new FakeIpcMain();

type RendererListener = Parameters<IpcRenderer['on']>[1];

/**
 * The page's side, as the preload holds it: pushes a webContents sends, invokes to ipcMain. (Not
 * `implements`: Electron's on/removeListener return the whole IpcRenderer.)
 */
class FakeIpcRenderer implements Pick<IpcRenderer, 'invoke'> {
  private readonly emitter = new Emitter();
  on(channel: string, listener: RendererListener): this {
    this.emitter.on(channel, listener as Listener);
    return this;
  }
  removeListener(channel: string, listener: RendererListener): this {
    this.emitter.off(channel, listener as Listener);
    return this;
  }
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return ipcMain.invoke(channel, args[0]);
  }
  emit(channel: string, ...args: unknown[]): void {
    this.emitter.emit(channel, ...args);
  }
  listenerCount(channel: string): number {
    return this.emitter.listenerCount(channel);
  }
}
export const ipcRenderer = new FakeIpcRenderer();

/** What the preload exposed to the page, by key (`livewall`). */
export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

export const Menu = {
  current: null as { template: MenuItemConstructorOptions[] } | null,
  buildFromTemplate(template: MenuItemConstructorOptions[]): {
    template: MenuItemConstructorOptions[];
  } {
    return { template };
  },
  setApplicationMenu(menu: { template: MenuItemConstructorOptions[] } | null): void {
    Menu.current = menu;
  },
};

class FakeApp extends Emitter {
  private ready: () => void = () => undefined;
  private readonly readyPromise = new Promise<void>((resolve) => (this.ready = resolve));
  quitCalled = false;
  /** The test's data folder (set before the shell loads). */
  userData = '';
  /** False: another instance holds the lock, so this launch is the second. */
  lockAvailable = true;
  lockRequested = false;
  isPackaged = false;
  readonly loginItems: { openAtLogin: boolean }[] = [];
  getPath(name: 'userData'): string {
    if (name !== 'userData') throw new Error(`fake app.getPath knows userData only, not ${name}`);
    return this.userData;
  }
  requestSingleInstanceLock(): boolean {
    this.lockRequested = true;
    return this.lockAvailable;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** The test says when Electron is ready: the 'ready' event, then whenReady resolves. */
  fireReady(): void {
    this.emit('ready', fakeEvent(), {});
    this.ready();
  }
  quit(): void {
    this.quitCalled = true;
  }
  relaunchCalled = false;
  relaunch(): void {
    this.relaunchCalled = true;
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItems.push(settings);
  }
}
export const app = new FakeApp();

export const powerSaveBlocker = {
  started: [] as { id: number; type: string }[],
  stopped: [] as number[],
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number {
    const id = powerSaveBlocker.started.length + 1;
    powerSaveBlocker.started.push({ id, type });
    return id;
  },
  stop(id: number): boolean {
    powerSaveBlocker.stopped.push(id);
    return true;
  },
  isStarted(id: number): boolean {
    return (
      powerSaveBlocker.started.some((s) => s.id === id) && !powerSaveBlocker.stopped.includes(id)
    );
  },
};

/** A screen of the given bounds; ids are the test's. */
export function display(id: number, bounds: Rectangle): Display {
  return { id, bounds, workArea: bounds, scaleFactor: 1 } as Display;
}

class FakeScreen extends Emitter {
  displays: Display[] = [display(1, { x: 0, y: 0, width: 1920, height: 1080 })];
  primaryId = 1;
  getAllDisplays(): Display[] {
    return [...this.displays];
  }
  getPrimaryDisplay(): Display {
    return this.displays.find((d) => d.id === this.primaryId) ?? (this.displays[0] as Display);
  }
  /** A screen plugged in: listed first, then the event, as Electron does. */
  add(d: Display): void {
    this.displays = [...this.displays, d].sort((a, b) => a.id - b.id);
    this.emit('display-added', fakeEvent(), d);
  }
  remove(id: number): void {
    const d = this.displays.find((x) => x.id === id);
    this.displays = this.displays.filter((x) => x.id !== id);
    this.emit('display-removed', fakeEvent(), d);
  }
}
export const screen = new FakeScreen();

export const globalShortcut = {
  registered: new Map<string, () => void>(),
  /** Accelerators another program holds. */
  taken: new Set<string>(),
  register(accelerator: string, callback: () => void): boolean {
    if (globalShortcut.taken.has(accelerator)) return false;
    globalShortcut.registered.set(accelerator, callback);
    return true;
  },
  unregisterAll(): void {
    globalShortcut.registered.clear();
  },
};

/**
 * safeStorage with a reversible stand-in for the OS keychain: what it seals is not the plain
 * text (so a test can check the file never holds the password), and `available` can be turned off.
 * `backend` is what Linux's getSelectedStorageBackend reports.
 */
export const safeStorage = {
  available: true as boolean,
  backend: 'gnome_libsecret' as ReturnType<SafeStorage['getSelectedStorageBackend']>,
  isEncryptionAvailable(): boolean {
    return safeStorage.available;
  },
  encryptString(plain: string): Buffer {
    return Buffer.from(`sealed:${Buffer.from(plain, 'utf8').toString('hex')}`);
  },
  decryptString(sealed: Buffer): string {
    const text = sealed.toString();
    if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext');
    return Buffer.from(text.slice(7), 'hex').toString('utf8');
  },
  getSelectedStorageBackend(): ReturnType<SafeStorage['getSelectedStorageBackend']> {
    return safeStorage.backend;
  },
} satisfies Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
> & {
  available: boolean;
  backend: string;
};
