/**
 * Contract 1 change events for tests that need a plain order and nothing particular about it:
 * a paid insert of one unit, order `id`, created at `createdMs`, stamped `tsMs` (UTC).
 */
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
