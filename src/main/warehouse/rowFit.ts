/**
 * One record of `dwd_customer_order_ds` to the values of one table row, or the sentence why it
 * cannot be loaded. Everything that would make the database refuse the flush is caught here
 * (range, length, impossible dates, NUL), so one bad record is skipped and named, and never
 * stops the rows around it.
 */
import { parseWideRow } from '@shared/parse';
import type { WideRow } from '@shared/contracts';
import { fail, ok, type Result } from '@shared/result';
import { COLUMNS, type ColumnFit, type TableFit } from './tableShape';
import type { Dialect } from './warehouseTarget';

export type SqlValue = string | number | null;

export interface LoadRow {
  orderId: number;
  op: WideRow['op'];
  /** In COLUMNS order. */
  values: SqlValue[];
  /** The record's size in bytes, for --buffer-size. */
  bytes: number;
}

const INT32 = 2 ** 31;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** MySQL's DATETIME text; fractions of a second allowed (DATETIME(6)). */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/;

/** A reason the text cannot be stored as a timestamp, or null. */
export function datetimeProblem(text: string): string | null {
  const m = DATETIME.exec(text);
  if (!m) return 'is not a datetime "YYYY-MM-DD HH:MM:SS"';
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real = y >= 1 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  if (!real || h > 23 || mi > 59 || s > 59) return 'is not a real date and time';
  return null;
}

function textProblem(value: string, fit: ColumnFit, dialect: Dialect): string | null {
  // PostgreSQL text cannot hold NUL; a lone surrogate would be stored as U+FFFD, silently changed.
  if (value.includes('\u0000')) return 'holds a NUL character';
  if (LONE_SURROGATE.test(value)) return 'holds a lone UTF-16 surrogate (not valid Unicode)';
  if (fit.maxLength === null) return null;
  const length = dialect === 'redshift' ? Buffer.byteLength(value, 'utf8') : [...value].length;
  if (length > fit.maxLength) {
    const unit = dialect === 'redshift' ? 'bytes' : 'characters';
    return `is ${length} ${unit}, longer than the column's ${fit.maxLength}`;
  }
  return null;
}

function valueProblem(value: unknown, fit: ColumnFit, dialect: Dialect): string | null {
  if (value === null) return null;
  switch (fit.kind) {
    case 'int32':
      return Number.isInteger(value) && (value as number) >= -INT32 && (value as number) < INT32
        ? null
        : 'is out of range for INTEGER';
    case 'int64':
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? null
        : 'is out of range for a whole number held exactly';
    case 'float':
      return null;
    case 'text':
      return typeof value === 'string' ? textProblem(value, fit, dialect) : 'is not text';
    case 'timestamp':
      return typeof value === 'string' ? datetimeProblem(value) : 'is not text';
  }
}

export function fitRow(text: string, fit: TableFit, dialect: Dialect): Result<LoadRow> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('not JSON');
  }
  const parsed = parseWideRow(json);
  if (!parsed.ok) return parsed;
  const row = parsed.value;
  const values: SqlValue[] = [];
  for (const col of COLUMNS) {
    const v = row[col];
    const problem = valueProblem(v, fit[col], dialect);
    if (problem) return fail(`"${col}" ${problem}`);
    values.push(v);
  }
  if (!Number.isSafeInteger(row.order_id)) return fail('"order_id" is out of range');
  return ok({ orderId: row.order_id, op: row.op, values, bytes: Buffer.byteLength(text, 'utf8') });
}
