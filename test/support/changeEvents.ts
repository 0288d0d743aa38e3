/**
 * Contract 1 change events for tests that need a plain order and nothing particular about it:
 * a paid insert of one unit, order `id`, created at `createdMs`, stamped `tsMs` (UTC).
 */
import type { OrderRow } from '../../src/shared/contracts';
import { formatDbDatetime } from '../../src/shared/time';

export function paidInsert(id: number, createdMs: number, tsMs: number): string {
  const t = formatDbDatetime(createdMs, 'UTC');
  return JSON.stringify({
    database: 'demo',
    table: 'order',
    type: 'insert',
    ts: Math.floor(tsMs / 1000),
    data: {
      order_id: id,
      user_mail: 'a@x',
      status: 'paid',
      good_count: 1,
      city: 'X',
      amount: 1,
      create_time: t,
      update_time: t,
    },
  });
}

/**
 * An order row of one unit in 西安 for ¥10 by a@x.cn, paid, created and last updated at `t` (the
 * database's datetime text); `over` sets any column.
 */
export function orderRow(id: number, t: string, over: Partial<OrderRow> = {}): OrderRow {
  return {
    order_id: id,
    user_mail: 'a@x.cn',
    status: 'paid',
    good_count: 1,
    city: '西安',
    amount: 10,
    create_time: t,
    update_time: t,
    ...over,
  };
}
