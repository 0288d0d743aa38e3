/**
 * Who may talk to the local web server. Each rule is a small pure function with a table test.
 */
import { timingSafeEqual } from 'node:crypto';

/** True for a loopback peer address (IPv4, IPv6, and IPv4 mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** The host name of a Host header, without port and IPv6 brackets, lower-cased. */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export interface RequestFacts {
  method: string;
  path: string;
  remoteAddress: string | undefined;
  host: string | undefined;
  origin: string | undefined;
  authorization: string | undefined;
  /** The address the server listens on. */
  boundHost: string;
  /** Configured bearer token for state-changing requests from other machines. */
  token: string | undefined;
}

export type Verdict =
  { allowed: true } | { allowed: false; status: 400 | 401 | 403; reason: string };

const deny = (status: 400 | 401 | 403, reason: string): Verdict => ({
  allowed: false,
  status,
  reason,
});

/** Paths that change something (a burst writes orders). */
const WRITES = new Set(['/api/burst']);

/**
 * - A server bound to loopback answers only loopback Host names: a page on another site cannot
 *   reach it by rebinding its own DNS name to 127.0.0.1.
 * - A request that carries an Origin must come from this server's own origin (no cross-site use).
 * - Writes come from this machine (its own screen needs no token), or carry the configured token.
 */
export function isRequestAllowed(f: RequestFacts): Verdict {
  if (!f.host) return deny(400, 'Host header missing');
  const name = hostName(f.host);
  if (isLoopbackBind(f.boundHost) && !LOOPBACK_NAMES.has(name)) {
    return deny(403, `Host "${name}" is not this server`);
  }
  if (f.origin !== undefined && f.origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(f.origin).host;
    } catch {
      return deny(403, 'Origin is malformed');
    }
    if (originHost.toLowerCase() !== f.host.toLowerCase()) {
      return deny(403, 'cross-origin requests are refused');
    }
  } else if (f.origin === 'null') {
    return deny(403, 'opaque origins are refused');
  }
  if (WRITES.has(f.path) && f.method !== 'GET' && !isLoopbackAddress(f.remoteAddress)) {
    if (!f.token) {
      return deny(
        403,
        'bursts are accepted from this machine only (configure a token to allow others)',
      );
    }
    if (!bearerMatches(f.authorization, f.token)) return deny(401, 'a valid token is required');
  }
  return { allowed: true };
}

function isLoopbackBind(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || isLoopbackAddress(host);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
