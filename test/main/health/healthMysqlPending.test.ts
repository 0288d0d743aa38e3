/**
 * What MySQL's `order` has that order_ds lacks, judged in the database's clock against Maxwell's
 * `ts` of the newest shipped change. The rows are written with chosen update_times, so the
 * seconds, not the test's speed, decide: above all, orders of the very second cdc shipped its
 * last change in must not hide behind it (the flaky "nothing waiting" of a stopped cdc).
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mysqlPending, shippedOf } from '../../../src/main/health/mysqlProbe';
import { ORDER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';
import { useMariaDB } from '../../support/lifecycle';
import { createDatabase } from '../../support/mariadb';

const db = useMariaDB();
let conn: Connection;
/** A second well behind the database's now, so every row is old enough to have an age. */
let base: number;

async function rows(n: number, second: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await conn.query(
      "INSERT INTO `order` (user_mail, status, good_count, city, amount, create_time, update_time) VALUES ('a@b.c', 'paid', 1, 'X', 1, FROM_UNIXTIME(?), FROM_UNIXTIME(?))",
      [second, second],
    );
}

beforeAll(async () => {
  conn = await createConnection({ uri: await createDatabase(db().url, 'pend'), dateStrings: true });
  await conn.query(ORDER_TABLE_DDL);
  const [[now]] = (await conn.query('SELECT UNIX_TIMESTAMP(NOW()) AS s')) as unknown as [
    [{ s: number | string }],
  ];
  base = Number(now.s) - 60;
  await rows(3, base - 5);
  await rows(12, base); // two shipped, ten not (cdc stopped within that second)
}, 60_000);
afterAll(async () => {
  await conn?.end();
});

describe('mysqlPending', () => {
  test('rows of the newest shipped second wait beyond those shipped in it', async () => {
    const p = await mysqlPending(conn, 'pend', { newestSec: base, atNewest: 2 }, 900_000);
    expect(p?.count).toBe(10);
    // The oldest waits since `base` (60 s ago), less the second update_time may have dropped.
    expect(p?.oldestAgeMs).toBeGreaterThanOrEqual(58_000);
  });

  test('all of that second shipped: nothing waits', async () => {
    expect(await mysqlPending(conn, 'pend', { newestSec: base, atNewest: 12 }, 900_000)).toBe(null);
  });

  test('later changes wait, aged from the oldest of them', async () => {
    await rows(4, base + 30);
    const p = await mysqlPending(conn, 'pend', { newestSec: base, atNewest: 12 }, 900_000);
    expect(p?.count).toBe(4);
    expect(p?.oldestAgeMs).toBeGreaterThanOrEqual(28_000);
    expect(p?.oldestAgeMs).toBeLessThan(58_000);
  });

  test('nothing shipped within the window: every change of the window waits', async () => {
    expect((await mysqlPending(conn, 'pend', null, 40_000))?.count).toBe(4);
    expect((await mysqlPending(conn, 'pend', null, 900_000))?.count).toBe(19);
  });
});

describe('shippedOf', () => {
  test("the newest second of this database's order table, and its records", () => {
    const items = [
      { eventMs: 10_000, source: 'pend.order' },
      { eventMs: 12_300, source: 'pend.order' },
      { eventMs: 12_900, source: 'pend.order' },
      { eventMs: 50_000, source: 'other.order' }, // another database
      { eventMs: 60_000, source: 'pend.customer' }, // another table
      { eventMs: 70_000 }, // not a Maxwell record
      { eventMs: 99_999_999_999_000, source: 'pend.order' }, // a ts in year 5138: not believed
    ];
    expect(shippedOf(items, 'pend', 20_000)).toEqual({ newestSec: 12, atNewest: 2 });
    expect(shippedOf(items, 'none', 20_000)).toBe(null);
  });
});
