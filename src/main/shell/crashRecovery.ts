/**
 * When to reload a renderer that died or hung. A wall PC has nobody to press F5, so main reloads
 * the page (its data stays in main, so the screen is whole at once); a page that crashes on every
 * load must not spin the CPU, so a crash loop backs off.
 */

/** A dead renderer is reloaded this soon (well within the 2 s the wall may stay blank). */
export const RELOAD_DELAY_MS = 500;
/** How long an unresponsive renderer may hang before it is crashed and reloaded. */
export const HANG_LIMIT_MS = 10_000;
/** If the crash that forcefullyCrashRenderer should cause never shows up, reload anyway. */
export const CRASH_FALLBACK_MS = 2_000;
/** More than this many crashes within CRASH_WINDOW_MS is a loop. */
export const MAX_QUICK_CRASHES = 3;
export const CRASH_WINDOW_MS = 60_000;
/** The loop's first pause, doubling up to BACKOFF_MAX_MS. */
export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

export interface CrashHistory {
  /** Times of the crashes within the last CRASH_WINDOW_MS. */
  readonly recent: readonly number[];
  /** How many backed-off reloads in a row; 0 when not in a loop. */
  readonly level: number;
  /** When the last reload was due, so "stayed up for a minute since" can be told. */
  readonly lastReloadAt: number | null;
}

export const NO_CRASHES: CrashHistory = { recent: [], level: 0, lastReloadAt: null };

export interface ReloadDecision {
  delayMs: number;
  /** True once the crashes form a loop (the reload is backed off). */
  loop: boolean;
  history: CrashHistory;
}

/** The reload after a crash at `now`: quick, unless this is a loop; a minute up resets the loop. */
export function afterCrash(history: CrashHistory, now: number): ReloadDecision {
  const stayedUp = history.lastReloadAt === null || now - history.lastReloadAt >= CRASH_WINDOW_MS;
  const recent = [...history.recent.filter((t) => now - t < CRASH_WINDOW_MS), now];
  const level = stayedUp ? 0 : history.level;
  const loop = level > 0 || recent.length > MAX_QUICK_CRASHES;
  const delayMs = loop ? Math.min(BACKOFF_BASE_MS * 2 ** level, BACKOFF_MAX_MS) : RELOAD_DELAY_MS;
  return {
    delayMs,
    loop,
    history: { recent, level: loop ? level + 1 : 0, lastReloadAt: now + delayMs },
  };
}

/** The log line for a dead renderer; Electron's reason and exit code say why it went. */
export function crashLogLine(
  details: { reason?: unknown; exitCode?: unknown } | undefined,
  decision: Pick<ReloadDecision, 'delayMs' | 'loop'>,
): string {
  const reason = typeof details?.reason === 'string' ? details.reason : 'unknown';
  const code = typeof details?.exitCode === 'number' ? `, exit code ${details.exitCode}` : '';
  const what = decision.loop
    ? `crash loop (more than ${MAX_QUICK_CRASHES} within a minute): reloading in ${decision.delayMs / 1000} s`
    : `reloading in ${decision.delayMs} ms`;
  return `the screen's renderer went away (${reason}${code}); ${what}`;
}

/** The log line for another process (GPU, utility) that died: Chromium restarts it. */
export function childGoneLogLine(details: {
  type?: unknown;
  reason?: unknown;
  exitCode?: unknown;
  name?: unknown;
}): string {
  const type = typeof details.type === 'string' ? details.type : 'a child';
  const name = typeof details.name === 'string' ? ` "${details.name}"` : '';
  const reason = typeof details.reason === 'string' ? details.reason : 'unknown';
  const code = typeof details.exitCode === 'number' ? `, exit code ${details.exitCode}` : '';
  return `${type} process${name} went away (${reason}${code}); Chromium starts a new one, the screen stays`;
}
