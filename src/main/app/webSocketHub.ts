/**
 * The WebSocket hub of the browser screen: takes the upgrades the server allowed, greets each
 * browser with the snapshot and the status, forwards the feed's pushes to every browser, drops one
 * that falls too far behind or stops answering pings. Browsers only listen.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PushChannel } from '@shared/channels';
import { forwardPushes } from '@shared/pushes';
import { serverMessageOf, type ServerMessage } from '@shared/wire';
import { MAX_BODY } from './httpReply';
import type { ScreenFeed } from './screenSource';

/** A browser this far behind is dropped; it reconnects and starts from a fresh snapshot. */
const MAX_BUFFERED = 4 * 1024 * 1024;

export interface WebSocketHub {
  /** Takes an allowed upgrade; false (and nothing done) when `maxWebSockets` are connected. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Drops browsers that did not answer the last ping, and pings the others. */
  ping(): void;
  /** Starts forwarding the feed's pushes. */
  start(): void;
  /** Stops forwarding and drops every browser. */
  stop(): void;
}

export function createWebSocketHub(opts: {
  feed: ScreenFeed;
  maxWebSockets: number;
  /** Tells a failure in detail (the server's log). */
  failed: (what: string, err: unknown) => void;
}): WebSocketHub {
  const { feed, failed } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  let stopPushes: (() => void) | null = null;
  /** WebSocket clients that answered the last ping. */
  const alive = new WeakSet<WebSocket>();

  const broadcast = (message: ServerMessage): void => {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const ws of wss.clients) {
      if (ws.bufferedAmount > MAX_BUFFERED) ws.terminate();
      else ws.send(text);
    }
  };

  return {
    accept(req, socket, head) {
      if (wss.clients.size >= opts.maxWebSockets) return false;
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        alive.add(ws);
        ws.on('pong', () => alive.add(ws));
        ws.on('error', () => ws.terminate());
        // Browsers only listen; anything they send is ignored.
        try {
          greet(ws, feed);
        } catch (err) {
          failed('the first WebSocket messages', err);
          ws.terminate();
        }
      });
      return true;
    },
    ping() {
      for (const ws of wss.clients) {
        if (!alive.has(ws)) {
          ws.terminate();
          continue;
        }
        alive.delete(ws);
        ws.ping();
      }
    },
    start() {
      stopPushes = forwardPushes(feed, (c, payload) =>
        broadcast(serverMessageOf<PushChannel>(c, payload)),
      );
    },
    stop() {
      stopPushes?.();
      stopPushes = null;
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

/**
 * A browser's first messages: the whole state, under the name of the request it answers (the
 * browser takes it as its snapshot, so it comes once), then how the source is doing.
 */
function greet(ws: WebSocket, feed: ScreenFeed): void {
  ws.send(JSON.stringify(serverMessageOf('metrics.snapshot', feed.snapshot())));
  ws.send(JSON.stringify(serverMessageOf('source.status', feed.status())));
}
