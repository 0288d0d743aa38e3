/**
 * The built renderer's files for a browser: only files inside its folder, with their type, the
 * security headers and a cache policy (the page is always checked, its assets kept an hour).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { json, SECURITY_HEADERS } from './httpReply';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Answers `urlPath` (`/` is index.html) with a file of `staticDir`, or the reason it cannot. */
export async function serveStatic(
  res: ServerResponse,
  staticDir: string,
  urlPath: string,
): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return json(res, 400, { error: 'bad path' });
  }
  // A backslash is a separator elsewhere (..\\), a NUL ends a name: neither is in a file we serve.
  if (/[\\\0]/.test(rel)) return json(res, 400, { error: 'bad path' });
  const file = normalize(join(staticDir, rel));
  if (!file.startsWith(normalize(staticDir) + sep)) return json(res, 403, { error: 'outside' });
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return json(res, 404, { error: 'not found' });
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': extname(file) === '.html' ? 'no-cache' : 'public, max-age=3600',
  });
  createReadStream(file).pipe(res);
}
