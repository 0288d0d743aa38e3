/** The shell's pure decisions, as tables: no Electron, no fake. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/main/app/config';
import {
  applyAutostart,
  autostartFile,
  autostartPlan,
  desktopEntry,
  execArg,
} from '../../../src/main/shell/autostart';
import {
  afterCrash,
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  CRASH_WINDOW_MS,
  NO_CRASHES,
  RELOAD_DELAY_MS,
  type CrashHistory,
} from '../../../src/main/shell/crashRecovery';
import {
  chooseDisplay,
  displaysAfter,
  type ChosenDisplay,
  type DisplayInfo,
} from '../../../src/main/shell/displayChoice';
import { sealKind } from '../../../src/main/shell/keychain';
import {
  CURSOR_IDLE_MS,
  cursorOnActivity,
  cursorOnTick,
  kioskWanted,
  shouldPreventClose,
} from '../../../src/main/shell/kioskPolicy';
import { menuTemplate } from '../../../src/main/shell/menu';
import {
  builtIndexHtml,
  devServerUrl,
  isAllowedNavigation,
} from '../../../src/main/shell/navigation';
import { windowOptions } from '../../../src/main/shell/window';
import { ROOT } from '../../support/livewall';

const INDEX = '/opt/livewall/resources/app.asar/out/renderer/index.html';
const prod = { indexHtml: INDEX, devServerUrl: undefined };
const dev = { indexHtml: INDEX, devServerUrl: 'http://localhost:5173/' };

describe('isAllowedNavigation: only the app page', () => {
  test.each([
    [`file://${INDEX}`, prod, true],
    [`file://${INDEX}#top`, prod, true],
    ['file:///opt/livewall/resources/app.asar/out/renderer/../renderer/index.html', prod, true],
    [`file://${INDEX}?x=1`, prod, false],
    ['file:///etc/passwd', prod, false],
    ['file:///opt/livewall/resources/app.asar/out/renderer/other.html', prod, false],
    ['file:///opt/livewall/resources/app.asar/out/renderer%2Findex.html', prod, false],
    [`file://evil.example${INDEX}`, prod, false],
    ['https://example.com/', prod, false],
    ['http://localhost:5173/', prod, false],
    ['not a url', prod, false],
    ['', prod, false],
    ['http://localhost:5173/', dev, true],
    ['http://localhost:5173/src/main.tsx', dev, true],
    ['http://localhost:5173.evil.example/', dev, false],
    ['http://localhost:5173@evil.example/', dev, false],
    ['http://localhost:5174/', dev, false],
    ['https://localhost:5173/', dev, false],
    [`file://${INDEX}`, dev, false],
    ['file:///etc/passwd', dev, false],
  ])('%s (dev server %o) → %s', (url, pages, want) => {
    expect(isAllowedNavigation(url, pages)).toBe(want);
  });
});

describe('isAllowedNavigation(url, devServerUrl): the built index.html by default', () => {
  const built = pathToFileURL(join(ROOT, 'out', 'renderer', 'index.html')).href;
  test.each([
    [built, undefined, true],
    ['file:///app/out/renderer/index.html', undefined, false],
    ['file:///etc/passwd', undefined, false],
    ['https://example.com', undefined, false],
    ['http://localhost:5173/', 'http://localhost:5173', true],
    ['http://localhost:5173.evil.example/', 'http://localhost:5173', false],
    ['http://localhost:5174/', 'http://localhost:5173', false],
  ])('%s (dev server %s) → %s', (url, devServer, want) => {
    expect(isAllowedNavigation(url, devServer)).toBe(want);
  });

  test('the built page is found from the bundle (out/main) and from the sources', () => {
    expect(builtIndexHtml('/x/out/main')).toBe('/x/out/renderer/index.html');
    expect(builtIndexHtml('/x/src/main/shell')).toBe('/x/out/renderer/index.html');
  });
});

describe('devServerUrl: ELECTRON_RENDERER_URL only when not packaged', () => {
  test.each([
    [false, 'http://localhost:5173', 'http://localhost:5173/'],
    [true, 'http://localhost:5173', undefined],
    [false, undefined, undefined],
    [false, '', undefined],
    [false, 'file:///etc/passwd', undefined],
    [false, 'javascript:alert(1)', undefined],
    [false, 'nonsense', undefined],
  ])('packaged %s, %s → %s', (packaged, env, want) => {
    expect(devServerUrl(packaged, env)).toBe(want);
  });
});

describe('afterCrash: reload quickly, back off a loop', () => {
  const run = (times: number[]): { delays: number[]; loops: boolean[]; last: CrashHistory } => {
    let h = NO_CRASHES;
    const delays: number[] = [];
    const loops: boolean[] = [];
    for (const t of times) {
      const d = afterCrash(h, t);
      h = d.history;
      delays.push(d.delayMs);
      loops.push(d.loop);
    }
    return { delays, loops, last: h };
  };

  test('three crashes within a minute reload at once; the fourth backs off, doubling to a cap', () => {
    const times = [0, 1_000, 2_000, 3_000, 9_000, 20_000, 41_000];
    const { delays, loops } = run(times);
    expect(delays).toEqual([
      RELOAD_DELAY_MS,
      RELOAD_DELAY_MS,
      RELOAD_DELAY_MS,
      BACKOFF_BASE_MS,
      BACKOFF_BASE_MS * 2,
      BACKOFF_BASE_MS * 4,
      BACKOFF_BASE_MS * 8,
    ]);
    expect(loops).toEqual([false, false, false, true, true, true, true]);
  });

  test('the back-off never exceeds its cap', () => {
    const times = Array.from({ length: 20 }, (_, i) => i * 1_000);
    expect(Math.max(...run(times).delays)).toBe(BACKOFF_MAX_MS);
  });

  test('a loop does not fall back to quick reloads just because the pauses grew long', () => {
    // Crashes right after each backed-off reload: the count within a minute drops, the loop stays.
    let h = NO_CRASHES;
    let t = 0;
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const d = afterCrash(h, t);
      h = d.history;
      delays.push(d.delayMs);
      t += d.delayMs + 100;
    }
    expect(delays.slice(3).every((d) => d >= BACKOFF_BASE_MS)).toBe(true);
  });

  test('a page that stayed up a minute after its reload starts from quick reloads again', () => {
    const loop = run([0, 1, 2, 3, 4]).last;
    expect(loop.level).toBeGreaterThan(0);
    const later = (loop.lastReloadAt ?? 0) + CRASH_WINDOW_MS;
    expect(afterCrash(loop, later)).toMatchObject({ delayMs: RELOAD_DELAY_MS, loop: false });
  });
});

describe('chooseDisplay: the configured screen, the primary when it is gone', () => {
  const a: DisplayInfo = { id: 10, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
  const b: DisplayInfo = { id: 20, bounds: { x: 1920, y: 0, width: 3840, height: 2160 } };
  const c: DisplayInfo = { id: 30, bounds: { x: 5760, y: 0, width: 1280, height: 1024 } };
  const b2: DisplayInfo = { id: 21, bounds: b.bounds };
  test.each<
    [
      string,
      DisplayInfo[],
      number | undefined,
      number | null,
      ChosenDisplay | null,
      number | null,
      boolean,
    ]
  >([
    ['no setting: the primary', [a, b], 20, null, null, 20, false],
    ['no setting, primary unknown: the first', [a, b], undefined, null, null, 10, false],
    ['display 2 of 2', [a, b], 10, 2, null, 20, false],
    ['display 1', [a, b], 20, 1, null, 10, false],
    ['display 3 of 2: the primary stands in', [a, b], 10, 3, null, 10, true],
    ['display 2 gone: the primary', [a], 10, 2, { id: 20, count: 2 }, 10, true],
    ['display 2 back, same id', [a, b], 10, 2, { id: 20, count: 2 }, 20, false],
    ['display 2 back under a new id', [a, b2], 10, 2, { id: 20, count: 2 }, 21, false],
    [
      'display 2 of 3 gone: the primary, not screen 3',
      [a, c],
      10,
      2,
      { id: 20, count: 3 },
      10,
      true,
    ],
    [
      'display 2 moved in the order: followed by id',
      [b, a],
      10,
      2,
      { id: 20, count: 2 },
      20,
      false,
    ],
    ['nothing listed', [], undefined, 2, null, null, false],
  ])('%s', (_name, displays, primary, wanted, chosen, wantId, fallback) => {
    const d = chooseDisplay(displays, primary, wanted, chosen);
    expect(d?.display.id ?? null).toBe(wantId);
    if (d) expect(d.fallback).toBe(fallback);
  });

  test('displaysAfter drops a removed screen and adds a new one Electron has not listed yet', () => {
    expect(displaysAfter([a, b], { removed: b }).map((d) => d.id)).toEqual([10]);
    expect(displaysAfter([a], { added: b }).map((d) => d.id)).toEqual([10, 20]);
    expect(displaysAfter([a, b], { added: b }).map((d) => d.id)).toEqual([10, 20]);
  });
});

describe('autostart', () => {
  test.each([
    ['/opt/livewall/livewall', '/opt/livewall/livewall'],
    ['/home/wall/Apps/livewall.AppImage', '/home/wall/Apps/livewall.AppImage'],
    ['/home/my wall/livewall', '"/home/my wall/livewall"'],
    ['/a/b$c', '"/a/b\\\\$c"'],
    ['/a/"q"', '"/a/\\\\"q\\\\""'],
    ['/a/back\\slash', '"/a/back\\\\\\\\slash"'],
    ['/a/100%', '/a/100%%'],
    ["/a/it's", '"/a/it\'s"'],
    ['/a/x`y`', '"/a/x\\\\`y\\\\`"'],
    ['', '""'],
  ])('Exec argument %s → %s', (arg, want) => {
    expect(execArg(arg)).toBe(want);
  });

  test('the desktop entry starts the program, in no terminal', () => {
    expect(desktopEntry(['/opt/livewall/livewall'])).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=livewall',
        'Comment=Real-time big screen for streaming order data',
        'Exec=/opt/livewall/livewall',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  test.each([
    [{ XDG_CONFIG_HOME: '/x/cfg' }, '/x/cfg/autostart/livewall.desktop'],
    [{}, '/home/wall/.config/autostart/livewall.desktop'],
    [{ XDG_CONFIG_HOME: '' }, '/home/wall/.config/autostart/livewall.desktop'],
    [{ XDG_CONFIG_HOME: 'relative/cfg' }, '/home/wall/.config/autostart/livewall.desktop'],
  ])('the entry for %o lives at %s', (env, want) => {
    expect(autostartFile(env, '/home/wall')).toBe(want);
  });

  const base = { execPath: '/opt/livewall/livewall', home: '/home/wall', env: {} };
  test.each([
    [
      'linux, on',
      { ...base, platform: 'linux' as const, autostart: true },
      'desktop-file',
      'Exec=/opt/livewall/livewall',
    ],
    [
      'linux AppImage, on',
      {
        ...base,
        platform: 'linux' as const,
        autostart: true,
        env: { APPIMAGE: '/home/wall/livewall.AppImage' },
      },
      'desktop-file',
      'Exec=/home/wall/livewall.AppImage',
    ],
    ['linux, off', { ...base, platform: 'linux' as const, autostart: false }, 'desktop-file', null],
    ['windows, on', { ...base, platform: 'win32' as const, autostart: true }, 'login-item', true],
    ['macOS, off', { ...base, platform: 'darwin' as const, autostart: false }, 'login-item', false],
  ])('%s', (_name, input, kind, want) => {
    const plan = autostartPlan(input);
    expect(plan.kind).toBe(kind);
    if (plan.kind === 'desktop-file') {
      expect(plan.path).toBe('/home/wall/.config/autostart/livewall.desktop');
      if (want === null) expect(plan.content).toBeNull();
      else expect(plan.content).toContain(`\n${String(want)}\n`);
    } else {
      expect(plan.openAtLogin).toBe(want);
    }
  });
});

describe('kiosk rules', () => {
  test.each([
    [false, {}, false],
    [true, {}, true],
    [false, { LIVEWALL_KIOSK: '1' }, true],
    [false, { LIVEWALL_KIOSK: '0' }, false],
    [false, { LIVEWALL_KIOSK: 'yes' }, false],
  ])('config kiosk %s, env %o → %s', (config, env, want) => {
    expect(kioskWanted(config, env)).toBe(want);
  });

  test.each([
    [true, false, true],
    [true, true, false],
    [false, false, false],
    [false, true, false],
  ])('kiosk %s, quitting %s → close prevented %s', (kiosk, quitting, want) => {
    expect(shouldPreventClose({ kiosk, quitting })).toBe(want);
  });

  test('the cursor hides after 3 s without activity in kiosk, and shows on activity', () => {
    let s = { hidden: false, lastActivityAt: 0 };
    const steps: (string | null)[] = [];
    const tick = (now: number, kiosk = true): void => {
      const r = cursorOnTick(s, now, kiosk);
      s = r.state;
      steps.push(r.action);
    };
    const move = (now: number): void => {
      const r = cursorOnActivity(s, now);
      s = r.state;
      steps.push(r.action);
    };
    tick(CURSOR_IDLE_MS - 1);
    tick(CURSOR_IDLE_MS);
    tick(CURSOR_IDLE_MS + 500);
    move(CURSOR_IDLE_MS + 600);
    move(CURSOR_IDLE_MS + 700);
    tick(2 * CURSOR_IDLE_MS + 700);
    tick(2 * CURSOR_IDLE_MS + 800, false);
    tick(9 * CURSOR_IDLE_MS, false);
    expect(steps).toEqual([null, 'hide', null, 'show', null, 'hide', 'show', null]);
  });

  test('the kiosk menu has Quit and the bursts, nothing else', () => {
    const actions = { burst: () => undefined, toggleKiosk: () => undefined, quit: () => undefined };
    const targets = [{ id: 'embedded' as const, label: 'Embedded demo' }];
    const kiosk = menuTemplate(actions, targets, { kiosk: true, devTools: true });
    expect(JSON.parse(JSON.stringify(kiosk))).toEqual([
      { label: 'livewall', submenu: [{ label: 'Quit', accelerator: 'Ctrl+Alt+Shift+Q' }] },
      {
        label: 'Demo',
        submenu: [
          { label: 'Demo burst: 100 orders' },
          { label: 'Demo burst: 1 000 orders' },
          { label: 'Demo burst: 10 000 orders' },
        ],
      },
    ]);
    const desk = menuTemplate(actions, targets, { kiosk: false, devTools: false });
    expect(JSON.stringify(desk)).not.toContain('toggleDevTools');
    expect(
      JSON.stringify(menuTemplate(actions, targets, { kiosk: false, devTools: true })),
    ).toContain('toggleDevTools');
  });

  test('windowOptions: kiosk and DevTools follow the settings; the window covers the screen', () => {
    const bounds = { x: 1920, y: 0, width: 3840, height: 2160 };
    const o = windowOptions({ preloadPath: 'p', kiosk: false, devTools: false, bounds });
    expect(o).toMatchObject({ ...bounds, kiosk: false, fullscreen: true, show: false });
    expect(o.webPreferences?.devTools).toBe(false);
    expect(windowOptions({ preloadPath: 'p', kiosk: true, devTools: true })).toMatchObject({
      width: 1920,
      height: 1080,
      kiosk: true,
      webPreferences: { devTools: true },
    });
  });
});

describe('sealKind: basic_text is a fixed key, not a keychain', () => {
  test.each([
    ['linux', 'basic_text', 'fixed-key'],
    ['linux', 'gnome_libsecret', 'os-keychain'],
    ['linux', 'kwallet5', 'os-keychain'],
    ['linux', undefined, 'os-keychain'],
    ['win32', 'basic_text', 'os-keychain'],
    ['darwin', undefined, 'os-keychain'],
  ] as const)('%s %s → %s', (platform, backend, want) => {
    expect(sealKind(platform, backend)).toBe(want);
  });
});

describe('config: display and autostart', () => {
  test.each([
    [{}, { display: null, autostart: false }],
    [{ display: 2 }, { display: 2 }],
    [{ display: 1 }, { display: 1 }],
    [{ autostart: true }, { autostart: true }],
    [{ autostart: false }, { autostart: false }],
  ])('%o is read as %o', (input, want) => {
    const r = parseConfig(input);
    expect(r.ok && r.value).toMatchObject(want);
  });

  test.each([
    [{ display: 0 }, /"display" must be a screen number/],
    [{ display: -1 }, /"display" must be a screen number/],
    [{ display: 1.5 }, /"display" must be a screen number/],
    [{ display: '2' }, /"display" must be a screen number/],
    [{ autostart: 'yes' }, /"autostart" must be true or false/],
    [{ autostart: 1 }, /"autostart" must be true or false/],
  ])('%o is refused', (input, error) => {
    const r = parseConfig(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});

describe('applyAutostart', () => {
  test('writes the entry once, leaves an identical one alone, and removes it when off', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwauto-'));
    try {
      const path = join(dir, 'autostart', 'livewall.desktop');
      const on = { kind: 'desktop-file' as const, path, content: desktopEntry(['/opt/lw']) };
      expect(applyAutostart(on, {})).toBe(`starts at login: wrote ${path}`);
      expect(readFileSync(path, 'utf8')).toBe(on.content);
      expect(applyAutostart(on, {})).toBeNull();
      const off = { kind: 'desktop-file' as const, path, content: null };
      expect(applyAutostart(off, {})).toBe(`no longer starts at login: removed ${path}`);
      expect(existsSync(path)).toBe(false);
      expect(applyAutostart(off, {})).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Windows and macOS set the login item', () => {
    const calls: unknown[] = [];
    const app = { setLoginItemSettings: (s: { openAtLogin: boolean }) => calls.push(s) };
    applyAutostart({ kind: 'login-item', openAtLogin: true }, app);
    applyAutostart({ kind: 'login-item', openAtLogin: false }, app);
    expect(calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
  });
});
