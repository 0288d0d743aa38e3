/**
 * The data contracts of DESIGN.md as types. Runtime parsers live in parse.ts.
 * Change these only together with DESIGN.md, the tests and the README.
 */
import type { Language } from './language';

export const ORDER_STATUSES = ['unpaid', 'paid', 'cancel', 'shipping', 'finished'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses whose orders count as sold (gmv, paid_orders, buyers). */
export const SOLD_STATUSES: ReadonlySet<string> = new Set(['paid', 'shipping', 'finished']);

/** A row of the workshop's `order` table. Datetimes are `YYYY-MM-DD HH:MM:SS` in the database's zone. */
export interface OrderRow {
  order_id: number;
  user_mail: string;
  /** The table's column is char(10); real data may hold statuses beyond the generator's five. */
  status: string;
  good_count: number;
  city: string;
  amount: number;
  create_time: string;
  update_time: string;
}

/** Contract 1: Maxwell's change event on `order_ds`. */
export type ChangeType = 'insert' | 'update' | 'delete';
export interface ChangeEvent {
  database: string;
  table: string;
  type: ChangeType;
  /** Seconds. */
  ts: number;
  xid?: number;
  /** Maxwell's row position in the transaction (multi-row transactions). */
  xoffset?: number;
  commit?: boolean;
  /** Maxwell's `output_binlog_position`: `binlog-file:offset`, which orders events exactly. */
  position?: string;
  /** The full row after the change; for a delete, the row deleted. */
  data: Record<string, unknown>;
  /** Only the changed columns' previous values (updates). */
  old?: Record<string, unknown>;
}
/** A change of the `order` table whose row has every column with its right type. */
export interface OrderChange extends ChangeEvent {
  table: 'order';
  data: OrderRow & Record<string, unknown>;
}

/** Contract 2: a metric record on `metric_ds`. */
export type MetricWindow = '1d' | '1m';
export type DimValue = string | number | null;
export interface MetricRecord {
  name: string;
  value: number;
  /** Epoch ms event time of the newest change folded in. */
  occur: number;
  window: MetricWindow;
  /** Window start, epoch ms. */
  start: number;
  dims: Record<string, DimValue>;
}

/** Contract 3: the wide row on `dwd_customer_order_ds`. */
/**
 * The name of the workshop Flink job's own record, `{"name":"amount","value":…,"occur":…}`: its
 * running total of the day's sales (a 1d total of that day, dims {}). Screens show it as today's
 * sales on the GMV tile, unless livewall's own `gmv` total for the day is there too.
 */
export const WORKSHOP_SALES_METRIC = 'amount';

export interface WideRow extends OrderRow {
  sex: string | null;
  level: number | null;
  op: ChangeType;
  /** The change's time, epoch ms. */
  ts: number;
}

/** Contract 4: `GET /api/snapshot`. */
export interface Snapshot {
  metrics: MetricRecord[];
  lastRecordAt: number | null;
  stale: boolean;
  /** The screen's configured language (config `language`); absent from older servers. */
  language?: Language;
}
