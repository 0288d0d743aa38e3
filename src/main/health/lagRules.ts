/**
 * When is a hop of the pipeline stuck? A quiet pipeline is healthy: a process is blamed only when
 * its upstream holds data that has not reached its downstream (newer than the downstream's
 * newest) and the oldest such data has waited longer than the allowed lag. So an idle evening
 * stays green, and a stopped cdc turns red within `maxLag` of the first order it misses.
 */
import type { HealthWords } from '@shared/healthWords';
import type { Hop, ProcessStage } from './stages';

/** Upstream data newer than the downstream's newest: how much, and how long the oldest waits. */
export interface Pending {
  count: number;
  /** Age of the oldest pending item, ms. */
  oldestAgeMs: number;
  /** The count is a lower bound (the probe stopped reading, or capped its query). */
  atLeast?: boolean;
}

export interface HopInput {
  hop: Hop;
  /** How the sentence names the two ends, e.g. `MySQL demo.order`, `order_ds`. */
  fromName: string;
  toName: string;
  maxLagMs: number;
  /** Added to maxLag for this hop (Firehose's buffer interval). */
  graceMs?: number;
  /** Age of the downstream's newest data; null when none was found within `windowMs`. */
  downstreamAgeMs: number | null;
  /** null or count 0: nothing is waiting. */
  pending: Pending | null;
  /** How far back the probes looked. */
  windowMs: number;
}

export type HopVerdict =
  | { ok: true; detail: string; words: HealthWords }
  | {
      ok: false;
      detail: string;
      words: HealthWords;
      /** how long the oldest pending item has waited */ behindMs: number;
    };

/** Upstream items (ages in ms) newer than the downstream's newest; null age: downstream has none. */
export function pendingFrom(
  upstreamAgesMs: readonly number[],
  downstreamAgeMs: number | null,
  atLeast = false,
): Pending | null {
  let count = 0;
  let oldest = -Infinity;
  for (const age of upstreamAgesMs) {
    if (downstreamAgeMs !== null && age >= downstreamAgeMs) continue;
    count++;
    if (age > oldest) oldest = age;
  }
  return count === 0 ? null : { count, oldestAgeMs: oldest, ...(atLeast ? { atLeast } : {}) };
}

/** Grace for cdc when MySQL shows nobody reading its binlog: a restart, not a stall. */
export const NO_BINLOG_READER_GRACE_MS = 10_000;

/**
 * The lag allowed to cdc: `maxLag`, but no more than 10 s when MySQL shows no binlog reader at
 * all (then nothing can be shipping: waiting a full minute only delays the news). Unknown
 * readers (no PROCESS privilege, or Maxwell reading a replica) keep `maxLag`.
 */
export function cdcAllowedLagMs(maxLagMs: number, binlogReaders: number | null): number {
  return binlogReaders === 0 ? Math.min(maxLagMs, NO_BINLOG_READER_GRACE_MS) : maxLagMs;
}

/** What each process is called in a sentence, what it does, and what to do when it stalls. */
const PROCESS: Record<ProcessStage, { name: string; verb: string; unit: string; remedy: string }> =
  {
    cdc: {
      name: 'cdc (Maxwell)',
      verb: 'shipped',
      unit: 'changes',
      remedy:
        "start `livewall cdc` or check Maxwell's log; if it says 'Could not find first log file name', its position was purged: start from the current position (`livewall cdc --from-current`, or delete Maxwell's stored position)",
    },
    engine: {
      name: 'the engine',
      verb: 'written',
      unit: 'changes',
      remedy:
        'start `livewall engine` (or `livewall flink`) and check its log; a Managed Flink application must be RUNNING and, inside a VPC, needs a route to Kinesis (a NAT gateway or a Kinesis VPC endpoint)',
    },
    firehose: {
      name: 'Firehose',
      verb: 'delivered',
      unit: 'rows',
      remedy:
        "check the delivery stream's last error; a Redshift destination must be publicly accessible (or reachable from Firehose) and its COPY must succeed",
    },
    // The dwd → warehouse hop when `livewall load` moves it instead of Firehose.
    load: {
      name: 'livewall load',
      verb: 'committed',
      unit: 'rows',
      remedy:
        'start `livewall load` (or read its log: it says when the warehouse is away or refuses a row)',
    },
  };

/** "4 s", "3 min", "2 h 5 min": coarse on purpose, a wall is read from across the room. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return 'ever';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}

/** The verdict on one hop: ok with what is flowing, or the process named with the remedy. */
export function judgeHop(input: HopInput): HopVerdict {
  const { hop, fromName, toName, maxLagMs, downstreamAgeMs, pending, windowMs } = input;
  const allowedMs = maxLagMs + (input.graceMs ?? 0);
  const p = PROCESS[hop.process];
  const newest =
    downstreamAgeMs === null
      ? `${toName} has nothing newer than ${formatAge(windowMs)}`
      : `${toName}'s newest is ${formatAge(downstreamAgeMs)} old`;
  // The same figures for a screen that words them itself (the warehouse by its stage name).
  const figures = {
    process: hop.process,
    from: fromName,
    to: hop.to === 'warehouse' ? 'warehouse' : toName,
    waiting: pending?.count ?? 0,
    atLeast: pending?.atLeast === true,
    oldestAgeMs: pending && pending.count > 0 ? pending.oldestAgeMs : null,
    allowedMs,
    downstreamAgeMs,
    windowMs,
  };
  if (pending === null || pending.count === 0) {
    return {
      ok: true,
      detail: `${fromName} → ${toName}: nothing waiting; ${newest}`,
      words: { code: 'hop-ok', ...figures },
    };
  }
  const count = `${pending.atLeast ? 'at least ' : ''}${pending.count}`;
  if (pending.oldestAgeMs <= allowedMs) {
    return {
      ok: true,
      detail: `${fromName} → ${toName}: ${count} ${p.unit} in flight, the oldest ${formatAge(pending.oldestAgeMs)} old (${formatAge(allowedMs)} allowed); ${newest}`,
      words: { code: 'hop-ok', ...figures },
    };
  }
  const since =
    downstreamAgeMs === null
      ? `within the last ${formatAge(windowMs)}`
      : `for ${formatAge(downstreamAgeMs)}`;
  return {
    ok: false,
    behindMs: pending.oldestAgeMs,
    words: { code: 'hop-stalled', ...figures },
    detail: `${p.name} has ${p.verb} nothing to ${toName} ${since} while ${fromName} took ${count} ${p.unit} (the oldest waiting ${formatAge(pending.oldestAgeMs)}, ${formatAge(allowedMs)} allowed): ${p.remedy}.`,
  };
}
