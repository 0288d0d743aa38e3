/**
 * Validation of what the livewall server sends a browser, and the reconnect policy, as pure
 * functions (no DOM), so they are tested in Node. Nothing from the network is trusted unparsed.
 */
import type {
  BurstProgress,
  BurstSummary,
  BurstTarget,
  FeedStatus,
  HealthCheck,
  MetricBatch,
} from '@shared/api';
import { backoffDelay as sharedBackoff } from '@shared/backoff';
import { fail, type Result } from '@shared/result';
import { parseWith } from '@shared/schema';
import {
  burstProgress,
  burstSummary,
  burstTargets,
  feedStatus,
  healthChecks,
  metricBatch,
} from '@shared/schemas';
import { serverMessage, type ServerMessage } from '@shared/wire';

// The server sends full contract 2 records, so the zone for the workshop's short form never applies.
const ZONE = 'UTC';

export const parseFeedStatus = (input: unknown): Result<FeedStatus> =>
  parseWith(feedStatus, input, 'status');

export const parseMetricBatch = (input: unknown): Result<MetricBatch> =>
  parseWith(metricBatch(ZONE), input, 'batch');

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
const messageSchema = serverMessage(ZONE);

export function parseServerMessage(input: unknown): Result<ServerMessage> {
  return parseWith(messageSchema, input, 'message');
}

export interface MessageHandlers {
  onBatch(batch: MetricBatch): void;
  onStatus(status: FeedStatus): void;
  onBurstProgress(progress: BurstProgress): void;
  /** Told about each message skipped, with the count so far. */
  onMalformed?(error: string, count: number): void;
}

export interface MessageRouter {
  /** Parses a frame's data and hands it on; false when it was malformed and skipped. */
  handle(data: unknown): boolean;
  readonly malformed: number;
}

const decoder = new TextDecoder();

/**
 * Routes WebSocket frames: a snapshot is delivered as a batch (the API has no other way to hand
 * over records, and the identity rule makes it complete the state), a malformed frame is counted
 * and skipped, never thrown.
 */
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
      const msg = m.value;
      if (msg.type === 'snapshot') {
        const { metrics, lastRecordAt, stale } = msg.snapshot;
        handlers.onBatch({ records: metrics, lastRecordAt, stale });
      } else if (msg.type === 'batch') {
        handlers.onBatch(msg.batch);
      } else if (msg.type === 'status') {
        handlers.onStatus(msg.status);
      } else {
        handlers.onBurstProgress(msg.progress);
      }
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
