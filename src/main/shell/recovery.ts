/**
 * Crash and hang recovery for the wall's window: a renderer that went away is reloaded, one that
 * hangs for HANG_LIMIT_MS is crashed and reloaded, and a crash loop backs off (crashRecovery.ts
 * decides; this file only wires Electron's events to it).
 */
import type { BrowserWindow } from 'electron';
import {
  afterCrash,
  crashLogLine,
  CRASH_FALLBACK_MS,
  HANG_LIMIT_MS,
  NO_CRASHES,
  type CrashHistory,
} from './crashRecovery';

export interface RecoveryOptions {
  log(line: string): void;
  /** True once the app is quitting: a renderer going away then is expected. */
  quitting(): boolean;
  now?: () => number;
}

export interface Recovery {
  /** A render-process-gone heard elsewhere (app's event); one crash is handled once. */
  gone(event: unknown, details: { reason?: unknown; exitCode?: unknown } | undefined): void;
  /** Disarms every timer. */
  stop(): void;
}

/** Reloads the window's page when its renderer dies or hangs. */
export function armRecovery(win: BrowserWindow, opts: RecoveryOptions): Recovery {
  const now = opts.now ?? Date.now;
  const wc = win.webContents;
  let history: CrashHistory = NO_CRASHES;
  let reloadTimer: NodeJS.Timeout | undefined;
  let hangTimer: NodeJS.Timeout | undefined;
  let fallbackTimer: NodeJS.Timeout | undefined;

  const gone = (): boolean => opts.quitting() || win.isDestroyed?.() === true;
  const reload = (): void => {
    if (gone()) return;
    try {
      if (typeof wc.reload === 'function') wc.reload();
      else win.reload();
    } catch (err) {
      opts.log(`could not reload the screen: ${(err as Error).message}`);
    }
  };
  const scheduleReload = (details: { reason?: unknown; exitCode?: unknown } | undefined): void => {
    clearTimeout(fallbackTimer);
    clearTimeout(hangTimer);
    hangTimer = undefined;
    if (gone()) return;
    const decision = afterCrash(history, now());
    history = decision.history;
    opts.log(crashLogLine(details, decision));
    clearTimeout(reloadTimer);
    // Never reload inside the event: Chromium is still tearing the old process down.
    reloadTimer = setTimeout(reload, decision.delayMs);
  };

  // Electron emits the crash on the web contents and again on app with the same event object.
  const seen = new WeakSet<object>();
  const onGone = (
    event: unknown,
    details: { reason?: unknown; exitCode?: unknown } | undefined,
  ) => {
    if (typeof event === 'object' && event !== null) {
      if (seen.has(event)) return;
      seen.add(event);
    }
    scheduleReload(details);
  };
  wc.on('render-process-gone', (event, details) => onGone(event, details));
  wc.on('unresponsive', () => {
    if (hangTimer !== undefined) return;
    hangTimer = setTimeout(() => {
      hangTimer = undefined;
      if (gone()) return;
      opts.log(
        `the screen has not responded for ${HANG_LIMIT_MS / 1000} s; restarting its renderer`,
      );
      // The crash comes back as render-process-gone, which reloads; if it does not, reload here.
      fallbackTimer = setTimeout(
        () => scheduleReload({ reason: 'unresponsive' }),
        CRASH_FALLBACK_MS,
      );
      try {
        wc.forcefullyCrashRenderer();
      } catch {
        // No renderer to crash: the fallback reloads.
      }
    }, HANG_LIMIT_MS);
  });
  wc.on('responsive', () => {
    clearTimeout(hangTimer);
    hangTimer = undefined;
  });
  return {
    gone: onGone,
    stop: () => {
      clearTimeout(reloadTimer);
      clearTimeout(hangTimer);
      clearTimeout(fallbackTimer);
    },
  };
}
