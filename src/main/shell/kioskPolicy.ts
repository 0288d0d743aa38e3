/**
 * What kiosk means on a wall PC, as pure rules: the one way out, the window that will not close
 * otherwise, and the mouse cursor that hides when nobody moves it.
 */

/** The only way out of kiosk mode: Quit, on a chord nobody presses by accident. */
export const QUIT_ACCELERATOR = 'Ctrl+Alt+Shift+Q';

/** Kiosk comes from the config or LIVEWALL_KIOSK=1 (so an installer's shortcut can force it). */
export function kioskWanted(configKiosk: boolean, env: NodeJS.ProcessEnv): boolean {
  return configKiosk || env.LIVEWALL_KIOSK === '1';
}

/**
 * In kiosk mode the window closes only when the app quits (Quit, the OS shutting down), not on
 * Alt+F4 or a window manager's close button.
 */
export function shouldPreventClose(s: { kiosk: boolean; quitting: boolean }): boolean {
  return s.kiosk && !s.quitting;
}

/** The cursor hides after this long without mouse activity over the window. */
export const CURSOR_IDLE_MS = 3_000;

export interface CursorState {
  hidden: boolean;
  lastActivityAt: number;
}

export type CursorAction = 'hide' | 'show' | null;

/** Mouse activity over the window: the cursor comes back at once. */
export function cursorOnActivity(
  s: CursorState,
  now: number,
): { state: CursorState; action: CursorAction } {
  return { state: { hidden: false, lastActivityAt: now }, action: s.hidden ? 'show' : null };
}

/** A periodic check: hide after CURSOR_IDLE_MS still, only in kiosk mode. */
export function cursorOnTick(
  s: CursorState,
  now: number,
  kiosk: boolean,
): { state: CursorState; action: CursorAction } {
  if (!kiosk) return { state: { ...s, hidden: false }, action: s.hidden ? 'show' : null };
  if (!s.hidden && now - s.lastActivityAt >= CURSOR_IDLE_MS) {
    return { state: { ...s, hidden: true }, action: 'hide' };
  }
  return { state: s, action: null };
}

/** Injected by main (no renderer code, no CSP exception): every element, so no rule wins back. */
export const HIDE_CURSOR_CSS = '*, *::before, *::after { cursor: none !important; }';
