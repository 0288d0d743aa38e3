/**
 * Validation of what the livewall server sends a browser, and the reconnect policy, as pure
 * functions (no DOM), so they are tested in Node. Nothing from the network is trusted unparsed.
 */
import type {
  BurstProgress,
  BurstSummary,
  BurstTarget,
  BurstTargetId,
  HealthCheck,
  MetricBatch,
  SourceStatus,
} from '@shared/api';
import type { MetricRecord } from '@shared/contracts';
import {
  asObject,
  isObj,
  parseMetricRecord,
  parseSnapshot,
  type MetricParseOptions,
} from '@shared/parse';
import { fail, ok, type Result } from '@shared/result';
import type { ServerMessage } from '@shared/wire';

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

// The server sends full contract 2 records, so the zone for the workshop's short form never applies.
const PARSE: MetricParseOptions = { timeZone: 'UTC' };

const STATES: ReadonlySet<string> = new Set<SourceStatus['state']>(['ok', 'connecting', 'error']);

export function parseSourceStatus(input: unknown): Result<SourceStatus> {
  const o = asObject(input, 'status');
  if (!o.ok) return o;
  const s = o.value;
  if (typeof s.source !== 'string') return fail('status: "source" must be a string');
  if (typeof s.state !== 'string' || !STATES.has(s.state)) {
    return fail('status: "state" must be ok, connecting or error');
  }
  if (s.message !== null && typeof s.message !== 'string') {
    return fail('status: "message" must be a string or null');
  }
  if (s.lagMs !== undefined && !isCount(s.lagMs)) {
    return fail('status: "lagMs" must be a whole number of milliseconds');
  }
  const status: SourceStatus = {
    source: s.source,
    state: s.state as SourceStatus['state'],
    message: s.message,
  };
  if (s.lagMs !== undefined) status.lagMs = s.lagMs;
  return ok(status);
}

export function parseMetricBatch(input: unknown): Result<MetricBatch> {
  const o = asObject(input, 'batch');
  if (!o.ok) return o;
  const b = o.value;
  if (!Array.isArray(b.records)) return fail('batch: "records" must be an array');
  const records: MetricRecord[] = [];
  for (const item of b.records) {
    const r = parseMetricRecord(item, PARSE);
    if (!r.ok) return fail(`batch: ${r.error}`);
    records.push(r.value);
  }
  if (b.lastRecordAt !== null && !Number.isFinite(b.lastRecordAt)) {
    return fail('batch: "lastRecordAt" must be epoch ms or null');
  }
  if (typeof b.stale !== 'boolean') return fail('batch: "stale" must be a boolean');
  return ok({ records, lastRecordAt: b.lastRecordAt as number | null, stale: b.stale });
}

export function parseBurstSummary(input: unknown): Result<BurstSummary> {
  const o = asObject(input, 'burst summary');
  if (!o.ok) return o;
  const { inserted, updated, failed } = o.value;
  if (!isCount(inserted) || !isCount(updated) || !isCount(failed)) {
    return fail('burst summary: "inserted", "updated" and "failed" must be whole numbers');
  }
  return ok({ inserted, updated, failed });
}

const TARGET_IDS: ReadonlySet<string> = new Set<BurstTargetId>(['embedded', 'mysql']);
const isTargetId = (v: unknown): v is BurstTargetId => typeof v === 'string' && TARGET_IDS.has(v);

export function parseBurstProgress(input: unknown): Result<BurstProgress> {
  const o = asObject(input, 'burst progress');
  if (!o.ok) return o;
  const { burstId, target, requested, inserted, updated, failed, pendingSteps } = o.value;
  if (!isCount(burstId)) return fail('burst progress: "burstId" must be a whole number');
  if (!isTargetId(target)) return fail('burst progress: "target" must be "embedded" or "mysql"');
  if (
    !isCount(requested) ||
    !isCount(inserted) ||
    !isCount(updated) ||
    !isCount(failed) ||
    !isCount(pendingSteps)
  ) {
    return fail(
      'burst progress: "requested", "inserted", "updated", "failed" and "pendingSteps" must be whole numbers',
    );
  }
  return ok({ burstId, target, requested, inserted, updated, failed, pendingSteps });
}

/** The answer of `GET /api/burst/targets`: where bursts can go, the default first. */
export function parseBurstTargets(input: unknown): Result<BurstTarget[]> {
  let v = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch {
      return fail('burst targets: not JSON');
    }
  }
  if (!Array.isArray(v)) return fail('burst targets: not a JSON array');
  const targets: BurstTarget[] = [];
  for (const [i, t] of v.entries()) {
    if (!isObj(t)) return fail(`burst targets: item ${i} is not an object`);
    if (!isTargetId(t.id)) {
      return fail(`burst targets: item ${i} "id" must be "embedded" or "mysql"`);
    }
    if (typeof t.label !== 'string')
      return fail(`burst targets: item ${i} "label" must be a string`);
    // A target listed twice would make the selector ambiguous.
    if (targets.some((seen) => seen.id === t.id)) {
      return fail(`burst targets: "${t.id}" is listed twice`);
    }
    targets.push({ id: t.id, label: t.label });
  }
  return ok(targets);
}

/**
 * The answer of `GET /api/health`: one check per configured stage, in the order they ran. Only the
 * known fields are kept, so nothing else the server sends reaches the screen.
 */
export function parseHealthChecks(input: unknown): Result<HealthCheck[]> {
  let v = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch {
      return fail('health checks: not JSON');
    }
  }
  if (!Array.isArray(v)) return fail('health checks: not a JSON array');
  const checks: HealthCheck[] = [];
  for (const [i, c] of v.entries()) {
    if (!isObj(c)) return fail(`health checks: item ${i} is not an object`);
    if (typeof c.stage !== 'string')
      return fail(`health checks: item ${i} "stage" must be a string`);
    if (typeof c.ok !== 'boolean') return fail(`health checks: item ${i} "ok" must be a boolean`);
    if (typeof c.detail !== 'string') {
      return fail(`health checks: item ${i} "detail" must be a string`);
    }
    const age = typeof c.ageMs === 'number' && Number.isFinite(c.ageMs) ? { ageMs: c.ageMs } : {};
    checks.push({ stage: c.stage, ok: c.ok, detail: c.detail, ...age });
  }
  return ok(checks);
}

/** One WebSocket message of src/shared/wire.ts; a whole message is refused if any part is wrong. */
export function parseServerMessage(input: unknown): Result<ServerMessage> {
  const o = asObject(input, 'message');
  if (!o.ok) return o;
  const m = o.value;
  switch (m.type) {
    case 'snapshot': {
      const s = parseSnapshot(m.snapshot, PARSE);
      return s.ok ? ok({ type: 'snapshot', snapshot: s.value }) : fail(`message: ${s.error}`);
    }
    case 'batch': {
      const b = parseMetricBatch(m.batch);
      return b.ok ? ok({ type: 'batch', batch: b.value }) : fail(`message: ${b.error}`);
    }
    case 'status': {
      const s = parseSourceStatus(m.status);
      return s.ok ? ok({ type: 'status', status: s.value }) : fail(`message: ${s.error}`);
    }
    case 'burstProgress': {
      const p = parseBurstProgress(m.progress);
      return p.ok ? ok({ type: 'burstProgress', progress: p.value }) : fail(`message: ${p.error}`);
    }
    default:
      return fail(`message: unknown "type" ${JSON.stringify(m.type)}`);
  }
}

export interface MessageHandlers {
  onBatch(batch: MetricBatch): void;
  onStatus(status: SourceStatus): void;
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
 * ±20 % jitter so many screens behind one restarted server do not reconnect in lockstep.
 * `random` is in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  random: number,
  baseMs: number = RECONNECT_BASE_MS,
  maxMs: number = RECONNECT_MAX_MS,
): number {
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  const jittered = nominal * (0.8 + 0.4 * random);
  return Math.round(Math.min(maxMs, Math.max(baseMs, jittered)));
}

/** What the screen says while the WebSocket is down. */
export function lostConnectionStatus(secondsLeft: number): SourceStatus {
  return {
    source: 'web',
    state: 'connecting',
    message: `Connection to the livewall server lost; retrying in ${secondsLeft} s`,
  };
}
