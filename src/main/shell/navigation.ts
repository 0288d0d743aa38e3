/**
 * Which pages are livewall's own: the only ones the window may show and the only senders IPC
 * answers. Pure functions (no Electron), so the tests read every rule without it.
 */
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPages {
  /** The built renderer's index.html (out/renderer/index.html). */
  indexHtml: string;
  /** The dev server's URL, only in an unpackaged build started by `electron-vite dev`. */
  devServerUrl: string | undefined;
}

/**
 * ELECTRON_RENDERER_URL counts only when not packaged: an installed app must never be pointed at
 * another page by its environment. Anything but an http(s) URL is ignored too.
 */
export function devServerUrl(isPackaged: boolean, envUrl: string | undefined): string | undefined {
  if (isPackaged || !envUrl) return undefined;
  try {
    const u = new URL(envUrl);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The built renderer page, out/renderer/index.html, from wherever this code runs: the bundle in
 * out/main, or the sources in src/main/shell (tests).
 */
export function builtIndexHtml(dir: string = __dirname): string {
  return resolve(
    dir,
    basename(dir) === 'shell' ? '../../../out/renderer/index.html' : '../renderer/index.html',
  );
}

const samePath = (a: string, b: string): boolean =>
  process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;

/**
 * Only our own renderer's page: in dev exactly the dev server's origin (a prefix check would let
 * `http://localhost:5173.evil.example/` through), else exactly the built index.html (not any
 * file:// URL, which would show the machine's files on the wall).
 */
export function isAllowedNavigation(
  url: string,
  pages: AppPages | string | undefined = undefined,
): boolean {
  // The short form names only the dev server; the page is then the built index.html.
  if (typeof pages !== 'object') pages = { indexHtml: builtIndexHtml(), devServerUrl: pages };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (pages.devServerUrl) {
    try {
      return u.origin === new URL(pages.devServerUrl).origin;
    } catch {
      return false;
    }
  }
  if (u.protocol !== 'file:' || u.host !== '' || u.search !== '') return false;
  try {
    return samePath(fileURLToPath(u), resolve(pages.indexHtml));
  } catch {
    return false; // e.g. an encoded slash, which fileURLToPath refuses
  }
}
