/**
 * The trend's rows for the chart. The newest minute is usually still being counted: drawn as the
 * others it always plunges and looks like an outage, and scaled up to a whole minute it reads
 * many times the true rate in its first seconds (and a burst as six times itself). So the whole
 * minutes are drawn as they are, and the present as what it is: the count of the last 60 s, the
 * minute so far plus the share of the previous minute still inside those 60 s (spread evenly over
 * it: the engine counts by the minute). It is plotted at the start of its 60 s, as every minute
 * is, so it slides from the last whole minute to the next and meets each one as it completes.
 */
import type { TrendPoint } from '../store/selectors';

export interface TrendRow {
  start: number;
  orders: number;
  gmv: number;
}

/** The last 60 s up to `now`, plotted at their start (`at` = now − 60 s). */
export interface TrendLive {
  at: number;
  orders: number;
  gmv: number;
  /** Seconds of the current minute counted so far, 0–59 (the legend says "the last 60 s"). */
  elapsedMs: number;
}

export interface Trend {
  /** Whole minutes only. */
  rows: TrendRow[];
  /** Null when the newest minute with data is over (nothing in progress to draw). */
  live: TrendLive | null;
}

const MINUTE = 60_000;

/** The minute `now` falls in, epoch ms. */
export function minuteOf(now: number): number {
  return Math.floor(now / MINUTE) * MINUTE;
}

/**
 * The count of the 60 s before `now`: the current minute's count so far plus the previous
 * minute's count for the part of it still inside the 60 s. Exact for a steady rate; a burst
 * counts once, at its size.
 */
export function lastSixtySeconds(current: number, previous: number, elapsedMs: number): number {
  const e = Math.min(MINUTE, Math.max(0, elapsedMs));
  return current + (previous * (MINUTE - e)) / MINUTE;
}

export function trendRows(points: readonly TrendPoint[], now: number): Trend {
  const last = points.length - 1;
  const current = minuteOf(now);
  const newest = points[last];
  if (!newest || newest.start < current) {
    return { rows: points.map(({ start, orders, gmv }) => ({ start, orders, gmv })), live: null };
  }
  const rows = points.slice(0, last).map(({ start, orders, gmv }) => ({ start, orders, gmv }));
  const prev = rows[rows.length - 1];
  const before = prev && prev.start === current - MINUTE ? prev : { orders: 0, gmv: 0 };
  const elapsedMs = now - current;
  return {
    rows,
    live: {
      at: now - MINUTE,
      orders: lastSixtySeconds(newest.orders, before.orders, elapsedMs),
      gmv: lastSixtySeconds(newest.gmv, before.gmv, elapsedMs),
      elapsedMs,
    },
  };
}
