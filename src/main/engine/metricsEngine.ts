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
import { readChangeEvent, readOrderRow } from '@shared/contracts';
import { dayStart, minuteStart, parseDbDatetime } from '@shared/time';
import {
  centsOf,
  DEFAULT_MAX_FUTURE_MS,
  emptySkipCounts,
  tsInRange,
  type SkipReason,
} from './admission';
import type { EngineState } from './engineState';

export interface CustomerInfo {
  level: number | null;
  sex: string | null;
  /**
   * Until when (epoch ms) this answer stands for its customer: the order's next change by the
   * same buyer takes it without asking again (Infinity: a dimension that never changes). Absent:
   * asked at every change.
   */
  until?: number;
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
  /** Database whose events are folded (default `demo`); others are skipped and counted. */
  database?: string;
  /** How far ahead of the clock a `ts` or `create_time` may be (default one day). */
  maxFutureMs?: number;
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
  /** Orders let go by retire(): counted in the metrics, no longer held. */
  retiredOrders: number;
  /** Rows folded before their customer's lookup answered. */
  pendingCustomers: number;
  lastError: string | null;
  /** Records skipped per reason (malformed ones are also in `malformed`; other tables' events are only in `ignored`). */
  rejected: Record<SkipReason, number>;
  /** The last record skipped, named: "order 7: create_time … (create-time-future)". */
  lastRejected: string | null;
}

/** What the engine makes of one raw record before folding it. */
export type Admission =
  | { ok: true; change: OrderChange; created: Created; cents: number }
  | { ok: false; reason: SkipReason | 'ignored'; detail: string };

/** A row's creation minute and calendar day, epoch ms. */
interface Created {
  minute: number;
  day: number;
}

/**
 * What one row adds to the view, kept small (a live order in well under 200 bytes): times as
 * whole minutes (small integers), strings shared through the engine's intern tables, the binlog
 * position as a file name and two numbers.
 */
interface RowFacts {
  /** Start of the calendar day of create_time, in minutes since the epoch. */
  dayMin: number;
  /** create_time's minute, in minutes since the epoch. */
  minute: number;
  city: string;
  status: string;
  mail: string;
  cents: number;
  level: number | null;
  /**
   * The lookup's last answer for this row; PENDING: asked and not answered yet (folded at level
   * null, re-folded when it answers); undefined: none (restored, or a host without a lookup).
   */
  customer: CustomerInfo | null | undefined;
  /** Binlog position of the last change (file, offset, row in its transaction); null: none. */
  vFile: string | null;
  vOff: number;
  vX: number;
  /**
   * The groups this row is counted in (not checkpointed: found again by key): its shape's list,
   * shared with every row of that shape.
   */
  groups: Aggregate[] | undefined;
}

/** A binlog position as the engine compares it. */
export interface Version {
  vFile: string | null;
  vOff: number;
  vX: number;
}

interface Tombstone extends Version {
  dayMin: number;
}

/**
 * Rows of one (minute, status, level, city) are counted in the same groups: the list is made once
 * and shared. Rows hold only the list, and a day of many cities has about a shape per order: the
 * list is an array of its exact length.
 */
interface Shape {
  /** The shape's copies of its strings, which its rows share. */
  status: string;
  city: string;
  groups: Aggregate[];
  /** `deaths` when the list was last checked for dropped groups. */
  epoch: number;
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
  /** Emptied and dropped: a cached list or bucket holding it takes its key's live group instead. */
  dead: boolean;
  /** Changed since the last drain (it is in the dirty list once). */
  dirty: boolean;
  /** A gmv group (sums cents; the others count rows). */
  gmv: boolean;
}

/**
 * Every group made here, with every field from the start: one hidden class for all of them, so
 * the fold's loop over a row's groups stays monomorphic.
 */
function newAggregate(
  key: string,
  name: string,
  window: MetricWindow,
  start: number,
  dims: Record<string, DimValue>,
  value: number,
  rows: number,
  occur: number,
): Aggregate {
  return {
    key,
    name,
    window,
    start,
    dims,
    value,
    rows,
    occur,
    dead: false,
    dirty: false,
    gmv: name === 'gmv',
  };
}

export type { EngineState };

/** A row's customer while its lookup is under way (one field for both, not a flag beside it). */
const PENDING: CustomerInfo = Object.freeze({ level: null, sex: null, until: -Infinity });

const DAY = 86_400_000;
const MINUTE = 60_000;
/** How far the database's clock (Maxwell's `ts`) may run ahead of the engine's. */
const CLOCK_SKEW_MS = 300_000;

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

/** The groups a row can be counted in: (name, window, dimension), each a slot of its start's bucket. */
const SLOTS: readonly (readonly [string, MetricWindow, 'city' | 'status' | 'level' | null])[] = [
  ['orders', '1d', null],
  ['orders', '1d', 'city'],
  ['orders', '1d', 'status'],
  ['orders', '1m', null],
  ['orders', '1m', 'city'],
  ['orders', '1m', 'status'],
  ['gmv', '1d', null],
  ['gmv', '1d', 'city'],
  ['gmv', '1d', 'level'],
  ['gmv', '1m', null],
  ['gmv', '1m', 'city'],
  ['gmv', '1m', 'level'],
  ['paid_orders', '1d', null],
  ['paid_orders', '1d', 'city'],
  ['cancelled', '1d', null],
];

/** One window start's groups by slot: a total's group, or a dimension's value → its group. */
type Bucket = (Aggregate | Map<DimValue, Aggregate> | undefined)[];

/** Window starts whose buckets are kept: four hours of minutes and the days. */
const MAX_BUCKETS = 250;

const POSITION = /^(.*):(\d+)$/;

const digit = (text: string, i: number): number => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};

/**
 * The minute cache's key of a datetime's text: `20YY-MM-DD HH:MM` as a small integer read from
 * its digits (no slice to allocate and hash per event), one per minute; any other text (another
 * century, a field out of range, not of that shape) is keyed by its first 16 characters.
 */
function minuteKey(text: string): number | string {
  const y = digit(text, 2) * 10 + digit(text, 3);
  const mo = digit(text, 5) * 10 + digit(text, 6);
  const d = digit(text, 8) * 10 + digit(text, 9);
  const h = digit(text, 11) * 10 + digit(text, 12);
  const mi = digit(text, 14) * 10 + digit(text, 15);
  // NaN (a place that is no digit) fails every comparison below.
  const inRange = mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && y >= 0;
  const shaped =
    text.charCodeAt(0) === 50 && // '2'
    text.charCodeAt(1) === 48 && // '0'
    text.charCodeAt(4) === 45 && // '-'
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 32 && // ' '
    text.charCodeAt(13) === 58; // ':'
  return inRange && shaped
    ? (((y * 12 + mo - 1) * 31 + d - 1) * 24 + h) * 60 + mi
    : text.slice(0, 16);
}

/** The seconds of a datetime's text, ms (the minute is cached apart). */
function secondsOf(text: string): number {
  return ((text.charCodeAt(17) - 48) * 10 + text.charCodeAt(18) - 48) * 1000;
}

/** Rows of state as lines of `{"<tag>":[…up to 10 000 rows…]}`. */
function* chunked<T>(
  items: Iterable<T>,
  tag: string,
  row: (item: T) => unknown[],
): Generator<string> {
  let chunk: unknown[] = [];
  for (const item of items) {
    chunk.push(row(item));
    if (chunk.length === 10_000) {
      yield JSON.stringify({ [tag]: chunk });
      chunk = [];
    }
  }
  if (chunk.length > 0) yield JSON.stringify({ [tag]: chunk });
}
const SECONDS = /^:[0-5]\d(?:\.\d+)?$/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** `:SS` or `:SS.fff` after the minute, checked without a copy of the text (every event). */
function secondsWellFormed(text: string): boolean {
  if (text.length === 19) {
    const tens = text.charCodeAt(17);
    return text.charCodeAt(16) === 58 && tens >= 48 && tens <= 53 && isDigit(text.charCodeAt(18));
  }
  return SECONDS.test(text.slice(16));
}

/** The event's binlog position as numbers; vFile null when the event carries none. */
export function positionOf(event: { position?: unknown; xoffset?: unknown }): Version {
  if (typeof event.position !== 'string') return NO_VERSION;
  const m = POSITION.exec(event.position);
  if (!m) return NO_VERSION;
  const xoffset = typeof event.xoffset === 'number' ? event.xoffset : 0;
  return { vFile: m[1] as string, vOff: Number(m[2]), vX: xoffset };
}

const NO_VERSION: Version = { vFile: null, vOff: 0, vX: 0 };

/** True when `a` is at or before `b` in the binlog (both carry a position). */
export function notAfter(a: Version, b: Version): boolean {
  if (a.vFile !== b.vFile) return (a.vFile as string) < (b.vFile as string);
  return a.vOff !== b.vOff ? a.vOff < b.vOff : a.vX <= b.vX;
}

/** A checkpoint v1 version string (`file\0offset, 20 digits\0xoffset, 10 digits`) as numbers. */
function versionFromText(text: string | null): Version {
  if (text === null) return NO_VERSION;
  const [file, off, x] = text.split('\u0000');
  return { vFile: file ?? '', vOff: Number(off), vX: Number(x) };
}

export class MetricsEngine {
  private rows = new Map<number, RowFacts>();
  /** Deleted rows' last positions, so a replayed older event does not bring a row back. */
  private tombstones = new Map<number, Tombstone>();
  /** One copy of each city, status, mail and binlog file name held by the rows. */
  private interned = new Map<string, string>();
  private aggs = new Map<string, Aggregate>();
  /**
   * The groups of `aggs` by start and slot, so a new shape finds its groups with no key made: for
   * the MAX_BUCKETS starts asked last (a day's live orders keep to a few minutes; a backlog spread
   * over the day would hold a map per minute and city, tens of MiB, for little).
   */
  private buckets = new Map<number, Bucket>();
  /** Per day: sold orders per mail, for COUNT(DISTINCT user_mail). */
  private buyers = new Map<number, Map<string, number>>();
  /** Rows folded before their customer's lookup answered: mail → order_id → the change's time. */
  private readonly pendingByMail = new Map<string, Map<number, number>>();
  /** Groups changed since the last drain, in the order they first changed; taken from `dirtyHead`. */
  private dirtyList: Aggregate[] = [];
  private dirtyHead = 0;
  private readonly minuteCache = new Map<number | string, Created | null>();
  /** Row shape (day, minute, status, city, level) → its groups: most rows share a few shapes. */
  private readonly groupCache = new Map<
    number,
    Map<string, Map<number | null, Map<string, Shape>>>
  >();
  private cachedShapes = 0;
  /** Counts group deaths, so a cached group list is checked once after each. */
  private deaths = 0;
  private readonly dirtyDays = new Set<number>();
  private dayOccur = new Map<number, number>();
  private maxOccur = 0;
  /**
   * After resumedFromCheckpoint(): changes stamped before this (the restart, plus the clocks'
   * skew) may have been folded by the run that died, at other levels. -Infinity: none.
   */
  private replayBefore = -Infinity;
  private cutoffAt = { at: -Infinity, value: 0 };
  private prunedAt = 0;
  private readonly opts: Required<Omit<EngineOptions, 'customer'>> &
    Pick<EngineOptions, 'customer'>;
  private readonly counters: Omit<
    EngineStats,
    'liveOrders' | 'pendingCustomers' | 'retiredOrders'
  > = {
    applied: 0,
    ignored: 0,
    malformed: 0,
    skipped: 0,
    stale: 0,
    lastError: null,
    rejected: emptySkipCounts(),
    lastRejected: null,
  };
  /** While a checkpoint writes the state: nothing may change it. */
  private frozen = false;
  /** Rows let go by retire() (their groups and buyers stay counted). */
  private retired = 0;
  /** The customer of the change foldChange() last folded (its wide row's sex and level). */
  private lastCustomer: CustomerInfo | null | undefined = undefined;
  private readonly refreshesWhileFrozen: [string, CustomerInfo | null][] = [];

  constructor(opts: EngineOptions) {
    this.opts = {
      retentionDays: 2,
      table: 'order',
      database: 'demo',
      maxFutureMs: DEFAULT_MAX_FUTURE_MS,
      now: Date.now,
      ...opts,
    };
  }

  stats(): EngineStats {
    let pending = 0;
    for (const ids of this.pendingByMail.values()) pending += ids.size;
    return {
      ...this.counters,
      rejected: { ...this.counters.rejected },
      liveOrders: this.rows.size,
      retiredOrders: this.retired,
      pendingCustomers: pending,
    };
  }

  /** Folds one raw record (contract 1 JSON); a record it cannot trust is counted and skipped. */
  applyRaw(data: string): WideRow | null {
    const change = this.parse(data);
    return change ? this.apply(change) : null;
  }

  /** A raw record as a change of the table; null (counted, named) when it is not folded. */
  parse(data: string): OrderChange | null {
    const reason = this.check(data);
    if (reason === null) return this.checked;
    // Other tables of the database are the binlog's ordinary traffic: counted, not named.
    if (reason === 'ignored' || reason === 'other-table') this.counters.ignored++;
    else this.reject(reason, this.checkDetail);
    return null;
  }

  /**
   * The checks of test/vectors/rowChecks.json, in their order: contract 1, the database, the
   * table, then the ranges of ts, amount and create_time. Counts nothing (parse() does).
   */
  admit(input: unknown): Admission {
    const reason = this.check(typeof input === 'string' ? input : JSON.stringify(input));
    if (reason === null) {
      return {
        ok: true,
        change: this.checked as OrderChange,
        created: this.checkedCreated as Created,
        cents: this.checkedCents,
      };
    }
    return { ok: false, reason, detail: this.checkDetail };
  }

  /** The change check() last passed, with its creation minute and cents. */
  private checked: OrderChange | null = null;
  private checkedCreated: Created | null = null;
  private checkedCents = 0;
  /** Why check() last refused a record, named. */
  private checkDetail = '';

  /** admit() without allocating a verdict: null when the record passes (see `checked`). */
  private check(text: string): SkipReason | 'ignored' | null {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.refuse('malformed', 'change event: not JSON');
    }
    const event = readChangeEvent(value, true);
    if (!event.ok) return this.refuse('malformed', `change event: ${event.error}`);
    const e = event.value;
    if (e === 'skip') return this.refuse('ignored', 'a bootstrap marker');
    if (e.database !== this.opts.database) {
      return this.refuse(
        'other-database',
        `an event of database "${e.database}" (this engine folds "${this.opts.database}")`,
      );
    }
    if (e.table !== this.opts.table) {
      return this.refuse('other-table', `an event of table "${e.table}"`);
    }
    const row = readOrderRow(e.data, true);
    if (!row.ok) return this.refuse('malformed', `order row: ${row.error}`);
    const r = row.value;
    const now = this.opts.now();
    const ahead = this.opts.maxFutureMs;
    if (!tsInRange(e.ts, now, ahead)) {
      return this.refuse(
        'ts-out-of-range',
        `order ${r.order_id}: ts ${e.ts} is not seconds between 1970 and ${ahead / 3_600_000} h from now`,
      );
    }
    const cents = centsOf(r.amount);
    if (cents === null) {
      return this.refuse(
        'amount-out-of-range',
        `order ${r.order_id}: amount ${r.amount} is beyond what can be summed exactly`,
      );
    }
    const created = this.createdMinute(r.create_time);
    if (created === null) {
      return this.refuse(
        'create-time-invalid',
        `order ${r.order_id}: create_time "${r.create_time}" is not a datetime`,
      );
    }
    if (created.minute + secondsOf(r.create_time) > now + ahead) {
      return this.refuse(
        'create-time-future',
        `order ${r.order_id}: create_time "${r.create_time}" is more than ${ahead / 3_600_000} h ahead of now`,
      );
    }
    this.checked = e as OrderChange;
    this.checkedCreated = created;
    this.checkedCents = cents;
    return null;
  }

  private refuse(reason: SkipReason | 'ignored', detail: string): SkipReason | 'ignored' {
    this.checkDetail = detail;
    return reason;
  }

  /** Counts a record that could not even be decoded as text (bad bytes, a damaged aggregate). */
  rejectUndecodable(reason: string): void {
    this.reject('malformed', reason);
  }

  /** Folds one change; returns its wide row (contract 3), or null when it changed nothing. */
  apply(change: OrderChange): WideRow | null {
    if (!this.foldChange(change)) return null;
    const customer = this.lastCustomer;
    return {
      order_id: change.data.order_id,
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
      ts: change.ts * 1000,
    };
  }

  /** Folds one raw record without making its wide row (hosts with no wide-row stream). */
  foldRaw(data: string): boolean {
    const change = this.parse(data);
    return change !== null && this.foldChange(change);
  }

  /** Folds one change without making its wide row; false when it changed nothing. */
  foldChange(change: OrderChange): boolean {
    if (this.frozen) throw new Error('the engine is being checkpointed: apply after thaw()');
    const id = change.data.order_id;
    const version = this.versionOf(change);
    const now = this.opts.now();
    const cutoffMin = this.cutoff(now) / MINUTE;
    let prev = this.rows.get(id);
    if (prev !== undefined && prev.dayMin < cutoffMin) {
      // A row of a day no longer kept is gone, as the next drain's prune() makes it (its groups
      // go with the day, unwritten): a change of it before that drain must not retract it.
      this.unfoldQuietly(id, prev);
      prev = undefined;
    }
    // Without a position there is nothing to compare: no tombstone is looked up.
    const known: Version | undefined =
      version.vFile === null
        ? undefined
        : prev && prev.vFile !== null
          ? prev
          : this.tombstones.get(id);
    if (known && known.vFile !== null && notAfter(version, known)) {
      this.counters.stale++;
      return false;
    }
    const mail = change.data.user_mail;
    // The order's buyer again, and the answer still stands: the dimension is not asked again.
    const answer = prev?.customer;
    const customer =
      answer != null && (answer.until ?? -Infinity) > now && (prev as RowFacts).mail === mail
        ? answer
        : this.opts.customer?.(mail);
    this.lastCustomer = customer;
    const row = change.data;
    let created: Created | null = null;
    let cents = 0;
    if (change.type !== 'delete') {
      created = this.createdMinute(row.create_time);
      const c = centsOf(row.amount);
      if (created === null || c === null) {
        // Only a change that skipped check() gets here (apply() called directly).
        this.reject(
          created === null ? 'create-time-invalid' : 'amount-out-of-range',
          `order ${row.order_id}: create_time "${row.create_time}", amount ${row.amount}`,
        );
        return false;
      }
      cents = c;
    }
    const dayMin = created === null ? 0 : created.day / MINUTE;
    if (!prev && (created === null || dayMin < cutoffMin)) {
      // A delete of a row we never held, or a row created before the days kept.
      this.counters.skipped++;
      return false;
    }
    const occur = change.ts * 1000;
    if (occur > this.maxOccur) this.maxOccur = occur;
    const kept = created !== null && dayMin >= cutoffMin;
    // A sold order that stays sold, on its day, by its buyer: the buyer count does not move.
    const sameBuyer =
      prev !== undefined &&
      kept &&
      prev.dayMin === dayMin &&
      prev.mail === row.user_mail &&
      SOLD_STATUSES.has(prev.status) &&
      SOLD_STATUSES.has(row.status);
    if (occur < this.replayBefore && prev) this.restateNullLevel(prev, occur);
    if (prev) this.unfold(id, prev, occur, kept, sameBuyer);
    if (created !== null && kept) {
      // An update reuses the row's object: one allocation per order, not per change.
      const f = prev ?? this.newFacts();
      f.dayMin = dayMin;
      f.minute = created.minute / MINUTE;
      // An update mostly repeats the row's strings: compared in place, no lookup of a fresh one.
      // City and status become the shape's own copies when the fold finds the row's shape.
      if (f.city !== row.city) f.city = row.city;
      if (f.status !== row.status) f.status = row.status;
      if (f.mail !== row.user_mail) f.mail = this.intern(row.user_mail);
      f.cents = cents;
      f.level = customer?.level ?? null;
      f.customer = customer === undefined && this.opts.customer !== undefined ? PENDING : customer;
      if (f.vFile !== version.vFile)
        f.vFile = version.vFile === null ? null : this.intern(version.vFile);
      f.vOff = version.vOff;
      f.vX = version.vX;
      this.fold(f, +1, occur, sameBuyer);
      if (occur < this.replayBefore) this.restateNullLevel(f, occur);
      if (!prev) this.rows.set(id, f);
      if (f.customer === PENDING) this.markPending(f.mail, id, occur);
      if (!prev && this.tombstones.size > 0) this.tombstones.delete(id);
    } else if (version.vFile !== null && prev) {
      this.tombstones.set(id, { ...this.internVersion(version), dayMin: prev.dayMin });
    }
    this.counters.applied++;
    return true;
  }

  /** A lookup answered: rows folded while it was under way move to the customer's level. */
  refreshCustomer(email: string, info: CustomerInfo | null): void {
    if (this.frozen) {
      this.refreshesWhileFrozen.push([email, info]);
      return;
    }
    const ids = this.pendingByMail.get(email);
    if (!ids) return;
    this.pendingByMail.delete(email);
    for (const [id, occur] of ids) {
      const f = this.rows.get(id);
      if (f?.customer !== PENDING) continue;
      // Stamped with the change's own time, not the newest: a run restarted after a crash folds
      // that change at its level at once (at that time), and must not look older than this one.
      this.fold(f, -1, occur);
      f.level = info?.level ?? null;
      f.customer = info;
      this.fold(f, +1, occur);
    }
  }

  /** Marks every group for the next drain: a restored engine tells a fresh screen everything. */
  reemitAll(): void {
    for (const a of this.aggs.values()) this.markDirty(a);
    for (const day of this.dayOccur.keys()) this.dirtyDays.add(day);
  }

  /**
   * Restored from a checkpoint that a run left (it may have died after it): the changes stamped
   * before now are read again, and that run may have folded them at other levels, so they re-state
   * their null-level groups (restateNullLevel). Only hosts whose lookup can be under way need it.
   */
  resumedFromCheckpoint(): void {
    this.replayBefore = this.opts.now() + CLOCK_SKEW_MS;
  }

  /**
   * A run that died after its last checkpoint may have folded this change while the customer's
   * lookup was under way, so at a null level, and put those groups on the stream; this run, whose
   * lookup answered, would never touch them again and the screen would keep that run's value. So
   * a sold row at a known level marks its null-level gmv groups too, at the change's time (the
   * dead run's were no later): emitted with their value, or once with 0 when empty.
   */
  private restateNullLevel(f: RowFacts, occur: number): void {
    if (f.level === null || !SOLD_STATUSES.has(f.status)) return;
    for (const w of ['1d', '1m'] as const) {
      const start = (w === '1d' ? f.dayMin : f.minute) * MINUTE;
      const a = this.group('gmv', w, start, { level: null }, occur);
      if (occur > a.occur) a.occur = occur;
      this.markDirty(a);
    }
  }

  /** Mails whose rows wait for a lookup (asked again after a restart). */
  pendingMails(): string[] {
    return [...this.pendingByMail.keys()];
  }

  /**
   * The records of every identity that changed since the last drain, one per identity
   * (coalesced), then drops emptied groups and days past the retention. At most `most` groups
   * go out, and only those `wanted` (by window and start); the rest stay dirty, coalescing, for a
   * later drain, so an output that is behind holds a few references here, not a queue of records.
   */
  drain(
    most = Infinity,
    wanted?: (window: MetricWindow, start: number) => boolean,
  ): MetricRecord[] {
    if (this.frozen) return []; // the next drain after thaw() has it all
    const out: MetricRecord[] = [];
    const list = this.dirtyList;
    const held: Aggregate[] = [];
    let i = this.dirtyHead;
    for (; i < list.length && out.length < most; i++) {
      const a = list[i] as Aggregate;
      if (wanted && !wanted(a.window, a.start)) {
        held.push(a);
        continue;
      }
      a.dirty = false;
      out.push(this.record(a));
      if (a.rows === 0) {
        this.aggs.delete(a.key);
        a.dead = true;
        this.deaths++;
      }
    }
    if (held.length > 0) {
      // Held groups keep their place ahead of those not reached.
      for (; i < list.length; i++) held.push(list[i] as Aggregate);
      this.dirtyList = held;
      this.dirtyHead = 0;
    } else if (i === list.length) {
      this.dirtyList = [];
      this.dirtyHead = 0;
    } else if (i > 4096 && i * 2 > list.length) {
      this.dirtyList = list.slice(i);
      this.dirtyHead = 0;
    } else this.dirtyHead = i;
    for (const day of this.dirtyDays) for (const r of this.derived(day)) out.push(r);
    this.dirtyDays.clear();
    this.forgetFoldDay();
    this.prune();
    return out;
  }

  /** Groups changed and not yet drained. */
  get undrained(): number {
    return this.dirtyList.length - this.dirtyHead;
  }

  private markDirty(a: Aggregate): void {
    if (a.dirty) return;
    a.dirty = true;
    this.dirtyList.push(a);
  }

  /**
   * Holds the state still while a checkpoint writes it: apply() refuses, drain() waits, customer
   * answers queue up. thaw() lets them through.
   */
  freeze(): void {
    this.frozen = true;
  }

  thaw(): void {
    this.frozen = false;
    for (const [email, info] of this.refreshesWhileFrozen.splice(0)) {
      this.refreshCustomer(email, info);
    }
  }

  /**
   * The state as checkpoint lines (engineState.ts's format 2), in chunks, read lazily: call while
   * frozen, and a checkpoint of millions of rows never exists whole in memory.
   */
  *stateLines(): Generator<string> {
    yield JSON.stringify({
      engineState: 2,
      maxOccur: this.maxOccur,
      dayOccur: [...this.dayOccur],
      rows: this.rows.size,
      tombstones: this.tombstones.size,
      aggs: this.aggs.size,
      buyers: this.buyerCount(),
      retired: this.retired,
    });
    yield* chunked(this.rows, 'r', ([id, f]) => [
      id,
      f.dayMin,
      f.minute,
      f.city,
      f.status,
      f.mail,
      f.cents,
      f.level,
      f.customer === PENDING ? 1 : 0,
      f.vFile,
      f.vOff,
      f.vX,
    ]);
    yield* chunked(this.eachBuyer(), 'b', (b) => b);
    yield* chunked(this.tombstones, 't', ([id, t]) => [id, t.vFile, t.vOff, t.vX, t.dayMin]);
    yield* chunked(this.aggs.values(), 'a', (a) => {
      const k = Object.keys(a.dims)[0];
      return [
        a.name,
        a.window,
        a.start,
        k ?? null,
        k === undefined ? null : a.dims[k],
        a.value,
        a.rows,
        a.occur,
      ];
    });
  }

  /**
   * Lets go of the rows of orders that will never change again (the embedded table's settled
   * orders), keeping what they add to the metrics: a day of bursts then costs memory only for the
   * orders still in flight. A later change of a retired order would count it again, so only a
   * host that knows an order is final may call this, after its last change was folded.
   */
  retire(orderIds: Iterable<number>): void {
    if (this.frozen) throw new Error('the engine is being checkpointed: retire after thaw()');
    for (const id of orderIds) {
      const f = this.rows.get(id);
      if (!f || f.customer === PENDING) continue; // a row waiting for its customer must stay to be re-folded
      this.rows.delete(id);
      this.retired++;
    }
  }

  /** Forgets every row and group (a state that failed to load half-way is not kept). */
  reset(): void {
    this.rows = new Map();
    this.tombstones = new Map();
    this.aggs = new Map();
    this.buckets = new Map();
    this.buyers = new Map();
    this.dayOccur = new Map();
    this.interned = new Map();
    this.maxOccur = 0;
    this.pendingByMail.clear();
    this.dirtyList = [];
    this.dirtyHead = 0;
    this.dirtyDays.clear();
    this.forgetFoldDay();
    this.groupCache.clear();
  }

  private buyerCount(): number {
    let n = 0;
    for (const mails of this.buyers.values()) n += mails.size;
    return n;
  }

  private *eachBuyer(): Generator<[number, string, number]> {
    for (const [day, mails] of this.buyers) for (const [mail, n] of mails) yield [day, mail, n];
  }

  /** Takes over a checkpoint's state in format 2, line by line (the engine must be new). */
  restoreLines(): StateLoader {
    return new StateLoader(this);
  }

  /** Takes over a checkpoint's state in format 1 (the engine must be new). */
  restore(state: EngineState): void {
    // First: a pending row takes the newest time as its change's (restoreRow).
    this.restoreTotals(state.maxOccur, state.dayOccur);
    for (const [id, f] of state.rows) {
      const v = versionFromText(f.version);
      this.restoreRow(
        id,
        f.day / MINUTE,
        f.minute / MINUTE,
        f.city,
        f.status,
        f.mail,
        f.cents,
        f.level,
        f.pending,
        v.vFile,
        v.vOff,
        v.vX,
      );
    }
    for (const [id, t] of state.tombstones) {
      const v = versionFromText(t.version);
      this.restoreTombstone(id, v.vFile, v.vOff, v.vX, t.day / MINUTE);
    }
    for (const a of state.aggs) this.restoreAggregate({ ...a, dims: { ...a.dims } });
  }

  /** @internal StateLoader's way in. */
  restoreRow(
    id: number,
    dayMin: number,
    minute: number,
    city: string,
    status: string,
    mail: string,
    cents: number,
    level: number | null,
    pending: boolean,
    vFile: string | null,
    vOff: number,
    vX: number,
    countBuyer = true,
  ): void {
    const f: RowFacts = {
      dayMin,
      minute,
      city: this.intern(city),
      status: this.intern(status),
      mail: this.intern(mail),
      cents,
      level,
      customer: pending ? PENDING : undefined,
      vFile: vFile === null ? null : this.intern(vFile),
      vOff,
      vX,
      groups: undefined,
    };
    this.rows.set(id, f);
    if (countBuyer && SOLD_STATUSES.has(f.status)) this.countBuyer(f, +1);
    // A restored row's change time is not kept: the checkpoint's newest stands for it.
    if (pending) this.markPending(f.mail, id, this.maxOccur);
  }

  /** @internal Format 2 carries the buyers (retired rows count in them, and are not in rows). */
  restoreBuyer(day: number, mail: string, n: number): void {
    let mails = this.buyers.get(day);
    if (!mails) this.buyers.set(day, (mails = new Map()));
    mails.set(this.intern(mail), n);
  }

  /** @internal */
  restoreRetired(n: number): void {
    this.retired = n;
  }

  /** @internal */
  restoreTombstone(
    id: number,
    vFile: string | null,
    vOff: number,
    vX: number,
    dayMin: number,
  ): void {
    this.tombstones.set(id, {
      vFile: vFile === null ? null : this.intern(vFile),
      vOff,
      vX,
      dayMin,
    });
  }

  /** @internal */
  restoreAggregate(a: Omit<Aggregate, 'dead' | 'dirty' | 'gmv'>): void {
    const { key, name, window, start, dims, value, rows, occur } = a;
    this.aggs.set(key, newAggregate(key, name, window, start, dims, value, rows, occur));
  }

  /** @internal */
  restoreTotals(maxOccur: number, dayOccur: [number, number][]): void {
    this.maxOccur = maxOccur;
    this.dayOccur = new Map(dayOccur);
    this.forgetFoldDay();
    this.groupCache.clear();
  }

  private reject(reason: SkipReason, detail: string): void {
    this.counters.rejected[reason]++;
    this.counters.lastRejected = `${detail} (${reason})`;
    if (reason === 'malformed') {
      this.counters.malformed++;
      this.counters.lastError = detail;
    }
  }

  /** The binlog file of the last position read (interned): most positions name it again. */
  private lastFile: string | null = null;

  /**
   * positionOf() without its regular expression for a position in the last file read: the digits
   * after `file:` read in place (up to 15, exact), nothing sliced. Others take positionOf().
   */
  private versionOf(change: OrderChange): Version {
    const p = change.position;
    if (typeof p !== 'string') return NO_VERSION;
    const file = this.lastFile;
    const from = file === null ? 0 : file.length + 1;
    if (
      file !== null &&
      p.length > from &&
      p.length - from <= 15 &&
      p.charCodeAt(from - 1) === 58
    ) {
      let off = 0;
      let i = from;
      for (; i < p.length; i++) {
        const d = p.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        off = off * 10 + d;
      }
      if (i === p.length && p.startsWith(file)) {
        return {
          vFile: file,
          vOff: off,
          vX: typeof change.xoffset === 'number' ? change.xoffset : 0,
        };
      }
    }
    const v = positionOf(change);
    if (v.vFile === null) return v;
    this.lastFile = this.intern(v.vFile);
    return { vFile: this.lastFile, vOff: v.vOff, vX: v.vX };
  }

  /** The one copy of a string the rows share. */
  private intern(text: string): string {
    const held = this.interned.get(text);
    if (held !== undefined) return held;
    this.interned.set(text, text);
    return text;
  }

  private internVersion(v: Version): Version {
    return v.vFile === null ? v : { vFile: this.intern(v.vFile), vOff: v.vOff, vX: v.vX };
  }

  private newFacts(): RowFacts {
    return {
      dayMin: 0,
      minute: 0,
      city: '',
      status: '',
      mail: '',
      cents: 0,
      level: null,
      customer: undefined,
      vFile: null,
      vOff: 0,
      vX: 0,
      groups: undefined,
    };
  }

  /**
   * The minute and calendar day of a `create_time`, cached per minute of text: zone arithmetic
   * once per distinct minute instead of once per event (zones differ by whole minutes, so a
   * minute never straddles a day).
   */
  private createdMinute(text: string): Created | null {
    // admit() and the fold ask for the same text one after the other.
    if (text === this.lastCreatedText) return this.lastCreated;
    const created = this.createdMinuteOf(text);
    this.lastCreatedText = text;
    this.lastCreated = created;
    return created;
  }

  private lastCreatedText = '';
  private lastCreated: Created | null = null;

  private createdMinuteOf(text: string): Created | null {
    const key = minuteKey(text);
    let hit = this.minuteCache.get(key);
    if (hit === undefined) {
      const minute = parseDbDatetime(`${text.slice(0, 16)}:00`, this.opts.dbTimeZone);
      hit =
        minute === null
          ? null
          : { minute: minuteStart(minute), day: dayStart(minute, this.opts.timeZone) };
      if (this.minuteCache.size >= 20_000) this.minuteCache.clear();
      this.minuteCache.set(key, hit);
    }
    // The seconds are checked here, the rest of the text once per minute above.
    if (hit === null || !secondsWellFormed(text)) return null;
    return hit;
  }

  /** Takes a row's contributions out; `refold`: it is folded again at once, so it stays in rows. */
  private unfold(id: number, f: RowFacts, occur: number, refold = false, sameBuyer = false): void {
    this.fold(f, -1, occur, sameBuyer);
    if (!refold) this.rows.delete(id);
    if (f.customer === PENDING) this.pendingByMail.get(f.mail)?.delete(id);
  }

  private markPending(mail: string, id: number, occur: number): void {
    let ids = this.pendingByMail.get(mail);
    if (!ids) this.pendingByMail.set(mail, (ids = new Map()));
    ids.set(id, occur);
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
      a = newAggregate(key, name, window, start, dims, 0, 0, occur);
      this.aggs.set(key, a);
    }
    return a;
  }

  /** Every group of DESIGN.md's metrics table that a row of this shape is counted in. */
  private groupsOf(f: RowFacts, occur: number): Aggregate[] {
    const shape = this.shapeOf(f, occur);
    // The shape's copies of the strings, shared by its rows: no intern lookup per change.
    f.city = shape.city;
    f.status = shape.status;
    // Groups die only in drain() and prune(): a list checked since the last death is good.
    if (shape.epoch !== this.deaths) {
      this.replaceDead(shape.groups, occur);
      shape.epoch = this.deaths;
    }
    return shape.groups;
  }

  /** The shape of a row, from the cache: minute → status → level → city, no key made. */
  private shapeOf(f: RowFacts, occur: number): Shape {
    let byStatus = this.groupCache.get(f.minute);
    if (!byStatus) this.groupCache.set(f.minute, (byStatus = new Map()));
    let byLevel = byStatus.get(f.status);
    if (!byLevel) byStatus.set(this.intern(f.status), (byLevel = new Map()));
    let byCity = byLevel.get(f.level);
    if (!byCity) byLevel.set(f.level, (byCity = new Map()));
    const cached = byCity.get(f.city);
    if (cached) return cached;
    const city = this.intern(f.city);
    const status = this.intern(f.status);
    const gs: Aggregate[] = [];
    // At midnight the day and its first minute share a bucket: their slots differ by window.
    const dayAt = f.dayMin * MINUTE;
    const minuteAt = f.minute * MINUTE;
    const day = this.bucket(dayAt);
    const minute = this.bucket(minuteAt);
    gs.push(this.slotGroup(day, 0, dayAt, null, occur));
    gs.push(this.slotGroup(day, 1, dayAt, city, occur));
    gs.push(this.slotGroup(day, 2, dayAt, status, occur));
    gs.push(this.slotGroup(minute, 3, minuteAt, null, occur));
    gs.push(this.slotGroup(minute, 4, minuteAt, city, occur));
    gs.push(this.slotGroup(minute, 5, minuteAt, status, occur));
    if (SOLD_STATUSES.has(status)) {
      gs.push(this.slotGroup(day, 6, dayAt, null, occur));
      gs.push(this.slotGroup(day, 7, dayAt, city, occur));
      gs.push(this.slotGroup(day, 8, dayAt, f.level, occur));
      gs.push(this.slotGroup(minute, 9, minuteAt, null, occur));
      gs.push(this.slotGroup(minute, 10, minuteAt, city, occur));
      gs.push(this.slotGroup(minute, 11, minuteAt, f.level, occur));
      gs.push(this.slotGroup(day, 12, dayAt, null, occur));
      gs.push(this.slotGroup(day, 13, dayAt, city, occur));
    }
    if (status === 'cancel') gs.push(this.slotGroup(day, 14, dayAt, null, occur));
    if (++this.cachedShapes > 100_000) {
      // Rows keep their lists; the cache starts again from this shape.
      this.groupCache.clear();
      this.cachedShapes = 0;
      this.groupCache.set(f.minute, byStatus);
      byStatus.clear();
      byStatus.set(status, byLevel);
      byLevel.clear();
      byLevel.set(f.level, byCity);
      byCity.clear();
    }
    const shape: Shape = {
      status,
      city,
      groups: gs.slice(), // of its exact length: pushing left room for more
      epoch: this.deaths,
    };
    byCity.set(city, shape);
    return shape;
  }

  private bucket(start: number): Bucket {
    let b = this.buckets.get(start);
    if (b === undefined) {
      if (this.buckets.size >= MAX_BUCKETS) {
        // The oldest made goes: its groups stay in aggs, found by key if asked again.
        this.buckets.delete(this.buckets.keys().next().value as number);
      }
      this.buckets.set(start, (b = []));
    }
    return b;
  }

  /**
   * The group of a slot of `start`'s bucket (for a dimension, of `value`): found by the bucket, or
   * by key the first time (a group restored or made by group() is not in a bucket yet).
   */
  private slotGroup(
    b: Bucket,
    slot: number,
    start: number,
    value: DimValue,
    occur: number,
  ): Aggregate {
    const [name, window, dim] = SLOTS[slot] as (typeof SLOTS)[number];
    let values: Map<DimValue, Aggregate> | undefined;
    let a: Aggregate | undefined;
    if (dim === null) a = b[slot] as Aggregate | undefined;
    else {
      values = b[slot] as Map<DimValue, Aggregate> | undefined;
      if (values === undefined) b[slot] = values = new Map();
      a = values.get(value);
    }
    if (a !== undefined && !a.dead) return a;
    if (a === undefined)
      a = this.group(name, window, start, dim === null ? {} : { [dim]: value }, occur);
    else a = this.liveOf(a, occur);
    if (values === undefined) b[slot] = a;
    else values.set(value, a);
    return a;
  }

  /** The live group of a dropped one's key, or the dropped one, empty, put back. */
  private liveOf(a: Aggregate, occur: number): Aggregate {
    const live = this.aggs.get(a.key);
    if (live !== undefined) return live;
    a.dead = false;
    a.value = 0;
    a.rows = 0;
    a.occur = occur;
    this.aggs.set(a.key, a);
    return a;
  }

  /**
   * A cached list's emptied groups, dropped since, replaced by the live group of their key (or
   * themselves, empty, put back): no key is built and no other group looked up.
   */
  private replaceDead(gs: Aggregate[], occur: number): void {
    for (let i = 0; i < gs.length; i++) {
      const a = gs[i] as Aggregate;
      if (a.dead) gs[i] = this.liveOf(a, occur);
    }
  }

  /** `sameBuyer`: the buyer count is left alone (the row is unfolded and refolded as a buyer). */
  private fold(f: RowFacts, sign: 1 | -1, occur: number, sameBuyer = false): void {
    // A row is taken out of the groups it was counted in (none die while it is counted).
    const gs = sign === -1 && f.groups !== undefined ? f.groups : this.groupsOf(f, occur);
    f.groups = sign === 1 ? gs : undefined;
    const cents = sign * f.cents;
    for (const a of gs) {
      a.value += a.gmv ? cents : sign;
      a.rows += sign;
      if (occur > a.occur) a.occur = occur;
      if (!a.dirty) {
        a.dirty = true;
        this.dirtyList.push(a);
      }
    }
    if (!sameBuyer && SOLD_STATUSES.has(f.status)) this.countBuyer(f, sign);
    const day = f.dayMin * MINUTE;
    // Most folds are of the day the last one was of: no set or map is asked again.
    if (day !== this.foldDay) {
      this.dirtyDays.add(day);
      this.foldDay = day;
      this.foldDayOccur = this.dayOccur.get(day) ?? 0;
    }
    if (occur > this.foldDayOccur) {
      this.dayOccur.set(day, occur);
      this.foldDayOccur = occur;
    }
  }

  /** The day fold() last marked dirty, and its occur; NaN once dirtyDays or dayOccur change. */
  private foldDay = NaN;
  private foldDayOccur = 0;

  private forgetFoldDay(): void {
    this.foldDay = NaN;
  }

  private countBuyer(f: RowFacts, sign: 1 | -1): void {
    const day = f.dayMin * MINUTE;
    let mails = this.buyers.get(day);
    if (!mails) this.buyers.set(day, (mails = new Map()));
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
  private cutoff(now = this.opts.now()): number {
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
        this.deaths++;
      }
    }
    for (const start of this.buckets.keys()) if (start < cutoff) this.buckets.delete(start);
    const cutoffMin = cutoff / MINUTE;
    for (const [id, f] of this.rows) if (f.dayMin < cutoffMin) this.unfoldQuietly(id, f);
    for (const [id, t] of this.tombstones) if (t.dayMin < cutoffMin) this.tombstones.delete(id);
    // Strings of the days dropped go with them; rows kept hold their own copies.
    this.interned = new Map();
    for (const day of this.buyers.keys()) if (day < cutoff) this.buyers.delete(day);
    for (const day of this.dayOccur.keys()) if (day < cutoff) this.dayOccur.delete(day);
    this.forgetFoldDay();
  }

  /** Forgets a row of a day past the retention, without emitting anything for it. */
  private unfoldQuietly(id: number, f: RowFacts): void {
    this.rows.delete(id);
    if (f.customer === PENDING) this.pendingByMail.get(f.mail)?.delete(id);
  }
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isText = (x: unknown): x is string => typeof x === 'string';
const isFile = (x: unknown): x is string | null => x === null || typeof x === 'string';
const isLevel = (x: unknown): x is number | null => x === null || isNum(x);
const isDim = (x: unknown): x is DimValue => x === null || isText(x) || isNum(x);

/**
 * Reads the lines of stateLines() back into a new engine, checking every value: a line that does
 * not fit refuses the whole state (the caller starts afresh or stops), never half of it.
 */
export class StateLoader {
  private header: { rows: number; tombstones: number; aggs: number; buyers: number } | null = null;
  private readonly seen = { rows: 0, tombstones: 0, aggs: 0, buyers: 0 };

  constructor(private readonly engine: MetricsEngine) {}

  /** Takes one parsed line; returns what is wrong with it, or null. */
  take(line: unknown): string | null {
    if (!Array.isArray(line) && typeof line === 'object' && line !== null) {
      const o = line as Record<string, unknown>;
      if (this.header === null) return this.takeHeader(o);
      if (Array.isArray(o.r)) return this.each(o.r, 'rows', (x) => this.row(x));
      if (Array.isArray(o.t)) return this.each(o.t, 'tombstones', (x) => this.tombstone(x));
      if (Array.isArray(o.a)) return this.each(o.a, 'aggs', (x) => this.aggregate(x));
      if (Array.isArray(o.b)) return this.each(o.b, 'buyers', (x) => this.buyer(x));
    }
    return 'a line of the engine state is not one';
  }

  /** After the last line: null when the state was whole. */
  end(): string | null {
    const h = this.header;
    if (!h) return 'the engine state is missing';
    for (const k of ['rows', 'tombstones', 'aggs', 'buyers'] as const) {
      if (this.seen[k] !== h[k]) return `the engine state holds ${this.seen[k]} ${k}, not ${h[k]}`;
    }
    return null;
  }

  private takeHeader(o: Record<string, unknown>): string | null {
    if (o.engineState !== 2) return 'the engine state is not format 2';
    const { maxOccur, dayOccur, rows, tombstones, aggs, buyers, retired } = o;
    if (!isNum(maxOccur) || !isNum(rows) || !isNum(tombstones) || !isNum(aggs)) {
      return 'the engine state header is damaged';
    }
    if (!isNum(buyers) || !isNum(retired)) return 'the engine state header is damaged';
    if (
      !Array.isArray(dayOccur) ||
      !dayOccur.every((d) => Array.isArray(d) && d.length === 2 && isNum(d[0]) && isNum(d[1]))
    ) {
      return 'the engine state header is damaged';
    }
    this.header = { rows, tombstones, aggs, buyers };
    this.engine.restoreTotals(maxOccur, dayOccur as [number, number][]);
    this.engine.restoreRetired(retired);
    return null;
  }

  private each(
    items: unknown[],
    what: 'rows' | 'tombstones' | 'aggs' | 'buyers',
    take: (x: unknown[]) => boolean,
  ): string | null {
    for (const x of items) {
      if (!Array.isArray(x) || !take(x)) return `a damaged entry among the state's ${what}`;
      this.seen[what]++;
    }
    return null;
  }

  private row(x: unknown[]): boolean {
    const [id, dayMin, minute, city, status, mail, cents, level, pending, vFile, vOff, vX] = x;
    if (!isNum(id) || !isNum(dayMin) || !isNum(minute) || !isText(city) || !isText(status))
      return false;
    if (!isText(mail) || !isNum(cents) || !isLevel(level) || (pending !== 0 && pending !== 1))
      return false;
    if (!isFile(vFile) || !isNum(vOff) || !isNum(vX)) return false;
    this.engine.restoreRow(
      id,
      dayMin,
      minute,
      city,
      status,
      mail,
      cents,
      level,
      pending === 1,
      vFile,
      vOff,
      vX,
      false, // format 2 carries the buyers itself
    );
    return true;
  }

  private buyer(x: unknown[]): boolean {
    const [day, mail, n] = x;
    if (!isNum(day) || !isText(mail) || !Number.isInteger(n) || (n as number) < 1) return false;
    this.engine.restoreBuyer(day, mail, n as number);
    return true;
  }

  private tombstone(x: unknown[]): boolean {
    const [id, vFile, vOff, vX, dayMin] = x;
    if (!isNum(id) || !isFile(vFile) || !isNum(vOff) || !isNum(vX) || !isNum(dayMin)) return false;
    this.engine.restoreTombstone(id, vFile, vOff, vX, dayMin);
    return true;
  }

  private aggregate(x: unknown[]): boolean {
    const [name, window, start, dimKey, dimValue, value, rows, occur] = x;
    if (!isText(name) || (window !== '1d' && window !== '1m') || !isNum(start)) return false;
    if ((dimKey !== null && !isText(dimKey)) || !isDim(dimValue)) return false;
    if (!isNum(value) || !Number.isInteger(rows) || !isNum(occur)) return false;
    const dims: Record<string, DimValue> = {};
    if (dimKey !== null)
      Object.defineProperty(dims, dimKey, {
        value: dimValue,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    const key = groupKey(name, window, start, dims);
    this.engine.restoreAggregate({
      key,
      name,
      window,
      start,
      dims,
      value,
      rows: rows as number,
      occur,
    });
    return true;
  }
}
