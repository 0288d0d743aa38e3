/**
 * Validation of what the livewall server sends a browser, and the reconnect policy, as pure
 * functions (no DOM), so they are tested in Node. Nothing from the network is trusted unparsed.
 */
import {
  type BurstProgress,
  type BurstSummary,
  type BurstTarget,
  type FeedStatus,
  type HealthCheck,
  burstProgress,
  burstSummary,
  burstTargets,
  feedStatus,
  healthChecks,
} from '@shared/contracts';
import { backoffDelay as sharedBackoff } from '@shared/backoff';
import { fail, type Result } from '@shared/result';
import { parseWith } from '@shared/schemaKit';
import { serverMessage, type ServerMessage } from '@shared/wire';

export const parseFeedStatus = (input: unknown): Result<FeedStatus> =>
  parseWith(feedStatus, input, 'status');

export const parseBurstSummary = (input: unknown): Result<BurstSummary> =>
  parseWith(burstSummary, input, 'burst summary');

export const parseBurstProgress = (input: unknown): Result<BurstProgress> =>
  parseWith(burstProgress, input, 'burst progress');

/** The answer of `GET /api/burst/targets`: where bursts can go, the default first. */
export const parseBurstTargets = (input: unknown): Result<BurstTarget[]> =>
  parseWith(burstTargets, input, 'burst targets');

/**
 * The answer of `GET /api/health`: one check per configured stage, in the order they ran. Only the
 * known fields are kept, so nothing else the server sends reaches the screen.
 */
export const parseHealthChecks = (input: unknown): Result<HealthCheck[]> =>
  parseWith(healthChecks, input, 'health checks');

/** One WebSocket message of src/shared/wire.ts; a whole message is refused if any part is wrong. */
export function parseServerMessage(input: unknown): Result<ServerMessage> {
  return parseWith(serverMessage, input, 'message');
}

export interface MessageHandlers {
  /** Each message that parsed, under its channel (a push of the table, or the snapshot). */
  onMessage(message: ServerMessage): void;
  /** Told about each message skipped, with the count so far. */
  onMalformed?(error: string, count: number): void;
}

export interface MessageRouter {
  /** Parses a frame's data and hands it on; false when it was malformed and skipped. */
  handle(data: unknown): boolean;
  readonly malformed: number;
}

const decoder = new TextDecoder();

/** Parses WebSocket frames: a malformed frame is counted and skipped, never thrown. */
export function createMessageRouter(handlers: MessageHandlers): MessageRouter {
  let malformed = 0;
  return {
    handle(data: unknown): boolean {
      // Text frames arrive as strings in browsers; Node's `ws` hands over bytes.
      const text =
        typeof data === 'string'
          ? data
          : data instanceof ArrayBuffer || ArrayBuffer.isView(data)
            ? decoder.decode(data)
            : null;
      const m =
        text === null ? fail<ServerMessage>('message: not a text frame') : parseServerMessage(text);
      if (!m.ok) {
        malformed++;
        handlers.onMalformed?.(m.error, malformed);
        return false;
      }
      handlers.onMessage(m.value);
      return true;
    },
    get malformed(): number {
      return malformed;
    },
  };
}

export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_MAX_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0 for the first): doubling from 1 s to 30 s, with
 * ±20 % jitter (the shared backoff formula). `random` is in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  random: number,
  baseMs: number = RECONNECT_BASE_MS,
  maxMs: number = RECONNECT_MAX_MS,
): number {
  return sharedBackoff(attempt, random, { initialMs: baseMs, maxMs, jitter: 0.2 });
}

/** What the screen says while the WebSocket is down. */
export function lostConnectionStatus(secondsLeft: number): FeedStatus {
  return {
    source: 'web',
    state: 'connecting',
    message: `Connection to the livewall server lost; retrying in ${secondsLeft} s`,
  };
}
