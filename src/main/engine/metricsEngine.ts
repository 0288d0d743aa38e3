/**
 * The metrics engine: an incrementally maintained view of the `order` table's current rows.
 * Each change retracts the row's previous contributions and adds its new ones, so every value
 * equals DESIGN.md's SQL GROUP BY over the table (contract 2's metrics table).
 */
import {
  SOLD_STATUSES,
  type DimValue,
  type MetricRecord,
  type MetricWindow,
  type OrderChange,
} from '@shared/contracts';
import { parseChangeEvent, parseOrderChange } from '@shared/parse';
import { dayStart, minuteStart, parseDbDatetime } from '@shared/time';

export interface CustomerInfo {
  level: number | null;
  sex: string | null;
}

export interface EngineOptions {
  /** Zone of the calendar days (default: the machine's). */
  timeZone: string;
  /** Zone the database's datetime strings are written in. */
  dbTimeZone: string;
  /** Days kept and emitted: the current one and the ones before it (default 2). */
  retentionDays?: number;
  /** Table whose events are folded; others are counted as ignored. */
  table?: string;
  /** The `customer` dimension; unknown customers fold with a null level. */
  customer?: (email: string) => CustomerInfo | undefined;
  now?: () => number;
}

export interface EngineStats {
  applied: number;
  ignored: number;
  malformed: number;
  skipped: number;
  liveOrders: number;
  lastError: string | null;
}

/** What one row adds to the view. */
interface RowFacts {
  day: number;
  minute: number;
  city: string;
  status: string;
  mail: string;
  cents: number;
  level: number | null;
}

interface Aggregate {
  name: string;
  window: MetricWindow;
  start: number;
  dims: Record<string, DimValue>;
  /** Counts, or cents for gmv. */
  value: number;
  /** Rows in the group; at 0 the group is emitted once more with value 0, then dropped. */
  rows: number;
  occur: number;
}

const DAY = 86_400_000;

/**
 * The engine's own key for an aggregate: every group has at most one dimension, so a plain
 * concatenation names it uniquely and costs far less than the contract's JSON identity.
 */
function groupKey(
  name: string,
  window: MetricWindow,
  start: number,
  dims: Record<string, DimValue>,
): string {
  for (const k in dims)
    return `${name}\u0000${window}\u0000${start}\u0000${k}\u0000${typeof dims[k]}\u0000${String(dims[k])}`;
  return `${name}\u0000${window}\u0000${start}`;
}

export class MetricsEngine {
  private readonly rows = new Map<number, RowFacts>();
  private readonly aggs = new Map<string, Aggregate>();
  /** Per day: sold orders per mail, for COUNT(DISTINCT user_mail). */
  private readonly buyers = new Map<number, Map<string, number>>();
  private readonly dirty = new Set<string>();
  private readonly dirtyDays = new Set<number>();
  private readonly dayOccur = new Map<number, number>();
  private cutoffAt = { at: -Infinity, value: 0 };
  private prunedAt = 0;
  private readonly opts: Required<Omit<EngineOptions, 'customer'>> &
    Pick<EngineOptions, 'customer'>;
  private readonly counters: Omit<EngineStats, 'liveOrders'> = {
    applied: 0,
    ignored: 0,
    malformed: 0,
    skipped: 0,
    lastError: null,
  };

  constructor(opts: EngineOptions) {
    this.opts = { retentionDays: 2, table: 'order', now: Date.now, ...opts };
  }

  stats(): EngineStats {
    return { ...this.counters, liveOrders: this.rows.size };
  }

  /** Folds one raw record (contract 1 JSON); malformed input is counted and skipped. */
  applyRaw(data: string): void {
    const parsed = parseChangeEvent(data);
    if (!parsed.ok) return this.malformed(parsed.error);
    if (parsed.value === 'skip' || parsed.value.table !== this.opts.table) {
      this.counters.ignored++;
      return;
    }
    const change = parseOrderChange(parsed.value);
    if (!change.ok) return this.malformed(change.error);
    this.apply(change.value);
  }

  apply(change: OrderChange): void {
    const next = change.type === 'delete' ? null : this.factsOf(change);
    if (next === undefined) return; // malformed datetime, already counted
    const id = change.data.order_id;
    const prev = this.rows.get(id);
    const cutoff = this.cutoff();
    if (!prev && (!next || next.day < cutoff)) {
      // A delete of a row we never held, or a row created before the days kept.
      this.counters.skipped++;
      return;
    }
    const occur = change.ts * 1000;
    if (prev) this.fold(prev, -1, occur);
    if (next && next.day >= cutoff) {
      this.fold(next, +1, occur);
      this.rows.set(id, next);
    } else {
      this.rows.delete(id);
    }
    this.counters.applied++;
  }

  /**
   * The records of every identity that changed since the last drain, one per identity
   * (coalesced), then drops emptied groups and days past the retention.
   */
  drain(): MetricRecord[] {
    const out: MetricRecord[] = [];
    for (const key of this.dirty) {
      const a = this.aggs.get(key);
      if (!a) continue;
      out.push(this.record(a));
      if (a.rows === 0) this.aggs.delete(key);
    }
    this.dirty.clear();
    for (const day of this.dirtyDays) out.push(...this.derived(day));
    this.dirtyDays.clear();
    this.prune();
    return out;
  }

  private malformed(error: string): void {
    this.counters.malformed++;
    this.counters.lastError = error;
  }

  private factsOf(change: OrderChange): RowFacts | undefined {
    const row = change.data;
    const created = parseDbDatetime(row.create_time, this.opts.dbTimeZone);
    if (created === null) {
      this.malformed(`order ${row.order_id}: create_time "${row.create_time}" is not a datetime`);
      return undefined;
    }
    return {
      day: dayStart(created, this.opts.timeZone),
      minute: minuteStart(created),
      city: row.city,
      status: row.status,
      mail: row.user_mail,
      cents: Math.round(row.amount * 100),
      level: this.opts.customer?.(row.user_mail)?.level ?? null,
    };
  }

  private fold(f: RowFacts, sign: 1 | -1, occur: number): void {
    const add = (
      name: string,
      window: MetricWindow,
      dims: Record<string, DimValue>,
      v: number,
    ): void => {
      const start = window === '1d' ? f.day : f.minute;
      const key = groupKey(name, window, start, dims);
      let a = this.aggs.get(key);
      if (!a) {
        a = { name, window, start, dims, value: 0, rows: 0, occur };
        this.aggs.set(key, a);
      }
      a.value += sign * v;
      a.rows += sign;
      a.occur = Math.max(a.occur, occur);
      this.dirty.add(key);
    };
    for (const w of ['1d', '1m'] as const) {
      add('orders', w, {}, 1);
      add('orders', w, { city: f.city }, 1);
      add('orders', w, { status: f.status }, 1);
    }
    const sold = SOLD_STATUSES.has(f.status);
    if (sold) {
      for (const w of ['1d', '1m'] as const) {
        add('gmv', w, {}, f.cents);
        add('gmv', w, { city: f.city }, f.cents);
        add('gmv', w, { level: f.level }, f.cents);
      }
      add('paid_orders', '1d', {}, 1);
      add('paid_orders', '1d', { city: f.city }, 1);
      let mails = this.buyers.get(f.day);
      if (!mails) this.buyers.set(f.day, (mails = new Map()));
      const n = (mails.get(f.mail) ?? 0) + sign;
      if (n > 0) mails.set(f.mail, n);
      else mails.delete(f.mail);
    }
    if (f.status === 'cancel') add('cancelled', '1d', {}, 1);
    this.dirtyDays.add(f.day);
    this.dayOccur.set(f.day, Math.max(this.dayOccur.get(f.day) ?? 0, occur));
  }

  private record(a: Aggregate): MetricRecord {
    const value = a.name === 'gmv' ? a.value / 100 : a.value;
    return {
      name: a.name,
      value,
      occur: a.occur,
      window: a.window,
      start: a.start,
      dims: { ...a.dims },
    };
  }

  /** aov and buyers of a day, recomputed from their inputs whenever the day changed. */
  private derived(day: number): MetricRecord[] {
    const occur = this.dayOccur.get(day) ?? 0;
    const total = (name: string): number =>
      this.aggs.get(groupKey(name, '1d', day, {}))?.value ?? 0;
    const cents = total('gmv');
    const paid = total('paid_orders');
    const base = { occur, window: '1d' as const, start: day, dims: {} };
    return [
      { name: 'aov', value: paid === 0 ? 0 : Math.round(cents / paid) / 100, ...base },
      { name: 'buyers', value: this.buyers.get(day)?.size ?? 0, ...base },
    ];
  }

  /** Start of the oldest day kept; recomputed at most once a second (Intl is not free). */
  private cutoff(): number {
    const now = this.opts.now();
    if (now - this.cutoffAt.at < 1000) return this.cutoffAt.value;
    const today = dayStart(now, this.opts.timeZone);
    // Step back to the middle of the oldest day, so a 23- or 25-hour day still lands on its midnight.
    const value = dayStart(
      today - (this.opts.retentionDays - 1) * DAY + DAY / 2,
      this.opts.timeZone,
    );
    this.cutoffAt = { at: now, value };
    return value;
  }

  /** Drops days past the retention; runs only when the oldest day kept moved. */
  private prune(): void {
    const cutoff = this.cutoff();
    if (cutoff === this.prunedAt) return;
    this.prunedAt = cutoff;
    for (const [key, a] of this.aggs) if (a.start < cutoff) this.aggs.delete(key);
    for (const [id, f] of this.rows) if (f.day < cutoff) this.rows.delete(id);
    for (const day of this.buyers.keys()) if (day < cutoff) this.buyers.delete(day);
    for (const day of this.dayOccur.keys()) if (day < cutoff) this.dayOccur.delete(day);
  }
}
