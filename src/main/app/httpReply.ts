/** What every answer of the web server carries, and its JSON answer (static files and API alike). */
import type { ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '@shared/csp';

/** The most a client may send in one request body or one WebSocket message. */
export const MAX_BODY = 64 * 1024;

export const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
