/**
 * The metric state of the screen and its transitions, as pure functions (no DOM, no React), so
 * they run and are tested in Node.
 */
import type { MetricBatch, MetricRecord, MetricWindow, Snapshot } from '@shared/contracts';
import { metricIdentity } from '@shared/identity';
import { judgeRecord } from '@shared/metricState';

/** Records of one (name, window, dimension keys), keyed by contract 2's identity. */
export type Series = ReadonlyMap<string, MetricRecord>;

/**
 * The metric state: series key → series. A one-level map of every identity would have to be
 * copied whole on each frame (the 1m × city series alone grow by thousands of identities an
 * hour); two levels copy only the series a batch touched, and a panel that reads untouched series
 * keeps its memoized result. Both levels are replaced, never mutated, when something changes.
 */
export type MetricIndex = ReadonlyMap<string, Series>;

export interface MetricsData {
  metrics: MetricIndex;
  /** Event time of the newest record main has folded in, epoch ms. */
  lastRecordAt: number | null;
  /** Main's word that the source has gone quiet. */
  stale: boolean;
  /** Greatest `1d` start seen; records older than the day before it are dropped. */
  latestDay: number | null;
}

export type MetricsAction =
  { type: 'snapshot'; snapshot: Snapshot } | { type: 'batch'; batch: MetricBatch };

export const EMPTY_INDEX: MetricIndex = new Map();

export const initialMetricsData: MetricsData = {
  metrics: EMPTY_INDEX,
  lastRecordAt: null,
  stale: false,
  latestDay: null,
};

/**
 * Windows that start this long before the latest day are dropped: the previous calendar day starts
 * at most 25 h earlier (a daylight-saving day), and a screen that runs for weeks needs bounded memory.
 */
export const RETAIN_BEFORE_LATEST_DAY_MS = 25 * 3_600_000;

/**
 * How far ahead of this screen's clock a window may start and still be kept: the server's clock
 * and the browser's may differ a little, never by days. A record dated beyond it (an order with
 * create_time 9999-12-31) is not shown and must not become the "latest day" that the retention
 * counts back from: it would drop the real day.
 */
export const CLOCK_SKEW_MS = 2 * 60_000;

/** Key of the series a record belongs to; dimension keys in any order name the same series. */
export function seriesKey(
  name: string,
  window: MetricWindow,
  dimKeys: readonly string[] = [],
): string {
  return JSON.stringify([name, window, [...dimKeys].sort()]);
}

export function seriesKeyOf(r: Pick<MetricRecord, 'name' | 'window' | 'dims'>): string {
  return seriesKey(r.name, r.window, Object.keys(r.dims));
}

/**
 * Both actions merge under the identity rule rather than replace: a snapshot may answer after
 * pushes already arrived, and the rule makes the order of the two irrelevant.
 */
export function metricsReducer(
  state: MetricsData,
  action: MetricsAction,
  now?: number,
): MetricsData {
  switch (action.type) {
    case 'snapshot':
      return applyRecords(state, action.snapshot.metrics, { ...action.snapshot, now });
    case 'batch':
      return applyRecords(state, action.batch.records, { ...action.batch, now });
  }
}

/**
 * Folds records in under contract 2's rule: per identity the greatest `occur` wins, on a tie the
 * later one received. Returns `state` itself when nothing changed, so subscribers see no change.
 */
export function applyRecords(
  state: MetricsData,
  records: readonly MetricRecord[],
  meta: { lastRecordAt: number | null; stale: boolean; now?: number | undefined },
): MetricsData {
  const latest = meta.now === undefined ? Infinity : meta.now + CLOCK_SKEW_MS;
  let latestDay = state.latestDay;
  for (const r of records) {
    if (r.start > latest) continue;
    if (r.window === '1d' && (latestDay === null || r.start > latestDay)) latestDay = r.start;
  }
  const cutoff = latestDay === null ? -Infinity : latestDay - RETAIN_BEFORE_LATEST_DAY_MS;
  let index = state.metrics;
  if (latestDay !== state.latestDay) index = dropBefore(index, cutoff);

  // Series copied during this call: copy-on-write, once per series however many records it gets.
  const copies = new Map<string, Map<string, MetricRecord>>();
  for (const r of records) {
    if (r.start < cutoff || r.start > latest) continue;
    const key = seriesKeyOf(r);
    const id = metricIdentity(r);
    const copy = copies.get(key);
    if (judgeRecord((copy ?? index.get(key))?.get(id), r) !== 'newer') continue;
    if (copy) copy.set(id, r);
    else copies.set(key, new Map(index.get(key)).set(id, r));
  }
  if (copies.size > 0) {
    const next = new Map(index);
    for (const [key, series] of copies) next.set(key, series);
    index = next;
  }

  // Max, not last: a snapshot may answer after a newer push.
  const lastRecordAt =
    meta.lastRecordAt === null
      ? state.lastRecordAt
      : Math.max(meta.lastRecordAt, state.lastRecordAt ?? -Infinity);
  if (
    index === state.metrics &&
    lastRecordAt === state.lastRecordAt &&
    meta.stale === state.stale &&
    latestDay === state.latestDay
  ) {
    return state;
  }
  return { metrics: index, lastRecordAt, stale: meta.stale, latestDay };
}

/** Drops records whose window starts before `cutoff`; series left empty go too. */
function dropBefore(index: MetricIndex, cutoff: number): MetricIndex {
  let next: Map<string, Series> | null = null;
  for (const [key, series] of index) {
    let kept: Map<string, MetricRecord> | null = null;
    for (const [id, r] of series) {
      if (r.start >= cutoff) continue;
      kept ??= new Map(series);
      kept.delete(id);
    }
    if (!kept) continue;
    next ??= new Map(index);
    if (kept.size === 0) next.delete(key);
    else next.set(key, kept);
  }
  return next ?? index;
}

/** Batches waiting for the next frame, coalesced by identity so a hidden window's buffer stays bounded. */
export interface PendingBatch {
  records: Map<string, MetricRecord>;
  lastRecordAt: number | null;
  stale: boolean;
}

/**
 * Folds a batch into the pending buffer under the identity rule. The buffer is private to the
 * frame batcher (never state), so it is updated in place and returned.
 */
export function coalesceBatch(pending: PendingBatch | null, batch: MetricBatch): PendingBatch {
  const p = pending ?? { records: new Map(), lastRecordAt: null, stale: batch.stale };
  for (const r of batch.records) {
    const id = metricIdentity(r);
    if (judgeRecord(p.records.get(id), r) !== 'older') p.records.set(id, r);
  }
  if (batch.lastRecordAt !== null) {
    p.lastRecordAt = Math.max(batch.lastRecordAt, p.lastRecordAt ?? -Infinity);
  }
  p.stale = batch.stale;
  return p;
}

export function pendingToBatch(p: PendingBatch): MetricBatch {
  return { records: [...p.records.values()], lastRecordAt: p.lastRecordAt, stale: p.stale };
}

/** Builds an index from records (tests, and anyone holding a plain list). */
export function indexFromRecords(records: readonly MetricRecord[], now?: number): MetricIndex {
  return applyRecords(initialMetricsData, records, { lastRecordAt: null, stale: false, now })
    .metrics;
}

/** Every record held, in no particular order. */
export function recordsOf(index: MetricIndex): MetricRecord[] {
  const out: MetricRecord[] = [];
  for (const series of index.values()) for (const r of series.values()) out.push(r);
  return out;
}
