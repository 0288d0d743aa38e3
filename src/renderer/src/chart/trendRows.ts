/**
 * The trend's rows for the chart. The newest minute is usually still being counted: drawn as the
 * others it always plunges and looks like an outage. So it is split off into its own dashed
 * segment (`live`) from the last whole minute, ending in a hollow point at the minute's pace so
 * far (its count scaled to a whole minute), which the legend calls an estimate.
 */
import type { TrendPoint } from '../store/selectors';

export interface TrendRow {
  start: number;
  /** Whole minutes; null at the minute in progress. */
  orders: number | null;
  gmv: number | null;
  /** Only at the last whole minute and the one in progress: the dashed segment. */
  ordersLive: number | null;
  gmvLive: number | null;
}

const MINUTE = 60_000;
/** Before 10 s of a minute, its pace is too noisy to scale: it counts as 10 s. */
const MIN_ELAPSED = 10_000;

/** The minute `now` falls in, epoch ms. */
export function minuteOf(now: number): number {
  return Math.floor(now / MINUTE) * MINUTE;
}

/** A minute's count scaled to a whole minute at its pace so far. */
export function paceOf(count: number, elapsedMs: number): number {
  return (count * MINUTE) / Math.min(MINUTE, Math.max(MIN_ELAPSED, elapsedMs));
}

export function trendRows(points: readonly TrendPoint[], now: number): TrendRow[] {
  const last = points.length - 1;
  const current = minuteOf(now);
  const inProgress = last >= 0 && points[last]!.start >= current;
  const elapsed = now - current;
  return points.map((p, i) => {
    const live = inProgress && i >= last - 1;
    const whole = !(inProgress && i === last);
    return {
      start: p.start,
      orders: whole ? p.orders : null,
      gmv: whole ? p.gmv : null,
      ordersLive: live ? (whole ? p.orders : paceOf(p.orders, elapsed)) : null,
      gmvLive: live ? (whole ? p.gmv : paceOf(p.gmv, elapsed)) : null,
    };
  });
}
