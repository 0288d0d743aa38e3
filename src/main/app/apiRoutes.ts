/**
 * The HTTP API of contract 4: `/healthz` for a monitor, and one route per channel of the contract
 * table (its method, its request schema, then its handler). Errors a client can act on get their
 * status (409 busy, 502 MySQL refused); anything else is the server's to log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHANNELS, HTTP_ROUTES, type ChannelHandlers, type InvokeChannel } from '@shared/channels';
import { parseWith } from '@shared/schemaKit';
import { MySqlBurstError } from '../mysql/mysqlBurster';
import { feedHandlers } from './feedHandlers';
import { json, MAX_BODY } from './httpReply';
import { BurstBusyError, BurstUnavailableError } from './burstRouter';
import type { ScreenFeed } from './screenSource';

/** Answers a request of the API and resolves true, or resolves false for a path it does not own. */
export type ApiRoutes = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  method: string,
) => Promise<boolean>;

export function createApiRoutes(feed: ScreenFeed): ApiRoutes {
  const handlers: ChannelHandlers = {
    ...feedHandlers(feed, () =>
      Promise.reject(new Error('The MySQL password is set in the app only.')),
    ),
    // The browser's status line also shows the counters (never secrets).
    'source.status': () => {
      const withStats = { ...feed.status(), stats: feed.stats() };
      return withStats;
    },
  };

  /** A route of the contract table: its method, its request schema, then its handler. */
  async function route<C extends InvokeChannel>(
    req: IncomingMessage,
    res: ServerResponse,
    channel: C,
    method: string,
  ): Promise<void> {
    const { http, request: schema, what } = CHANNELS[channel];
    if (!http) return json(res, 404, { error: `no such endpoint ${req.url ?? ''}` });
    if (method !== http.method) return json(res, 405, { error: `use ${http.method}` });
    let input: unknown;
    if (http.method === 'POST') {
      const body = await readBody(req);
      if (body === null) return json(res, 413, { error: `body over ${MAX_BODY} bytes` });
      input = body;
    }
    const request = parseWith(schema, input, what);
    if (!request.ok) return json(res, 400, { error: request.error });
    try {
      return json(res, 200, await handlers[channel](request.value));
    } catch (err) {
      if (err instanceof BurstUnavailableError || err instanceof BurstBusyError)
        return json(res, 409, { error: err.message });
      if (err instanceof MySqlBurstError) return json(res, 502, { error: err.message });
      throw err;
    }
  }

  return async (req, res, path, method) => {
    if (path === '/healthz') {
      // 503 while the source reports an error (an unknown stream, no credentials), so a monitor
      // sees a broken pipeline, not only a live process.
      const status = feed.status();
      const healthy = status.state !== 'error';
      json(res, healthy ? 200 : 503, { ok: healthy, status });
      return true;
    }
    const channel = HTTP_ROUTES.get(path);
    if (channel) await route(req, res, channel, method);
    else if (path.startsWith('/api/')) json(res, 404, { error: `no such endpoint ${path}` });
    else return false;
    return true;
  };
}

/** The request body as text, or null when it is over the limit. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
