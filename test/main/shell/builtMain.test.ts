/**
 * The built app (out/main/index.js, as `npm test` builds it) under a recording stand-in for
 * `electron` in a child Node process: the way an outside check loads it. The stand-in is plain
 * EventEmitters, not the typed fake, so the shell must cope with what a real `electron` offers
 * and nothing more (builtMainStandIn.cjs).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runToCompletion } from '../../support/processes';
import { ROOT } from '../../support/livewall';

const built = join(ROOT, 'out', 'main', 'index.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Record {
  calls: unknown[][];
  windows: number;
  /** The setTimeout delays the shell asked for inside render-process-gone. */
  reloadDelaysMs: number[];
  errors: string[];
}

async function run(env: NodeJS.ProcessEnv): Promise<{ rec: Record; dir: string }> {
  if (!existsSync(built)) throw new Error(`${built} is missing: run npx electron-vite build`);
  const dir = mkdtempSync(join(tmpdir(), 'lwbuilt-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'livewall.config.json'),
    JSON.stringify({ demoRate: 0, display: 2, autostart: true }),
  );
  await runToCompletion(
    'out/main/index.js under a stand-in electron',
    process.execPath,
    [join(__dirname, 'builtMainStandIn.cjs')],
    {
      env: {
        ...process.env,
        LIVEWALL_CONFIG: join(dir, 'livewall.config.json'),
        LIVEWALL_KIOSK: '1',
        XDG_CONFIG_HOME: join(dir, 'xdg'),
        APPIMAGE: '',
        ELECTRON_RENDERER_URL: '',
        STANDIN_USERDATA: dir,
        STANDIN_OUT: join(dir, 'record.json'),
        ...env,
      },
      timeoutMs: 30_000,
    },
  );
  return { rec: JSON.parse(readFileSync(join(dir, 'record.json'), 'utf8')) as Record, dir };
}

/** The calls between two marks the stand-in wrote. */
const between = (rec: Record, from: string, to: string): unknown[][] => {
  const i = rec.calls.findIndex((c) => c[0] === 'mark' && c[1] === from);
  const j = rec.calls.findIndex((c) => c[0] === 'mark' && c[1] === to);
  return rec.calls.slice(i + 1, j);
};

describe.each(['whenReady', 'event'])('the built main, ready through %s', (mode) => {
  test('one kiosk window that recovers, comes forward and follows its screen', async () => {
    const { rec, dir } = await run({ STANDIN_MODE: mode });
    expect(rec.errors).toEqual([]);
    expect(rec.calls[0]).toEqual(['requestSingleInstanceLock']);
    expect(rec.windows).toBe(1);
    expect(rec.calls).toContainEqual(['new BrowserWindow', { kiosk: true, fullscreen: true }]);
    expect(rec.calls).toContainEqual(['setApplicationMenu', ['livewall', 'Demo']]);
    expect(rec.calls).toContainEqual(['globalShortcut.register', 'Ctrl+Alt+Shift+Q']);
    expect(rec.calls).toContainEqual(['setPermissionRequestHandler']);
    // Full screen on screen 2 from the start.
    expect(between(rec, 'ready', 'ready-to-show')).toContainEqual([
      'setBounds',
      { x: 1920, y: 0, width: 2560, height: 1440 },
    ]);
    expect(between(rec, 'ready-to-show', 'render-process-gone')).toEqual([
      ['show'],
      ['setKiosk', true],
      ['powerSaveBlocker.start', 'prevent-display-sleep'],
      ['will-navigate refused', 'http://localhost:5173.evil.example/', true],
      ['will-navigate refused', 'file:///etc/passwd', true],
    ]);
    // One reload, scheduled within 2 s (not inside the event), and it happened.
    expect(rec.reloadDelaysMs).toHaveLength(1);
    expect(rec.reloadDelaysMs[0]).toBeGreaterThan(0);
    expect(rec.reloadDelaysMs[0]).toBeLessThan(2_000);
    expect(between(rec, 'render-process-gone', 'second-instance')).toContainEqual([
      'webContents.reload',
    ]);
    expect(between(rec, 'second-instance', 'display-removed')).toEqual([
      ['restore'],
      ['show'],
      ['focus'],
    ]);
    const left = { x: 0, y: 0, width: 1920, height: 1080 };
    const right = { x: 1920, y: 0, width: 2560, height: 1440 };
    expect(between(rec, 'display-removed', 'display-added')).toEqual([
      ['setKiosk', false],
      ['setFullScreen', false],
      ['setBounds', left],
      ['setFullScreen', true],
      ['setKiosk', true],
    ]);
    expect(between(rec, 'display-added', 'end')).toContainEqual(['setBounds', right]);
    const entry = readFileSync(join(dir, 'xdg', 'autostart', 'livewall.desktop'), 'utf8');
    expect(entry).toContain(`\nExec=${process.execPath}\n`);
  });
});

test('a second launch of the built main quits and opens no window', async () => {
  const { rec } = await run({ STANDIN_MODE: 'whenReady', STANDIN_LOCK: '0' });
  expect(rec.errors).toEqual([]);
  expect(rec.calls).toEqual([['requestSingleInstanceLock'], ['quit'], ['mark', 'ready']]);
  expect(rec.windows).toBe(0);
});
