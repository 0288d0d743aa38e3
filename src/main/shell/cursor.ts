/**
 * Hides the mouse cursor over the wall after CURSOR_IDLE_MS without mouse activity, in kiosk
 * mode. Main sees the page's mouse events (`before-mouse-event`) and injects a stylesheet, so the
 * renderer needs no code and its CSP no exception.
 */
import type { BrowserWindow } from 'electron';
import {
  CURSOR_IDLE_MS,
  cursorOnActivity,
  cursorOnTick,
  HIDE_CURSOR_CSS,
  type CursorAction,
  type CursorState,
} from './kioskPolicy';

/** Starts hiding the idle cursor; returns the function that stops it. */
export function hideIdleCursor(win: BrowserWindow, now: () => number = Date.now): () => void {
  const wc = win.webContents;
  let state: CursorState = { hidden: false, lastActivityAt: now() };
  let key: Promise<string | undefined> | null = null;

  const apply = (action: CursorAction): void => {
    if (action === null || win.isDestroyed?.() || typeof wc.insertCSS !== 'function') return;
    if (action === 'hide') {
      key = Promise.resolve(wc.insertCSS(HIDE_CURSOR_CSS)).catch(() => undefined);
    } else if (key !== null) {
      const removing = key;
      key = null;
      void removing.then((k) => (k ? wc.removeInsertedCSS(k) : undefined)).catch(() => undefined);
    }
  };
  wc.on('before-mouse-event', () => {
    const step = cursorOnActivity(state, now());
    state = step.state;
    apply(step.action);
  });
  // A reload drops injected styles: hide again if the cursor was hidden.
  wc.on('did-finish-load', () => {
    if (state.hidden) apply('hide');
  });
  const timer = setInterval(() => {
    try {
      const kiosk = !win.isDestroyed?.() && win.isKiosk?.() === true;
      const step = cursorOnTick(state, now(), kiosk);
      state = step.state;
      apply(step.action);
    } catch {
      // A window going away between checks: nothing to hide.
    }
  }, CURSOR_IDLE_MS / 6);
  timer.unref?.();
  return () => clearInterval(timer);
}
