/** Crash and hang recovery wiring (src/main/shell/recovery.ts) on the fake window, in fake time. */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { BrowserWindow as ElectronWindow } from 'electron';
import { armRecovery, type Recovery } from '../../../src/main/shell/recovery';
import {
  BACKOFF_BASE_MS,
  CRASH_FALLBACK_MS,
  HANG_LIMIT_MS,
  RELOAD_DELAY_MS,
} from '../../../src/main/shell/crashRecovery';
import { BrowserWindow, fakeEvent } from '../../support/electronFake';

let lines: string[] = [];
let recovery: Recovery | null = null;
let quitting = false;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] });
  lines = [];
  quitting = false;
});
afterEach(() => vi.useRealTimers());

function arm(): BrowserWindow {
  const win = new BrowserWindow({});
  recovery = armRecovery(win as unknown as ElectronWindow, {
    log: (l) => lines.push(l),
    quitting: () => quitting,
  });
  return win;
}

const gone = (win: BrowserWindow, reason = 'crashed'): void =>
  win.webContents.emit('render-process-gone', fakeEvent(), { reason, exitCode: 1 });

describe('crash recovery', () => {
  test('a crash reloads after RELOAD_DELAY_MS, not inside the event', () => {
    const win = arm();
    gone(win);
    expect(win.webContents.reloads).toBe(0);
    vi.advanceTimersByTime(RELOAD_DELAY_MS - 1);
    expect(win.webContents.reloads).toBe(0);
    vi.advanceTimersByTime(1);
    expect(win.webContents.reloads).toBe(1);
  });

  test('more than 3 crashes in a minute back off, and the log says it is a loop', () => {
    const win = arm();
    for (let i = 0; i < 3; i++) {
      gone(win);
      vi.advanceTimersByTime(RELOAD_DELAY_MS);
    }
    expect(win.webContents.reloads).toBe(3);
    gone(win, 'oom');
    vi.advanceTimersByTime(BACKOFF_BASE_MS - 1);
    expect(win.webContents.reloads).toBe(3);
    vi.advanceTimersByTime(1);
    expect(win.webContents.reloads).toBe(4);
    expect(lines.at(-1)).toMatch(/\(oom, exit code 1\); crash loop .*reloading in 5 s/);
    expect(
      lines.slice(0, 3).every((l) => /\(crashed, exit code 1\); reloading in 500 ms/.test(l)),
    ).toBe(true);
  });

  test('no reload while the app quits', () => {
    const win = arm();
    quitting = true;
    gone(win, 'clean-exit');
    vi.advanceTimersByTime(60_000);
    expect(win.webContents.reloads).toBe(0);
  });

  test('unresponsive for 10 s: the renderer is crashed, and its crash reloads it once', () => {
    const win = arm();
    win.webContents.emit('unresponsive');
    vi.advanceTimersByTime(HANG_LIMIT_MS - 1);
    expect(win.webContents.crashes).toBe(0);
    vi.advanceTimersByTime(1);
    expect(win.webContents.crashes).toBe(1);
    vi.advanceTimersByTime(CRASH_FALLBACK_MS + RELOAD_DELAY_MS);
    expect(win.webContents.reloads).toBe(1);
    expect(lines[0]).toMatch(/has not responded for 10 s/);
  });

  test('a renderer that responds again within 10 s is left alone', () => {
    const win = arm();
    win.webContents.emit('unresponsive');
    vi.advanceTimersByTime(HANG_LIMIT_MS - 1_000);
    win.webContents.emit('responsive');
    vi.advanceTimersByTime(60_000);
    expect(win.webContents.crashes).toBe(0);
    expect(win.webContents.reloads).toBe(0);
  });

  test('if crashing the hung renderer brings no render-process-gone, it is reloaded anyway', () => {
    const win = arm();
    win.webContents.forcefullyCrashRenderer = () => undefined;
    win.webContents.emit('unresponsive');
    vi.advanceTimersByTime(HANG_LIMIT_MS + CRASH_FALLBACK_MS + RELOAD_DELAY_MS);
    expect(win.webContents.reloads).toBe(1);
  });

  test('one crash heard on the web contents and on app (same event) reloads once', () => {
    const win = arm();
    const event = fakeEvent();
    win.webContents.emit('render-process-gone', event, { reason: 'crashed', exitCode: 1 });
    recovery?.gone(event, { reason: 'crashed', exitCode: 1 });
    vi.advanceTimersByTime(60_000);
    expect(win.webContents.reloads).toBe(1);
    expect(lines).toHaveLength(1);
  });

  test('a crash heard only on app reloads too', () => {
    const win = arm();
    recovery?.gone(fakeEvent(), { reason: 'launch-failed', exitCode: 1 });
    vi.advanceTimersByTime(RELOAD_DELAY_MS);
    expect(win.webContents.reloads).toBe(1);
  });
});
