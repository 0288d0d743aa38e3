/**
 * A typed fake of the parts of the `electron` module that livewall's shell uses, so the shell runs
 * in Node (the Electron binary cannot be downloaded on CI machines). Each member implements the
 * real type's subset; tests read what the shell did through the `fake` handles.
 */
import type {
  SafeStorage,
  BrowserWindowConstructorOptions,
  HandlerDetails,
  IpcMain,
  IpcMainInvokeEvent,
  MenuItemConstructorOptions,
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
}

export class FakeWebContents extends Emitter implements Pick<WebContents, 'send' | 'isDestroyed'> {
  readonly sent: { channel: string; payload: unknown }[] = [];
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, payload: args[0] });
  }
  isDestroyed(): boolean {
    return false;
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
}

export class BrowserWindow extends Emitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  loaded: { url?: string; file?: string } = {};
  private kiosk: boolean;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.kiosk = options.kiosk ?? false;
    BrowserWindow.instances.push(this);
  }
  show(): void {
    this.visible = true;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = { url };
  }
  async loadFile(file: string): Promise<void> {
    this.loaded = { file };
  }
  setKiosk(flag: boolean): void {
    this.kiosk = flag;
  }
  isKiosk(): boolean {
    return this.kiosk;
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
  /** What ipcRenderer.invoke would get back. */
  async invoke(channel: string, payload?: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h({} as IpcMainInvokeEvent, payload);
  }
}
export const ipcMain = new FakeIpcMain();

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
  getPath(name: 'userData'): string {
    if (name !== 'userData') throw new Error(`fake app.getPath knows userData only, not ${name}`);
    return this.userData;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** The test says when Electron is ready. */
  fireReady(): void {
    this.ready();
  }
  quit(): void {
    this.quitCalled = true;
  }
}
export const app = new FakeApp();

/**
 * safeStorage with a reversible stand-in for the OS keychain: what it seals is not the plain
 * text (so a test can check the file never holds the password), and `available` can be turned off.
 */
export const safeStorage = {
  available: true as boolean,
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
} satisfies Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  available: boolean;
};
