/**
 * Security wiring for every web contents the app creates: no pop-ups, no webviews, no navigation
 * away from livewall's own page (in any frame, on any redirect), and no permission granted.
 */
import type { Session, WebContents } from 'electron';
import { isAllowedNavigation, type AppPages } from './navigation';

type Guardable = Pick<WebContents, 'on' | 'setWindowOpenHandler'> & {
  getType?: () => string;
};

const guarded = new WeakSet<object>();

/** Cancels an Electron event; tolerates a caller that passed none. */
export function prevent(event: unknown): void {
  (event as Partial<Electron.Event> | null)?.preventDefault?.();
}

/** The URL of a navigation event, whichever of Electron's signatures delivered it. */
function navigationUrl(event: unknown, url: unknown): string {
  if (typeof url === 'string') return url;
  const u = (event as { url?: unknown } | null)?.url;
  return typeof u === 'string' ? u : '';
}

/** Applies every guard once per web contents (the window's, and any other Electron creates). */
export function guardWebContents(contents: Guardable, pages: AppPages): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const on = contents.on.bind(contents) as (e: string, l: (...a: unknown[]) => void) => unknown;
  // webviewTag is off; this refuses one even if something turned it on.
  on('will-attach-webview', prevent);
  // DevTools' own contents load devtools:// pages; they are not the wall's.
  if (contents.getType?.() === 'devtools') return;
  const refuse = (event: unknown, url: unknown): void => {
    if (!isAllowedNavigation(navigationUrl(event, url), pages)) prevent(event);
  };
  on('will-navigate', refuse);
  on('will-frame-navigate', (event) => refuse(event, undefined));
  on('will-redirect', refuse);
}

/** livewall needs no camera, microphone, location, notifications or anything else. */
export function denyAllPermissions(
  session: Partial<Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>>,
): void {
  session.setPermissionRequestHandler?.((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler?.(() => false);
}
