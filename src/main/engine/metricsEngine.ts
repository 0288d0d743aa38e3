/**
 * The metrics engine: an incrementally maintained view of the `order` table's current rows.
 * Each change retracts the row's previous contributions and adds its new ones, so every value
 * equals DESIGN.md's SQL GROUP BY over the table (contract 2's metrics table). Where the
 * workshop's Flink job summed every event (an update counted again, a cancelled order kept in
 * gmv, an unknown customer dropped), this folds the table's state:
 * - a change carries the whole row, so applying it sets the row: a repeated event changes nothing;
 * - with a binlog position (Maxwell's `position`/`xoffset`) an event older than the row's last
 *   one is skipped, so a producer's replayed tail does not even flicker;
 * - rows are keyed by order_id, so events of different orders may interleave in any order;
 * - an unknown customer folds with a null level, and a customer whose lookup is still under way
 *   is re-folded when it arrives: nothing waits for the dimension.
 */
import {
  SOLD_STATUSES,
  type DimValue,
  type MetricRecord,
  type MetricWindow,
  type OrderChange,
  type WideRow,
} from '@shared/contracts';
import { parseChangeEvent, parseOrderChange } from '@shared/parse';
import { dayStart, minuteStart, parseDbDatetime } from '@shared/time';
import type { EngineState } from './engineState';

export interface CustomerInfo {
  level: number | null;
  sex: string | null;
}

/** A customer's dimension row; null: no such customer; undefined: not known yet (lookup under way). */
export type CustomerLookup = (email: string) => CustomerInfo | null | undefined;

export interface EngineOptions {
  /** Zone of the calendar days (default: the machine's). */
  timeZone: string;
  /** Zone the database's datetime strings are written in. */
  dbTimeZone: string;
  /** Days kept and emitted: the current one and the ones before it (default 2). */
  retentionDays?: number;
  /** Table whose events are folded; others are counted as ignored. */
  table?: string;
  customer?: CustomerLookup;
  now?: () => number;
}

export interface EngineStats {
  applied: number;
  ignored: number;
  malformed: number;
  /** Changes to rows created before the days kept, and deletes of rows never seen. */
  skipped: number;
  /** Events older than what the row already reflects (a replayed tail). */
  stale: number;
  liveOrders: number;
  /** Rows folded before their customer's lookup answered. */
  pendingCustomers: number;
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
  /** Folded before the customer lookup answered; re-folded when it does. */
  pending: boolean;
  /** Comparable binlog position of the last change, when the events carry one. */
  version: string | null;
  /** The groups this row is counted in (not checkpointed: found again by key). */
  groups?: Aggregate[];
}

interface Aggregate {
  key: string;
  name: string;
  window: MetricWindow;
  start: number;
  dims: Record<string, DimValue>;
  /** Counts, or cents for gmv. */
  value: number;
  /** Rows in the group; at 0 the group is emitted once more with value 0, then dropped. */
  rows: number;
  occur: number;
  /** Emptied and dropped: a cached group list holding it must be built again. */
  dead?: boolean;
}

export type { EngineState };

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
  for (const k in dims) {
    return `${name}\u0000${window}\u0000${start}\u0000${k}\u0000${typeof dims[k]}\u0000${String(dims[k])}`;
  }
  return `${name}\u0000${window}\u0000${start}`;
}

const POSITION = /^(.*):(\d+)$/;
const SECONDS = /^:[0-5]\d(?:\.\d+)?$/;

/**
 * A string that sorts like the binlog: file name (zero-padded sequence), offset, then the row's
 * place in its transaction. Null when the event has no position.
 */
export function versionOf(event: { position?: unknown; xoffset?: unknown }): string | null {
  if (typeof event.position !== 'string') return null;
  const m = POSITION.exec(event.position);
  if (!m) return null;
  const xoffset = typeof event.xoffset === 'number' ? event.xoffset : 0;
  return `${m[1]}\u0000${(m[2] as string).padStart(20, '0')}\u0000${String(xoffset).padStart(10, '0')}`;
}

export class MetricsEngine {
  private rows = new Map<number, RowFacts>();
  /** Deleted rows' last positions, so a replayed older event does not bring a row back. */
  private tombstones = new Map<number, { version: string; day: number }>();
  private aggs = new Map<string, Aggregate>();
  /** Per day: sold orders per mail, for COUNT(DISTINCT user_mail). */
  private buyers = new Map<number, Map<string, number>>();
  private readonly pendingByMail = new Map<string, Set<number>>();
  private readonly dirty = new Set<Aggregate>();
  private readonly minuteCache = new Map<string, { minute: number; day: number } | null>();
  /** Row shape (day, minute, status, city, level) → its groups: most rows share a few shapes. */
  private readonly groupCache = new Map<string, Aggregate[]>();
  private readonly dirtyDays = new Set<number>();
  private dayOccur = new Map<number, number>();
  private maxOccur = 0;
  private cutoffAt = { at: -Infinity, value: 0 };
  private prunedAt = 0;
  private readonly opts: Required<Omit<EngineOptions, 'customer'>> &
    Pick<EngineOptions, 'customer'>;
  private readonly counters: Omit<EngineStats, 'liveOrders' | 'pendingCustomers'> = {
    applied: 0,
    ignored: 0,
    malformed: 0,
    skipped: 0,
    stale: 0,
    lastError: null,
  };

  constructor(opts: EngineOptions) {
    this.opts = { retentionDays: 2, table: 'order', now: Date.now, ...opts };
  }

  stats(): EngineStats {
    let pending = 0;
    for (const ids of this.pendingByMail.values()) pending += ids.size;
    return { ...this.counters, liveOrders: this.rows.size, pendingCustomers: pending };
  }

  /** Folds one raw record (contract 1 JSON); malformed input is counted and skipped. */
  applyRaw(data: string): WideRow | null {
    const change = this.parse(data);
    return change ? this.apply(change) : null;
  }

  /** A raw record as a change of the table; null (counted) when malformed or not ours. */
  parse(data: string): OrderChange | null {
    const parsed = parseChangeEvent(data);
    if (!parsed.ok) return this.malformed(parsed.error);
    if (parsed.value === 'skip' || parsed.value.table !== this.opts.table) {
      this.counters.ignored++;
      return null;
    }
    const change = parseOrderChange(parsed.value);
    return change.ok ? change.value : this.malformed(change.error);
  }

  /** Counts a record that could not even be decoded as text (bad bytes, a damaged aggregate). */
  rejectUndecodable(reason: string): void {
    this.malformed(reason);
  }

  /** Folds one change; returns its wide row (contract 3), or null when it changed nothing. */
  apply(change: OrderChange): WideRow | null {
    const id = change.data.order_id;
    const version = versionOf(change);
    const prev = this.rows.get(id);
    const known = prev?.version ?? this.tombstones.get(id)?.version ?? null;
    if (version !== null && known !== null && version <= known) {
      this.counters.stale++;
      return null;
    }
    const customer = this.opts.customer?.(change.data.user_mail);
    const next = change.type === 'delete' ? null : this.factsOf(change, customer, version);
    if (next === undefined) return null; // malformed datetime, already counted
    const cutoff = this.cutoff();
    if (!prev && (!next || next.day < cutoff)) {
      // A delete of a row we never held, or a row created before the days kept.
      this.counters.skipped++;
      return null;
    }
    const occur = change.ts * 1000;
    this.maxOccur = Math.max(this.maxOccur, occur);
    if (prev) this.unfold(id, prev, occur);
    if (next && next.day >= cutoff) {
      this.foldIn(id, next, occur);
      this.tombstones.delete(id);
    } else if (version !== null && prev) {
      this.tombstones.set(id, { version, day: prev.day });
    }
    this.counters.applied++;
    return {
      order_id: id,
      user_mail: change.data.user_mail,
      status: change.data.status,
      good_count: change.data.good_count,
      city: change.data.city,
      amount: change.data.amount,
      create_time: change.data.create_time,
      update_time: change.data.update_time,
      sex: customer?.sex ?? null,
      level: customer?.level ?? null,
      op: change.type,
      ts: occur,
    };
  }

  /** A lookup answered: rows folded while it was under way move to the customer's level. */
  refreshCustomer(email: string, info: CustomerInfo | null): void {
    const ids = this.pendingByMail.get(email);
    if (!ids) return;
    this.pendingByMail.delete(email);
    for (const id of ids) {
      const f = this.rows.get(id);
      if (!f?.pending) continue;
      this.fold(f, -1, this.maxOccur);
      f.level = info?.level ?? null;
      f.pending = false;
      f.groups = undefined;
      this.fold(f, +1, this.maxOccur);
    }
  }

  /** Marks every group for the next drain: a restored engine tells a fresh screen everything. */
  reemitAll(): void {
    for (const a of this.aggs.values()) this.dirty.add(a);
    for (const day of this.dayOccur.keys()) this.dirtyDays.add(day);
  }

  /** Mails whose rows wait for a lookup (asked again after a restart). */
  pendingMails(): string[] {
    return [...this.pendingByMail.keys()];
  }

  /**
   * The records of every identity that changed since the last drain, one per identity
   * (coalesced), then drops emptied groups and days past the retention.
   */
  drain(): MetricRecord[] {
    const out: MetricRecord[] = [];
    for (const a of this.dirty) {
      out.push(this.record(a));
      if (a.rows === 0) {
        this.aggs.delete(a.key);
        a.dead = true;
      }
    }
    this.dirty.clear();
    for (const day of this.dirtyDays) out.push(...this.derived(day));
    this.dirtyDays.clear();
    this.prune();
    return out;
  }

  /** A copy of the whole state for a checkpoint; call right after drain(). */
  snapshot(): EngineState {
    return {
      v: 1,
      rows: [...this.rows].map(([id, { groups: _groups, ...f }]) => [id, f]),
      tombstones: [...this.tombstones],
      aggs: [...this.aggs.values()].map(({ dead: _dead, ...a }) => a),
      dayOccur: [...this.dayOccur],
      maxOccur: this.maxOccur,
    };
  }

  /** Takes over a checkpoint's state (the engine must be new). */
  restore(state: EngineState): void {
    this.rows = new Map(state.rows);
    this.tombstones = new Map(state.tombstones);
    this.aggs = new Map(state.aggs.map((a) => [a.key, { ...a }]));
    this.groupCache.clear();
    this.dayOccur = new Map(state.dayOccur);
    this.maxOccur = state.maxOccur;
    this.buyers = new Map();
    for (const [id, f] of this.rows) {
      if (SOLD_STATUSES.has(f.status)) this.countBuyer(f, +1);
      if (f.pending) this.markPending(f.mail, id);
    }
  }

  private malformed(error: string): null {
    this.counters.malformed++;
    this.counters.lastError = error;
    return null;
  }

  private factsOf(
    change: OrderChange,
    customer: CustomerInfo | null | undefined,
    version: string | null,
  ): RowFacts | undefined {
    const row = change.data;
    const created = this.createdMinute(row.create_time);
    if (created === null) {
      this.malformed(`order ${row.order_id}: create_time "${row.create_time}" is not a datetime`);
      return undefined;
    }
    return {
      day: created.day,
      minute: created.minute,
      city: row.city,
      status: row.status,
      mail: row.user_mail,
      cents: Math.round(row.amount * 100),
      level: customer?.level ?? null,
      pending: customer === undefined && this.opts.customer !== undefined,
      version,
    };
  }

  /**
   * The minute and calendar day of a `create_time`, cached per minute of text: zone arithmetic
   * once per distinct minute instead of once per event (zones differ by whole minutes, so a
   * minute never straddles a day).
   */
  private createdMinute(text: string): { minute: number; day: number } | null {
    const key = text.slice(0, 16);
    let hit = this.minuteCache.get(key);
    if (hit === undefined) {
      const minute = parseDbDatetime(`${key}:00`, this.opts.dbTimeZone);
      hit =
        minute === null
          ? null
          : { minute: minuteStart(minute), day: dayStart(minute, this.opts.timeZone) };
      if (this.minuteCache.size >= 20_000) this.minuteCache.clear();
      this.minuteCache.set(key, hit);
    }
    // The seconds are checked here, the rest of the text once per minute above.
    if (hit === null || !SECONDS.test(text.slice(16))) return null;
    return hit;
  }

  private foldIn(id: number, f: RowFacts, occur: number): void {
    this.fold(f, +1, occur);
    this.rows.set(id, f);
    if (f.pending) this.markPending(f.mail, id);
  }

  private unfold(id: number, f: RowFacts, occur: number): void {
    this.fold(f, -1, occur);
    this.rows.delete(id);
    if (f.pending) this.pendingByMail.get(f.mail)?.delete(id);
  }

  private markPending(mail: string, id: number): void {
    let ids = this.pendingByMail.get(mail);
    if (!ids) this.pendingByMail.set(mail, (ids = new Set()));
    ids.add(id);
  }

  /** The group a row is counted in, created empty when new. */
  private group(
    name: string,
    window: MetricWindow,
    start: number,
    dims: Record<string, DimValue>,
    occur: number,
  ): Aggregate {
    const key = groupKey(name, window, start, dims);
    let a = this.aggs.get(key);
    if (!a) {
      a = { key, name, window, start, dims, value: 0, rows: 0, occur };
      this.aggs.set(key, a);
    }
    return a;
  }

  /** Every group of DESIGN.md's metrics table that a row of this shape is counted in. */
  private groupsOf(f: RowFacts, occur: number): Aggregate[] {
    // The minute determines the day.
    const shape = `${f.minute}|${f.status}|${f.level}|${f.city}`;
    const cached = this.groupCache.get(shape);
    if (cached && !cached.some((a) => a.dead)) return cached;
    const gs: Aggregate[] = [];
    for (const w of ['1d', '1m'] as const) {
      const start = w === '1d' ? f.day : f.minute;
      gs.push(this.group('orders', w, start, {}, occur));
      gs.push(this.group('orders', w, start, { city: f.city }, occur));
      gs.push(this.group('orders', w, start, { status: f.status }, occur));
    }
    if (SOLD_STATUSES.has(f.status)) {
      for (const w of ['1d', '1m'] as const) {
        const start = w === '1d' ? f.day : f.minute;
        gs.push(this.group('gmv', w, start, {}, occur));
        gs.push(this.group('gmv', w, start, { city: f.city }, occur));
        gs.push(this.group('gmv', w, start, { level: f.level }, occur));
      }
      gs.push(this.group('paid_orders', '1d', f.day, {}, occur));
      gs.push(this.group('paid_orders', '1d', f.day, { city: f.city }, occur));
    }
    if (f.status === 'cancel') gs.push(this.group('cancelled', '1d', f.day, {}, occur));
    if (this.groupCache.size >= 100_000) this.groupCache.clear();
    this.groupCache.set(shape, gs);
    return gs;
  }

  private fold(f: RowFacts, sign: 1 | -1, occur: number): void {
    const gs = sign === 1 || !f.groups ? this.groupsOf(f, occur) : f.groups;
    f.groups = sign === 1 ? gs : undefined;
    for (const a of gs) {
      a.value += sign * (a.name === 'gmv' ? f.cents : 1);
      a.rows += sign;
      if (occur > a.occur) a.occur = occur;
      this.dirty.add(a);
    }
    if (SOLD_STATUSES.has(f.status)) this.countBuyer(f, sign);
    this.dirtyDays.add(f.day);
    if (occur > (this.dayOccur.get(f.day) ?? 0)) this.dayOccur.set(f.day, occur);
  }

  private countBuyer(f: RowFacts, sign: 1 | -1): void {
    let mails = this.buyers.get(f.day);
    if (!mails) this.buyers.set(f.day, (mails = new Map()));
    const n = (mails.get(f.mail) ?? 0) + sign;
    if (n > 0) mails.set(f.mail, n);
    else mails.delete(f.mail);
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
      // Unrounded (contract 2): the screen rounds to cents, so a sum of aovs is not skewed here.
      { name: 'aov', value: paid === 0 ? 0 : cents / 100 / paid, ...base },
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
    for (const [key, a] of this.aggs) {
      if (a.start < cutoff) {
        this.aggs.delete(key);
        a.dead = true;
      }
    }
    for (const [id, f] of this.rows) if (f.day < cutoff) this.unfoldQuietly(id, f);
    for (const [id, t] of this.tombstones) if (t.day < cutoff) this.tombstones.delete(id);
    for (const day of this.buyers.keys()) if (day < cutoff) this.buyers.delete(day);
    for (const day of this.dayOccur.keys()) if (day < cutoff) this.dayOccur.delete(day);
  }

  /** Forgets a row of a day past the retention, without emitting anything for it. */
  private unfoldQuietly(id: number, f: RowFacts): void {
    this.rows.delete(id);
    if (f.pending) this.pendingByMail.get(f.mail)?.delete(id);
  }
}
