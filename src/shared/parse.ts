/**
 * Runtime parsers for the contracts: each takes unknown input (a JSON string, bytes already
 * decoded, or a value) and returns a typed value or a clear error. None of them throws. The
 * checks are those of contracts.ts.
 */
import { fail, ok, type Result } from './result';
import { jsonValue, NOT_JSON, parseWith } from './schemaKit';
import {
  burstRequest,
  passwordRequest,
  readChangeEvent,
  readMetricRecord,
  readOrderRow,
  snapshot,
  wideRow,
  type BurstRequest,
  type ChangeEvent,
  type MetricRecord,
  type OrderChange,
  type OrderRow,
  type PasswordRequest,
  type Snapshot,
  type WideRow,
} from './contracts';

/**
 * The hot paths (every change event, every metric record) call the schema's own function
 * directly: the same checks and sentences, without the schema layers around it.
 */
function hot<T, O>(
  read: (value: unknown, option: O) => Result<T>,
  input: unknown,
  option: O,
  what: string,
): Result<T> {
  const value = jsonValue(input);
  if (value === NOT_JSON) return fail(`${what}: not JSON`);
  const r = read(value, option);
  return r.ok ? r : fail(`${what}: ${r.error}`);
}

/** Contract 1; `skip` is a well-formed Maxwell event without a row (bootstrap markers). */
export function parseChangeEvent(input: unknown): Result<ChangeEvent | 'skip'> {
  return hot(readChangeEvent, input, false, 'change event');
}

/** The `order` row inside a change event's data, with every column of the workshop's table. */
export function parseOrderRow(data: unknown): Result<OrderRow> {
  return hot(readOrderRow, data, false, 'order row');
}

/** A change event of the `order` table whose row is complete. */
export function parseOrderChange(event: ChangeEvent): Result<OrderChange> {
  if (event.table !== 'order') return fail(`change event: table "${event.table}" is not "order"`);
  const row = parseOrderRow(event.data);
  if (!row.ok) return row;
  return ok({ ...event, table: 'order', data: { ...event.data, ...row.value } });
}

export interface MetricParseOptions {
  /** Zone of the calendar day that a workshop record `{name,value,occur}` belongs to. */
  timeZone: string;
}

/** Contract 2, including the workshop job's short form `{name,value,occur}`. */
export function parseMetricRecord(input: unknown, opts: MetricParseOptions): Result<MetricRecord> {
  return hot(readMetricRecord, input, opts.timeZone, 'metric record');
}

/** Contract 3. */
export function parseWideRow(input: unknown): Result<WideRow> {
  return parseWith(wideRow, input, 'wide row');
}

/** Contract 4's snapshot, as a browser receives it. */
export function parseSnapshot(input: unknown, opts: MetricParseOptions): Result<Snapshot> {
  return parseWith(snapshot(opts.timeZone), input, 'snapshot');
}

/** A burst request from the renderer, a browser or the menu. */
export function parseBurstRequest(input: unknown): Result<BurstRequest> {
  return parseWith(burstRequest, input, 'burst request');
}

/** A password typed in the app's panel, on its way to the OS keychain. */
export function parsePasswordRequest(input: unknown): Result<PasswordRequest> {
  return parseWith(passwordRequest, input, 'password request');
}
