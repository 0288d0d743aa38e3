/**
 * Runtime parsers for the contracts: each takes unknown input (a JSON string, bytes already
 * decoded, or a value) and returns a typed value or a clear error. None of them throws.
 */
import type {
  ChangeEvent,
  ChangeType,
  DimValue,
  MetricRecord,
  MetricWindow,
  OrderChange,
  OrderRow,
  Snapshot,
  WideRow,
} from './contracts';
import type { BurstTargetId } from './api';
import { isLanguage } from './language';
import { fail, ok, type Result } from './result';
import { dayStart } from './time';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A string is parsed as JSON first; anything else is taken as the value itself. */
export function asObject(input: unknown, what: string): Result<Obj> {
  let v = input;
  if (typeof input === 'string') {
    try {
      v = JSON.parse(input);
    } catch {
      return fail(`${what}: not JSON`);
    }
  }
  return isObj(v) ? ok(v) : fail(`${what}: not a JSON object`);
}

const CHANGE_TYPES: Record<string, ChangeType | 'skip'> = {
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  // Maxwell's bootstrap replays rows as inserts; its start and end markers carry no row.
  'bootstrap-insert': 'insert',
  'bootstrap-start': 'skip',
  'bootstrap-complete': 'skip',
};

/**
 * Contract 1. `skip` is a well-formed Maxwell event that carries no row (bootstrap markers):
 * the caller counts it as ignored, not malformed.
 */
export function parseChangeEvent(input: unknown): Result<ChangeEvent | 'skip'> {
  const o = asObject(input, 'change event');
  if (!o.ok) return o;
  const e = o.value;
  if (typeof e.database !== 'string') return fail('change event: "database" must be a string');
  if (typeof e.table !== 'string') return fail('change event: "table" must be a string');
  const type = typeof e.type === 'string' ? CHANGE_TYPES[e.type] : undefined;
  if (!type) return fail(`change event: unknown "type" ${JSON.stringify(e.type)}`);
  if (type === 'skip') return ok('skip');
  if (!isFiniteNumber(e.ts)) return fail('change event: "ts" must be a number of seconds');
  if (!isObj(e.data)) return fail('change event: "data" must be an object');
  if (e.old !== undefined && e.old !== null && !isObj(e.old)) {
    return fail('change event: "old" must be an object');
  }
  const event: ChangeEvent = { database: e.database, table: e.table, type, ts: e.ts, data: e.data };
  if (isFiniteNumber(e.xid)) event.xid = e.xid;
  if (typeof e.commit === 'boolean') event.commit = e.commit;
  if (isFiniteNumber(e.xoffset)) event.xoffset = e.xoffset;
  if (typeof e.position === 'string') event.position = e.position;
  if (isObj(e.old)) event.old = e.old;
  return ok(event);
}

/** The `order` row inside a change event's data, with every column of the workshop's table. */
export function parseOrderRow(data: Obj): Result<OrderRow> {
  const id = data.order_id;
  if (!Number.isInteger(id)) return fail('order row: "order_id" must be an integer');
  for (const k of ['user_mail', 'status', 'city', 'create_time', 'update_time'] as const) {
    if (typeof data[k] !== 'string') return fail(`order row: "${k}" must be a string`);
  }
  if (!isFiniteNumber(data.amount)) return fail('order row: "amount" must be a number');
  if (!Number.isInteger(data.good_count)) return fail('order row: "good_count" must be an integer');
  return ok({
    order_id: id as number,
    user_mail: data.user_mail as string,
    // char(10) columns come back right-padded from some clients.
    status: (data.status as string).trimEnd(),
    good_count: data.good_count as number,
    city: data.city as string,
    amount: data.amount as number,
    create_time: data.create_time as string,
    update_time: data.update_time as string,
  });
}

/** A change event of the `order` table whose row is complete. */
export function parseOrderChange(event: ChangeEvent): Result<OrderChange> {
  if (event.table !== 'order') return fail(`change event: table "${event.table}" is not "order"`);
  const row = parseOrderRow(event.data);
  if (!row.ok) return row;
  return ok({ ...event, table: 'order', data: { ...event.data, ...row.value } });
}

const WINDOWS: ReadonlySet<string> = new Set<MetricWindow>(['1d', '1m']);

export interface MetricParseOptions {
  /** Zone of the calendar day that a workshop record `{name,value,occur}` belongs to. */
  timeZone: string;
}

/** Contract 2, including the workshop job's short form `{name,value,occur}`. */
export function parseMetricRecord(input: unknown, opts: MetricParseOptions): Result<MetricRecord> {
  const o = asObject(input, 'metric record');
  if (!o.ok) return o;
  const r = o.value;
  if (typeof r.name !== 'string' || r.name === '') {
    return fail('metric record: "name" must be a non-empty string');
  }
  if (!isFiniteNumber(r.value)) return fail('metric record: "value" must be a number');
  if (!isFiniteNumber(r.occur)) return fail('metric record: "occur" must be epoch ms');
  if (r.window === undefined && r.start === undefined && r.dims === undefined) {
    return ok({
      name: r.name,
      value: r.value,
      occur: r.occur,
      window: '1d',
      start: dayStart(r.occur, opts.timeZone),
      dims: {},
    });
  }
  if (typeof r.window !== 'string' || !WINDOWS.has(r.window)) {
    return fail('metric record: "window" must be "1d" or "1m"');
  }
  if (!isFiniteNumber(r.start)) return fail('metric record: "start" must be epoch ms');
  const dims: Record<string, DimValue> = {};
  if (r.dims !== undefined) {
    if (!isObj(r.dims)) return fail('metric record: "dims" must be an object');
    for (const [k, v] of Object.entries(r.dims)) {
      if (v !== null && typeof v !== 'string' && !isFiniteNumber(v)) {
        return fail(`metric record: dims."${k}" must be a string, a number or null`);
      }
      dims[k] = v;
    }
  }
  return ok({
    name: r.name,
    value: r.value,
    occur: r.occur,
    window: r.window as MetricWindow,
    start: r.start,
    dims,
  });
}

/** Contract 3. */
export function parseWideRow(input: unknown): Result<WideRow> {
  const o = asObject(input, 'wide row');
  if (!o.ok) return o;
  const w = o.value;
  const row = parseOrderRow(w);
  if (!row.ok) return fail(row.error.replace('order row', 'wide row'));
  if (w.sex !== null && typeof w.sex !== 'string')
    return fail('wide row: "sex" must be a string or null');
  if (w.level !== null && !isFiniteNumber(w.level)) {
    return fail('wide row: "level" must be a number or null');
  }
  if (w.op !== 'insert' && w.op !== 'update' && w.op !== 'delete') {
    return fail('wide row: "op" must be insert, update or delete');
  }
  if (!isFiniteNumber(w.ts)) return fail('wide row: "ts" must be epoch ms');
  return ok({ ...row.value, sex: w.sex, level: w.level, op: w.op, ts: w.ts });
}

/** Contract 4's snapshot, as a browser receives it. */
export function parseSnapshot(input: unknown, opts: MetricParseOptions): Result<Snapshot> {
  const o = asObject(input, 'snapshot');
  if (!o.ok) return o;
  const s = o.value;
  if (!Array.isArray(s.metrics)) return fail('snapshot: "metrics" must be an array');
  const metrics: MetricRecord[] = [];
  for (const m of s.metrics) {
    const r = parseMetricRecord(m, opts);
    if (!r.ok) return fail(`snapshot: ${r.error}`);
    metrics.push(r.value);
  }
  if (s.lastRecordAt !== null && !isFiniteNumber(s.lastRecordAt)) {
    return fail('snapshot: "lastRecordAt" must be epoch ms or null');
  }
  if (typeof s.stale !== 'boolean') return fail('snapshot: "stale" must be a boolean');
  if (s.language !== undefined && !isLanguage(s.language)) {
    return fail('snapshot: "language" must be zh, en or zh+en');
  }
  const snapshot: Snapshot = { metrics, lastRecordAt: s.lastRecordAt, stale: s.stale };
  if (s.language !== undefined) snapshot.language = s.language;
  return ok(snapshot);
}

/** Largest burst one request may ask for: enough for a demo, small enough not to stall a screen. */
export const MAX_BURST_ORDERS = 100_000;

export interface BurstRequest {
  orders: number;
  /** Where the orders go; the source's default when absent. */
  target?: BurstTargetId;
}

/** A burst request from the renderer, a browser or the menu. */
export function parseBurstRequest(input: unknown): Result<BurstRequest> {
  const o = asObject(input, 'burst request');
  if (!o.ok) return o;
  const n = o.value.orders;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > MAX_BURST_ORDERS) {
    return fail(`burst request: "orders" must be a whole number from 1 to ${MAX_BURST_ORDERS}`);
  }
  const target = o.value.target;
  if (target !== undefined && target !== 'embedded' && target !== 'mysql') {
    return fail('burst request: "target" must be "embedded" or "mysql"');
  }
  return ok(target ? { orders: n as number, target } : { orders: n as number });
}

export interface PasswordRequest {
  password: string;
}

/** A password typed in the app's panel, on its way to the OS keychain. */
export function parsePasswordRequest(input: unknown): Result<PasswordRequest> {
  const o = asObject(input, 'password request');
  if (!o.ok) return o;
  const p = o.value.password;
  if (typeof p !== 'string' || p.length === 0 || p.length > 256) {
    return fail('password request: "password" must be 1 to 256 characters');
  }
  return ok({ password: p });
}
