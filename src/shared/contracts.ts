/**
 * The data contracts of DESIGN.md as types, inferred from their schemas (schemas.ts).
 * Change these only together with DESIGN.md, the tests and the README.
 */

import type { ChangeEvent, OrderRow } from './schemas';

export const ORDER_STATUSES = ['unpaid', 'paid', 'cancel', 'shipping', 'finished'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses whose orders count as sold (gmv, paid_orders, buyers). */
export const SOLD_STATUSES: ReadonlySet<string> = new Set(['paid', 'shipping', 'finished']);

export type {
  ChangeEvent,
  ChangeType,
  DimValue,
  MetricRecord,
  MetricWindow,
  OrderRow,
  Snapshot,
  WideRow,
} from './schemas';

/** A change of the `order` table whose row has every column with its right type. */
export interface OrderChange extends ChangeEvent {
  table: 'order';
  data: OrderRow & Record<string, unknown>;
}

/**
 * The name of the workshop Flink job's own record, `{"name":"amount","value":…,"occur":…}`: its
 * running total of the day's sales (a 1d total of that day, dims {}). Screens show it as today's
 * sales on the GMV tile, unless livewall's own `gmv` total for the day is there too.
 */
export const WORKSHOP_SALES_METRIC = 'amount';
