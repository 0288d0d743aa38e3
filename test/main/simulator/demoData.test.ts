import { describe, expect, test } from 'vitest';
import {
  demoCustomer,
  demoCustomers,
  demoMails,
  POPULATION_SIZE,
  WORKSHOP_MAILS,
} from '../../../src/main/simulator/demoData';
import { Simulator } from '../../../src/main/simulator/simulator';
import type { OrderSink } from '../../../src/main/simulator/orderTable';

// The sink is never called: newOrder() only draws an order.
const sink = {} as OrderSink;

function buyersOf(sim: Simulator, orders: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < orders; i++) {
    const mail = sim.newOrder().user_mail;
    counts.set(mail, (counts.get(mail) ?? 0) + 1);
  }
  return counts;
}

describe('the demo population', () => {
  test('thousands of distinct customers, each address fits the workshop varchar(20)', () => {
    const mails = demoMails();
    expect(mails).toHaveLength(POPULATION_SIZE);
    expect(new Set(mails).size).toBe(POPULATION_SIZE);
    expect(mails.every((m) => m.length <= 20 && /^[a-z]+\d+@[a-z0-9.]+$/.test(m))).toBe(true);
  });

  test('the customer dimension holds nearly all of them, with every level and both sexes', () => {
    const rows = demoCustomers();
    // A few guests have no row, as in real data: their orders flow with level and sex null.
    expect(rows.length / POPULATION_SIZE).toBeGreaterThan(0.95);
    expect(rows.length).toBeLessThan(POPULATION_SIZE);
    const levels = [1, 2, 3, 4, 5].map((l) => rows.filter((c) => c.level === l).length);
    expect(levels.every((n) => n > 500)).toBe(true);
    // More customers at the low levels than at the top one.
    expect(levels[0]!).toBeGreaterThan(levels[4]! * 4);
    const women = rows.filter((c) => c.sex === 'F').length / rows.length;
    expect(women).toBeGreaterThan(0.4);
    expect(women).toBeLessThan(0.6);
    const { level, sex } = rows[0]!;
    expect(demoCustomer(rows[0]!.email)).toEqual({ level, sex, until: Infinity });
    expect(demoCustomer('nobody@example.com')).toBeNull();
    expect(demoMails().some((m) => demoCustomer(m) === null)).toBe(true);
  });

  // Issue 21: Buyers stayed at 8 all day because the demo had 8 mail addresses.
  test('ten thousand orders come from thousands of buyers, a plausible minority of them repeat', () => {
    const buyers = buyersOf(new Simulator({ sink, seed: 7 }), 10_000);
    expect(buyers.size).toBeGreaterThan(3_000);
    expect(buyers.size).toBeLessThan(9_000);
    const repeat = [...buyers.values()].filter((n) => n >= 2).length / buyers.size;
    expect(repeat).toBeGreaterThan(0.1);
    expect(repeat).toBeLessThan(0.5);
  });

  test("the workshop's four addresses on request, as write_db.py places orders", () => {
    const buyers = buyersOf(new Simulator({ sink, seed: 7, customers: 'workshop' }), 1_000);
    expect([...buyers.keys()].sort()).toEqual([...WORKSHOP_MAILS].sort());
  });
});
