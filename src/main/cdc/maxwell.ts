/**
 * Binlog rows to contract 1, Maxwell's JSON, so real Maxwell and livewall's cdc interchange:
 * the same keys in the same order, `old` with only the changed columns, datetimes as the
 * database's strings, FLOAT as the shortest number that is the same float (99.5, 12.34).
 */
import type { ChangeEvent, ChangeType } from '@shared/contracts';

/** MySQL's column type codes that need more than a plain copy. */
export const MYSQL_TYPE = { FLOAT: 4, DOUBLE: 5, NEWDECIMAL: 246, DECIMAL: 0 } as const;

export interface ColumnInfo {
  name: string;
  type: number;
}

/**
 * The shortest decimal that reads back as the same 32-bit float, as Maxwell (Java's
 * Float.toString) prints FLOAT columns: the binlog holds 12.34f, which as a double is
 * 12.340000152587891.
 */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x)) return x;
  const target = Math.fround(x);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === target) return candidate;
  }
  return x;
}

/** One column value as Maxwell writes it. */
export function maxwellValue(value: unknown, type: number | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return type === MYSQL_TYPE.FLOAT ? shortestFloat32(value) : value;
  if (typeof value === 'bigint') return Number(value);
  // DECIMAL arrives as an exact string; Maxwell writes a JSON number (JSON readers get a double).
  if (
    typeof value === 'string' &&
    (type === MYSQL_TYPE.NEWDECIMAL || type === MYSQL_TYPE.DECIMAL)
  ) {
    return Number(value);
  }
  // Binary columns: Maxwell writes base64.
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** A decoded row in Maxwell's value forms, keys in column order. */
export function maxwellRow(
  row: Record<string, unknown>,
  columns: readonly ColumnInfo[] | undefined,
): Record<string, unknown> {
  const types = new Map(columns?.map((c) => [c.name, c.type]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) out[name] = maxwellValue(value, types.get(name));
  return out;
}

/** The previous values of the columns whose value changed (Maxwell's `old`). */
export function changedColumns(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const old: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(before)) {
    if (!sameValue(value, after[name])) old[name] = value;
  }
  return old;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (
    a === b ||
    (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b))
  );
}

export interface RowChange {
  type: ChangeType;
  /** Seconds, from the binlog event's header. */
  ts: number;
  data: Record<string, unknown>;
  old?: Record<string, unknown>;
}

/**
 * The events of one committed transaction, in Maxwell's key order: every row carries the
 * transaction's xid, and only the last one `"commit": true` (Maxwell leaves it out elsewhere).
 * With the transaction's binlog position, each row also carries Maxwell's `output_binlog_position`
 * field and its `xoffset` in the transaction: together they order every event of the server, which
 * lets a consumer skip a replayed one.
 */
export function transactionEvents(
  database: string,
  table: string,
  rows: readonly RowChange[],
  xid: number | undefined,
  position?: string,
): ChangeEvent[] {
  return rows.map((row, i) => ({
    database,
    table,
    type: row.type,
    ts: row.ts,
    ...(xid !== undefined ? { xid } : {}),
    ...(position !== undefined ? { xoffset: i } : {}),
    ...(i === rows.length - 1 ? { commit: true } : {}),
    ...(position !== undefined ? { position } : {}),
    data: row.data,
    ...(row.old ? { old: row.old } : {}),
  }));
}
