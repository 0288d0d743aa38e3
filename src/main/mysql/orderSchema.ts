/**
 * The workshop's `order` table (DESIGN.md), created on request in utf8mb4, and checked before the
 * simulator writes: a missing table or a latin1 `city` column is a sentence, not a failed burst.
 */
import type { Connection } from 'mysql2/promise';
import { quoteId } from './target';

export const ORDER_TABLE = 'order';

/** The workshop's DDL, with the character set spelled out (a stock server's default is latin1). */
export const ORDER_TABLE_DDL = `CREATE TABLE IF NOT EXISTS \`order\` (
  order_id INT AUTO_INCREMENT NOT NULL,
  user_mail varchar(20) NOT NULL,
  status char(10) NOT NULL,
  good_count INT NOT NULL,
  city varchar(20) NOT NULL,
  amount FLOAT NOT NULL,
  create_time datetime NOT NULL,
  update_time datetime NOT NULL,
  PRIMARY KEY (order_id)
) DEFAULT CHARSET=utf8mb4`;

/** The `customer` dimension as MySQL holds it (docs/contracts.md); the join key is its email. */
export const CUSTOMER_TABLE_DDL = `CREATE TABLE IF NOT EXISTS customer (
  email varchar(20) NOT NULL,
  level INT NOT NULL,
  sex varchar(20) NOT NULL,
  PRIMARY KEY (email)
) DEFAULT CHARSET=utf8mb4`;

const UNICODE_CHARSETS = new Set(['utf8mb4', 'utf8mb3', 'utf8', 'utf16', 'utf32', 'ucs2']);

/**
 * Makes sure `database`.`order` exists (creating it when `create`) and can hold Chinese city
 * names. Returns null when ready, else a sentence saying what to do.
 */
export async function checkOrderTable(
  conn: Connection,
  database: string,
  create: boolean,
): Promise<string | null> {
  if (create) await conn.query(ORDER_TABLE_DDL);
  const [rows] = await conn.query(
    `SELECT COLUMN_NAME AS name, CHARACTER_SET_NAME AS charset FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [database, ORDER_TABLE],
  );
  const columns = rows as { name: string; charset: string | null }[];
  if (columns.length === 0) {
    return `The table ${quoteId(database)}.${quoteId(ORDER_TABLE)} does not exist: run with --create-table to create it from the workshop's DDL.`;
  }
  const city = columns.find((c) => c.name.toLowerCase() === 'city');
  if (city?.charset && !UNICODE_CHARSETS.has(city.charset.toLowerCase())) {
    return `The column ${ORDER_TABLE}.city is ${city.charset}, which cannot hold city names such as 西安: run ALTER TABLE ${quoteId(database)}.${quoteId(ORDER_TABLE)} CONVERT TO CHARACTER SET utf8mb4.`;
  }
  return null;
}
