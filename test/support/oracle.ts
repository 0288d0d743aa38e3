/**
 * An independent fold of a changelog: replay the events into the table's final rows, then compute
 * DESIGN.md's GROUP BYs over those rows from scratch. Written plainly, with nothing shared with
 * the engine but the time helpers, so the two can check each other.
 */
import { dayStart, parseDbDatetime } from '../../src/shared/time';

interface Row {
  order_id: number;
  user_mail: string;
  status: string;
  city: string;
  amount: number;
  create_time: string;
}

const SOLD = ['paid', 'shipping', 'finished'];

/** Identity string (name|window|start|dims JSON with sorted keys) → value. */
export function oracleFold(
  events: string[],
  opts: { timeZone: string; level: (mail: string) => number | null; minDay?: number },
): Map<string, number> {
  const rows = new Map<number, Row>();
  for (const text of events) {
    const e = JSON.parse(text) as { table: string; type: string; data: Row };
    if (e.table !== 'order') continue;
    if (e.type === 'delete') rows.delete(e.data.order_id);
    else rows.set(e.data.order_id, e.data);
  }
  const out = new Map<string, number>();
  const key = (name: string, window: string, start: number, dims: object): string =>
    `${name}|${window}|${start}|${JSON.stringify(dims)}`;
  const add = (k: string, v: number): void => {
    out.set(k, (out.get(k) ?? 0) + v);
  };
  const buyers = new Map<number, Set<string>>();
  const gmvCents = new Map<string, number>();
  for (const r of rows.values()) {
    const created = parseDbDatetime(r.create_time, opts.timeZone);
    if (created === null) throw new Error(`bad create_time ${r.create_time}`);
    const day = dayStart(created, opts.timeZone);
    if (opts.minDay !== undefined && day < opts.minDay) continue;
    const minute = created - (created % 60_000);
    for (const [w, s] of [
      ['1d', day],
      ['1m', minute],
    ] as const) {
      add(key('orders', w, s, {}), 1);
      add(key('orders', w, s, { city: r.city }), 1);
      add(key('orders', w, s, { status: r.status }), 1);
    }
    if (SOLD.includes(r.status)) {
      const cents = Math.round(r.amount * 100);
      for (const [w, s] of [
        ['1d', day],
        ['1m', minute],
      ] as const) {
        for (const dims of [{}, { city: r.city }, { level: opts.level(r.user_mail) }]) {
          const k = key('gmv', w, s, dims);
          gmvCents.set(k, (gmvCents.get(k) ?? 0) + cents);
        }
      }
      add(key('paid_orders', '1d', day, {}), 1);
      add(key('paid_orders', '1d', day, { city: r.city }), 1);
      if (!buyers.has(day)) buyers.set(day, new Set());
      buyers.get(day)?.add(r.user_mail);
    }
    if (r.status === 'cancel') add(key('cancelled', '1d', day, {}), 1);
  }
  for (const [k, cents] of gmvCents) out.set(k, cents / 100);
  for (const [day, mails] of buyers) out.set(key('buyers', '1d', day, {}), mails.size);
  const days = new Set<number>();
  for (const k of out.keys()) {
    const [, w, s] = k.split('|');
    if (w === '1d') days.add(Number(s));
  }
  for (const day of days) {
    const cents = Math.round((out.get(key('gmv', '1d', day, {})) ?? 0) * 100);
    const paid = out.get(key('paid_orders', '1d', day, {})) ?? 0;
    // Contract 2: gmv / paid_orders, unrounded (the screen rounds).
    out.set(key('aov', '1d', day, {}), paid === 0 ? 0 : cents / 100 / paid);
    if (!out.has(key('buyers', '1d', day, {}))) out.set(key('buyers', '1d', day, {}), 0);
  }
  return out;
}

/** The same keying for metric records, dropping zero values (emptied groups). */
export function recordsToMap(
  records: {
    name: string;
    window: string;
    start: number;
    dims: Record<string, unknown>;
    value: number;
  }[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of records) {
    const dims = Object.fromEntries(Object.entries(r.dims).sort(([a], [b]) => a.localeCompare(b)));
    out.set(`${r.name}|${r.window}|${r.start}|${JSON.stringify(dims)}`, r.value);
  }
  return out;
}

/** Drops zeros except aov/buyers (always present per day) so both sides compare alike. */
export function nonZero(m: Map<string, number>): Map<string, number> {
  return new Map(
    [...m].filter(([k, v]) => v !== 0 || k.startsWith('aov|') || k.startsWith('buyers|')),
  );
}
