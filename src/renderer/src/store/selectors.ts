/**
 * What the panels show, computed from the metric state. Pure (no DOM, no React) and memoized on
 * the series they read, so a panel gets the same object back until its own data changes.
 */
import {
  type BurstProgress,
  type BurstSummary,
  type BurstTarget,
  type BurstTargetId,
  type FeedStatus,
  ORDER_STATUSES,
  WORKSHOP_SALES_METRIC as WORKSHOP_SALES,
  type DimValue,
  type MetricWindow,
} from '@shared/contracts';
import { metricIdentity } from '@shared/identity';
import type { BurstData, PasswordState } from './burstReducer';
import type { HealthData } from './healthReducer';
import { memoLast } from './memo';
import {
  CLOCK_SKEW_MS,
  seriesKey,
  type MetricIndex,
  type MetricsData,
  type Series,
} from './metricsReducer';

const MINUTE = 60_000;
const EMPTY_SERIES: Series = new Map();

/** The series of one (name, window, dimension keys); an empty one when nothing arrived yet. */
export function seriesOf(
  metrics: MetricIndex,
  name: string,
  window: MetricWindow,
  dimKeys: readonly string[] = [],
): Series {
  return metrics.get(seriesKey(name, window, dimKeys)) ?? EMPTY_SERIES;
}

function valueAt(series: Series, name: string, window: MetricWindow, start: number): number | null {
  return series.get(metricIdentity({ name, window, start, dims: {} }))?.value ?? null;
}

const DAY = 24 * 60 * MINUTE;

/** The distinct starts of every `1d` record, newest first. */
const dayStartsOf = memoLast((metrics: MetricIndex): number[] => {
  const starts = new Set<number>();
  for (const series of metrics.values()) {
    const first = series.values().next().value;
    // Every record of a series shares its window.
    if (!first || first.window !== '1d') continue;
    for (const r of series.values()) starts.add(r.start);
  }
  return [...starts].sort((a, b) => b - a);
});

/**
 * Today by the clock, never by the data: the start of the `1d` window that holds `now` (the
 * newest start not after now, at most a day before it). A record dated 9999-12-31 is not today,
 * and after midnight yesterday's totals are not today's either: until the new day's first record
 * the tiles show "—". The windows are the engine's days in its configured zone, so the screen
 * needs no zone of its own.
 */
export function selectToday(metrics: MetricIndex, now: number): number | null {
  for (const start of dayStartsOf(metrics)) {
    if (start > now + CLOCK_SKEW_MS) continue;
    return start > now - DAY ? start : null;
  }
  return null;
}

/** Today's totals; null where no record has arrived (shown as "—", never as a made-up 0). */
export interface Kpis {
  gmv: number | null;
  orders: number | null;
  aov: number | null;
  paidOrders: number | null;
  cancelled: number | null;
  buyers: number | null;
}

const NO_KPIS: Kpis = {
  gmv: null,
  orders: null,
  aov: null,
  paidOrders: null,
  cancelled: null,
  buyers: null,
};

const kpisOf = memoLast(
  (
    today: number | null,
    gmvS: Series,
    salesS: Series,
    ordersS: Series,
    aovS: Series,
    paidS: Series,
    cancelledS: Series,
    buyersS: Series,
  ): Kpis => {
    if (today === null) return NO_KPIS;
    const orders = valueAt(ordersS, 'orders', '1d', today);
    // Once the day has orders the engine is counting it: a count it has not sent yet is 0 (the
    // engine emits only groups that exist), not "no data". A workshop stream has no counts at all.
    const counted = (x: number | null): number | null => x ?? (orders !== null ? 0 : null);
    // The workshop job's sales total stands in for gmv; livewall's own gmv wins when both exist.
    const gmv = counted(
      valueAt(gmvS, 'gmv', '1d', today) ?? valueAt(salesS, WORKSHOP_SALES, '1d', today),
    );
    const paidOrders = counted(valueAt(paidS, 'paid_orders', '1d', today));
    // An average over no sold order does not exist: "—", never ¥0.00.
    let aov: number | null = null;
    if (paidOrders !== null && paidOrders > 0) {
      aov = valueAt(aovS, 'aov', '1d', today) ?? (gmv !== null ? gmv / paidOrders : null);
    }
    return {
      gmv,
      orders,
      aov,
      paidOrders,
      cancelled: counted(valueAt(cancelledS, 'cancelled', '1d', today)),
      buyers: counted(valueAt(buyersS, 'buyers', '1d', today)),
    };
  },
);

export function selectKpis(metrics: MetricIndex, now: number): Kpis {
  return kpisOf(
    selectToday(metrics, now),
    seriesOf(metrics, 'gmv', '1d'),
    seriesOf(metrics, WORKSHOP_SALES, '1d'),
    seriesOf(metrics, 'orders', '1d'),
    seriesOf(metrics, 'aov', '1d'),
    seriesOf(metrics, 'paid_orders', '1d'),
    seriesOf(metrics, 'cancelled', '1d'),
    seriesOf(metrics, 'buyers', '1d'),
  );
}

/** True once the stream has carried a workshop job record (the source chip says so). */
export function selectWorkshopRecords(metrics: MetricIndex): boolean {
  return seriesOf(metrics, WORKSHOP_SALES, '1d').size > 0;
}

export interface TrendPoint {
  /** Minute start, epoch ms. */
  start: number;
  orders: number;
  gmv: number;
}

/** A whole day: the trend never shows more, and shows it all once it has it. */
export const TREND_MAX_MINUTES = 1440;
const NO_TREND: TrendPoint[] = [];

/**
 * The minutes the trend spans: from the first minute with data to the newest, at most a day.
 * A fresh start shows its two minutes, not 28 made-up zeros before them.
 */
export function trendWindow(
  first: number,
  last: number,
  maxMinutes: number = TREND_MAX_MINUTES,
): { start: number; minutes: number } {
  const minutes = Math.min(maxMinutes, Math.floor((last - first) / MINUTE) + 1);
  return { start: last - (minutes - 1) * MINUTE, minutes: Math.max(1, minutes) };
}

const trendOf = memoLast(
  (ordersS: Series, gmvS: Series, maxMinutes: number, latest: number): TrendPoint[] => {
    let end: number | null = null;
    let first: number | null = null;
    for (const s of [ordersS, gmvS]) {
      for (const r of s.values()) {
        // Minutes after the clock are not drawn: one record dated in the future would stretch
        // the axis to it and squeeze the real day into nothing.
        if (r.start > latest) continue;
        if (end === null || r.start > end) end = r.start;
        if (first === null || r.start < first) first = r.start;
      }
    }
    if (end === null || first === null) return NO_TREND;
    const w = trendWindow(first, end, maxMinutes);
    // Indexed by minute in one pass over each series: no identity strings built per minute, which
    // at ten updates a second of a whole day is garbage the collector would pause the screen for.
    const orders = new Float64Array(w.minutes);
    const gmv = new Float64Array(w.minutes);
    const fill = (series: Series, name: string, into: Float64Array): void => {
      for (const r of series.values()) {
        const i = (r.start - w.start) / MINUTE;
        // Every record of a series shares its window and dimension keys, so only its name varies.
        if (r.name === name && i >= 0 && i < w.minutes && Number.isInteger(i)) into[i] = r.value;
      }
    };
    fill(ordersS, 'orders', orders);
    fill(gmvS, 'gmv', gmv);
    const points: TrendPoint[] = [];
    // A minute without a record had no orders: the engine emits only groups that exist.
    for (let i = 0; i < w.minutes; i++) {
      points.push({ start: w.start + i * MINUTE, orders: orders[i]!, gmv: gmv[i]! });
    }
    return points;
  },
);

/**
 * Orders and gmv per minute, from the first minute with data to the newest not after the clock's
 * (at most a day).
 */
export function selectTrend(
  metrics: MetricIndex,
  now: number,
  maxMinutes: number = TREND_MAX_MINUTES,
): TrendPoint[] {
  // Memoized per minute, not per second: `latest` changes once a minute.
  const latest = Math.floor((now + CLOCK_SKEW_MS) / MINUTE) * MINUTE;
  return trendOf(
    seriesOf(metrics, 'orders', '1m'),
    seriesOf(metrics, 'gmv', '1m'),
    maxMinutes,
    latest,
  );
}

export interface CityRow {
  city: string;
  gmv: number;
  orders: number;
}

export const TOP_CITIES = 8;
const NO_CITIES: CityRow[] = [];

function dimText(v: DimValue | undefined): string {
  return v === null || v === undefined ? '(unknown)' : String(v);
}

const topCitiesOf = memoLast(
  (today: number | null, gmvS: Series, ordersS: Series, limit: number): CityRow[] => {
    if (today === null) return NO_CITIES;
    const rows = new Map<string, CityRow>();
    const row = (city: string): CityRow => {
      let r = rows.get(city);
      if (!r) rows.set(city, (r = { city, gmv: 0, orders: 0 }));
      return r;
    };
    for (const r of gmvS.values()) if (r.start === today) row(dimText(r.dims.city)).gmv = r.value;
    for (const r of ordersS.values()) {
      if (r.start === today) row(dimText(r.dims.city)).orders = r.value;
    }
    return (
      [...rows.values()]
        // A ranking by GMV lists cities with GMV: one with orders and no sale yet is not "¥0".
        .filter((r) => r.gmv > 0)
        .sort((a, b) => b.gmv - a.gmv || b.orders - a.orders || a.city.localeCompare(b.city))
        .slice(0, limit)
    );
  },
);

/** Today's cities with gmv, greatest first (ties: more orders, then name), at most `limit`. */
export function selectTopCities(
  metrics: MetricIndex,
  now: number,
  limit: number = TOP_CITIES,
): CityRow[] {
  return topCitiesOf(
    selectToday(metrics, now),
    seriesOf(metrics, 'gmv', '1d', ['city']),
    seriesOf(metrics, 'orders', '1d', ['city']),
    limit,
  );
}

export interface StatusShare {
  status: string;
  orders: number;
}

const NO_STATUSES: StatusShare[] = [];
const STATUS_ORDER: ReadonlyMap<string, number> = new Map(ORDER_STATUSES.map((s, i) => [s, i]));

const statusBreakdownOf = memoLast((today: number | null, ordersS: Series): StatusShare[] => {
  if (today === null) return NO_STATUSES;
  const out: StatusShare[] = [];
  for (const r of ordersS.values()) {
    if (r.start === today && r.value !== 0)
      out.push({ status: dimText(r.dims.status), orders: r.value });
  }
  // A fixed order keeps each status's colour and legend place steady while counts change.
  const rank = (s: string): number => STATUS_ORDER.get(s) ?? ORDER_STATUSES.length;
  return out.sort((a, b) => rank(a.status) - rank(b.status) || a.status.localeCompare(b.status));
});

/** Today's orders by status, in the generator's status order (unknown statuses after, by name). */
export function selectStatusBreakdown(metrics: MetricIndex, now: number): StatusShare[] {
  return statusBreakdownOf(
    selectToday(metrics, now),
    seriesOf(metrics, 'orders', '1d', ['status']),
  );
}

// Store-level selectors. Those of today's data also take the clock (components pass useNow()'s);
// their results are memoized, so a new second with the same day gives the same object back.

type MetricsView = Pick<MetricsData, 'metrics'>;

export const kpisSelector = (s: MetricsView, now: number): Kpis => selectKpis(s.metrics, now);
export const workshopRecordsSelector = (s: MetricsView): boolean =>
  selectWorkshopRecords(s.metrics);
export const trendSelector = (s: MetricsView, now: number): TrendPoint[] =>
  selectTrend(s.metrics, now);
export const topCitiesSelector = (s: MetricsView, now: number): CityRow[] =>
  selectTopCities(s.metrics, now);
export const statusBreakdownSelector = (s: MetricsView, now: number): StatusShare[] =>
  selectStatusBreakdown(s.metrics, now);

export interface Freshness {
  lastRecordAt: number | null;
  stale: boolean;
}
/** An object pick: use with `useShallow`. */
export const freshnessSelector = (s: Freshness): Freshness => ({
  lastRecordAt: s.lastRecordAt,
  stale: s.stale,
});

export const feedStatusSelector = (s: { status: FeedStatus | null }): FeedStatus | null => s.status;

export interface BurstView {
  running: boolean;
  requested: number | null;
  lastSummary: BurstSummary | null;
  lastError: string | null;
  progress: BurstProgress | null;
  /** A burst fired elsewhere is running. */
  external: boolean;
}
/** An object pick: use with `useShallow`. */
export const burstViewSelector = (s: BurstData): BurstView => ({
  running: s.running,
  requested: s.requested,
  lastSummary: s.lastSummary,
  lastError: s.lastError,
  progress: s.progress,
  external: s.external,
});

export interface BurstTargetsView {
  targets: BurstTarget[];
  target: BurstTargetId | null;
  /** Loaded and empty: this screen has nowhere to send orders. */
  nowhere: boolean;
}
/** An object pick: use with `useShallow`. */
export const burstTargetsSelector = (s: BurstData): BurstTargetsView => ({
  targets: s.targets,
  target: s.target,
  nowhere: s.targetsLoaded && s.targets.length === 0,
});

/** Replaced as a whole by the reducer, so no `useShallow` is needed. */
export const passwordSelector = (s: BurstData): PasswordState => s.password;

/**
 * How full the burst bar is, 0 to 1: orders settled (inserted or failed) of those asked for.
 * Lifecycle steps are not in it, because their number is known only as they are scheduled.
 */
export function burstFraction(progress: BurstProgress | null, requested: number | null): number {
  const total = progress?.requested ?? requested;
  if (!progress || !total) return 0;
  return Math.min(1, Math.max(0, (progress.inserted + progress.failed) / total));
}

/** What the header's dot says about the last run. */
export type HealthLevel = 'unknown' | 'ok' | 'failed';

/**
 * Grey before any answer and when nothing is configured to check; green when every check passed;
 * red when one failed, or when the run itself failed (the wall cannot vouch for the pipeline then).
 */
export function healthLevel(state: Pick<HealthData, 'checks' | 'error'>): HealthLevel {
  if (state.error !== null) return 'failed';
  if (state.checks === null || state.checks.length === 0) return 'unknown';
  return state.checks.every((c) => c.ok) ? 'ok' : 'failed';
}

export const healthSelector = (s: { health: HealthData }): HealthData => s.health;
export const healthLevelSelector = (s: { health: HealthData }): HealthLevel =>
  healthLevel(s.health);
