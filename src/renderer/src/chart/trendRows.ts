/**
 * The trend's rows for the chart. The newest minute is usually still being counted: drawn as the
 * others it always plunges and looks like an outage, so it is split off into its own dashed
 * segment (`live`), from the last whole minute to it, with a hollow point.
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

/** The minute `now` falls in, epoch ms. */
export function minuteOf(now: number): number {
  return Math.floor(now / MINUTE) * MINUTE;
}

export function trendRows(points: readonly TrendPoint[], currentMinute: number): TrendRow[] {
  const last = points.length - 1;
  const inProgress = last >= 0 && points[last]!.start >= currentMinute;
  return points.map((p, i) => {
    const live = inProgress && i >= last - 1;
    const whole = !(inProgress && i === last);
    return {
      start: p.start,
      orders: whole ? p.orders : null,
      gmv: whole ? p.gmv : null,
      ordersLive: live ? p.orders : null,
      gmvLive: live ? p.gmv : null,
    };
  });
}
