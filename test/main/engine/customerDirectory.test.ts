/**
 * The customer dimension in a real PostgreSQL (Redshift's protocol) and a real MariaDB, behind
 * the cache: batched lookups, unknown customers, expiry, a bound on the entries kept.
 */
import pg from 'pg';
import { createConnection } from 'mysql2/promise';
import { describe, expect, onTestFinished, test } from 'vitest';
import { CustomerCache } from '../../../src/main/engine/customerCache';
import {
  mysqlCustomerDirectory,
  postgresCustomerDirectory,
  type CustomerDirectory,
} from '../../../src/main/engine/customerDirectory';
import { createMySqlConnector } from '../../../src/main/mysql/connect';
import { parseMySqlUrl } from '../../../src/main/mysql/target';
import { useMariaDB } from '../../support/lifecycle';
import { createDatabase } from '../../support/mariadb';
import { usePostgres } from '../../support/lifecycle';
import { CUSTOMER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';
import { WAREHOUSE_SQL } from '../../../deploy/lib/warehouseSql';

const postgres = usePostgres();
const mariadb = useMariaDB({ binlog: false });

async function check(dir: CustomerDirectory): Promise<void> {
  onTestFinished(() => dir.close());
  const found = await dir.lookup(['pony@qq.com', 'mei@qq.com', 'nobody@x.cn']);
  expect(found).toEqual(
    new Map([
      ['pony@qq.com', { level: 5, sex: 'M' }],
      ['mei@qq.com', { level: 4, sex: 'F' }],
    ]),
  );
  expect(await dir.lookup([])).toEqual(new Map());
}

describe('customer directories', () => {
  test('PostgreSQL (the warehouse, as Redshift)', async () => {
    const c = new pg.Client({ connectionString: postgres().url });
    await c.connect();
    // The warehouse's own customer table, as the deployment creates it.
    await c.query(WAREHOUSE_SQL.find((q) => q.includes('EXISTS customer (')) as string);
    await c.query(
      "INSERT INTO customer VALUES ('pony@qq.com',5,'M'),('mei@qq.com',4,'F') ON CONFLICT DO NOTHING",
    );
    await c.end();
    await check(await postgresCustomerDirectory(postgres().url));
  });

  test('MariaDB', async () => {
    const url = await createDatabase(mariadb().url, 'dim');
    const conn = await createConnection(url);
    await conn.query(CUSTOMER_TABLE_DDL);
    await conn.query("INSERT INTO customer VALUES ('pony@qq.com',5,'M'),('mei@qq.com',4,'F')");
    await conn.end();
    const target = parseMySqlUrl(url);
    if (!target.ok) throw new Error(target.error);
    await check(
      mysqlCustomerDirectory(await createMySqlConnector(target.value, { passwords: [] }), 'dim'),
    );
  });

  test('the cache: batches misses, answers at once after, expires, keeps at most maxEntries', async () => {
    let now = 0;
    const queries: string[][] = [];
    const resolved: [string, unknown][] = [];
    const cache = new CustomerCache({
      directory: {
        description: 'memory',
        lookup: async (emails) => {
          queries.push([...emails]);
          return new Map(
            emails.filter((e) => e.startsWith('c')).map((e) => [e, { level: e.length, sex: 'F' }]),
          );
        },
        close: async () => undefined,
      },
      ttlMs: 1_000,
      negativeTtlMs: 100,
      maxEntries: 3,
      now: () => now,
      onResolved: (e, info) => resolved.push([e, info]),
    });
    expect(cache.get('c1')).toBeUndefined(); // not known yet: a lookup starts
    await cache.ensure(['c1', 'c22', 'x'], 1_000);
    expect(queries).toEqual([['c1'], ['c22', 'x']]);
    // The answer says until when it stands (the ttl), so the engine may reuse it till then.
    expect(cache.get('c22')).toEqual({ level: 3, sex: 'F', until: 1_000 });
    expect(cache.get('x')).toBeNull();
    expect(resolved.map(([e]) => e)).toEqual(['c1', 'c22', 'x']);
    now = 500; // x's negative answer expired, c22's positive one did not
    await cache.ensure(['c22', 'x'], 1_000);
    expect(queries.at(-1)).toEqual(['x']);
    await cache.ensure(['c4', 'c55'], 1_000);
    expect(cache.stats().size).toBe(3);
  });
});
