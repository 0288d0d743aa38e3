/**
 * Who may talk to the local web server. Each rule is a small pure function with a table test.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

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
  // A bare IPv6 address has several colons and no port.
  if (colon === -1 || h.indexOf(':') !== colon) return h;
  return h.slice(0, colon);
}

/** The port of a Host header, '' when it names none. */
function hostPort(hostHeader: string): string {
  const h = hostHeader.trim();
  const end = h.startsWith('[') ? h.indexOf(']') + 1 : 0;
  const colon = h.indexOf(':', end);
  if (colon === -1 || (end === 0 && h.indexOf(':', colon + 1) !== -1)) return '';
  return h.slice(colon + 1);
}

export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** True when the server listens on loopback only (nobody else can connect). */
export function isLoopbackBind(host: string): boolean {
  return LOOPBACK_NAMES.includes(host.toLowerCase()) || isLoopbackAddress(host);
}

/**
 * The names a Host header may carry: loopback names, the bound address, this machine's addresses
 * and the configured `web.hostnames`. Anything else is a page that rebound its own name to us.
 */
export function allowedHostNames(
  boundHost: string,
  machineAddresses: readonly string[],
  configured: readonly string[],
): Set<string> {
  const names = new Set<string>(LOOPBACK_NAMES);
  const unspecified = boundHost === '0.0.0.0' || boundHost === '::' || boundHost === '';
  if (!unspecified) names.add(boundHost.toLowerCase());
  for (const a of machineAddresses) names.add(a.toLowerCase());
  for (const n of configured)
    names.add(
      n
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, ''),
    );
  return names;
}

export interface RequestFacts {
  method: string;
  path: string;
  host: string | undefined;
  origin: string | undefined;
  authorization: string | undefined;
  /** The address the server listens on. */
  boundHost: string;
  /** Host names this server answers to (allowedHostNames). */
  allowedHosts: ReadonlySet<string>;
  /** Configured bearer token for requests that change something. */
  token: string | undefined;
}

export type Verdict =
  { allowed: true } | { allowed: false; status: 400 | 401 | 403; reason: string };

const deny = (status: 400 | 401 | 403, reason: string): Verdict => ({
  allowed: false,
  status,
  reason,
});

export const READS_ONLY_REASON =
  'This server is reachable from other machines and has no token, so it serves reads only: start livewall web with LIVEWALL_TOKEN set to a long random string to allow bursts.';

export const TOKEN_REASON =
  'This server needs its token for bursts: send "Authorization: Bearer <LIVEWALL_TOKEN>" (the value set where livewall web runs).';

/** Requests that change something: anything but a read under /api/ (a burst writes orders). */
function isWrite(method: string, path: string): boolean {
  return path.startsWith('/api/') && method !== 'GET' && method !== 'HEAD';
}

/**
 * - Host must be a name of this server, on any bind: a page cannot reach it by rebinding its own
 *   DNS name to this machine.
 * - A request that carries an Origin must come from a page this server serves (an allowed name on
 *   this port): no cross-site use.
 * - With a token set, writes carry it, from every peer (loopback too: a rebound or proxied page
 *   arrives from loopback). Without a token, writes are refused when others can connect.
 */
export function isRequestAllowed(f: RequestFacts): Verdict {
  if (!f.host) return deny(400, 'Host header missing');
  const name = hostName(f.host);
  if (!f.allowedHosts.has(name)) {
    return deny(
      403,
      `Host "${name}" is not a name of this server (add it to "web.hostnames" in livewall.config.json if it is)`,
    );
  }
  if (f.origin === 'null') return deny(403, 'opaque origins are refused');
  if (f.origin !== undefined) {
    let origin: URL;
    try {
      origin = new URL(f.origin);
    } catch {
      return deny(403, 'Origin is malformed');
    }
    const originName = origin.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const originPort = origin.port || (origin.protocol === 'https:' ? '443' : '80');
    const port = hostPort(f.host) || '80';
    if (!f.allowedHosts.has(originName) || originPort !== port) {
      return deny(403, 'cross-origin requests are refused');
    }
  }
  if (isWrite(f.method, f.path)) {
    if (f.token) {
      if (!bearerMatches(f.authorization, f.token)) return deny(401, TOKEN_REASON);
    } else if (!isLoopbackBind(f.boundHost)) {
      return deny(403, READS_ONLY_REASON);
    }
  }
  return { allowed: true };
}

/** Digests first: equal lengths for timingSafeEqual, and no hint of the token's length. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(header.slice(7)).digest();
  const want = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, want);
}
