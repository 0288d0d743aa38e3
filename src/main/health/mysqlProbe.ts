/**
 * How fresh MySQL's `order` is, in the database's own clock (NOW(3) against update_time, which
 * the writers set with NOW()), so the machine's clock and time zone do not matter. Only the
 * newest `RECENT_ROWS` orders by primary key are looked at: update_time has no index, and a wall
 * that asks every 15 s must not scan the whole table.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Pending } from './lagRules';
import { quoteId } from '../mysql/target';
import { currentGrants, seesOtherSessions } from '../cdc/preflight';

export const RECENT_ROWS = 5_000;

export interface MySqlFreshness {
  /** Age of the newest update_time among the recent rows; null for an empty table. */
  newestAgeMs: number | null;
  /** `mysql-bin.000003:1234`, or null without binlog (or the privilege to see it). */
  binlog: string | null;
  /** Threads reading the binlog (cdc, Maxwell, replicas); null when the account cannot see them. */
  binlogReaders: number | null;
}

const recent = (database: string): string =>
  `(SELECT update_time FROM ${quoteId(database)}.\`order\` ORDER BY order_id DESC LIMIT ${RECENT_ROWS}) AS recent`;

export async function mysqlFreshness(conn: Connection, database: string): Promise<MySqlFreshness> {
  const [[row]] = (await conn.query<RowDataPacket[]>(
    `SELECT TIMESTAMPDIFF(MICROSECOND, MAX(update_time), NOW(3)) DIV 1000 AS age FROM ${recent(database)}`,
  )) as [RowDataPacket[], unknown];
  const age = row?.age === null || row?.age === undefined ? null : Number(row.age);
  let binlog: string | null = null;
  try {
    const [status] = await conn.query<RowDataPacket[]>('SHOW MASTER STATUS');
    const s = status[0];
    if (s) binlog = `${String(s.File)}:${String(s.Position)}`;
  } catch {
    // No binlog, or no privilege to see it: the position stays untold.
  }
  let binlogReaders: number | null = null;
  try {
    // Without PROCESS the list holds only this account's own sessions: an empty one then says
    // nothing about cdc, so who reads the binlog stays untold.
    if (seesOtherSessions(await currentGrants(conn)) === true) {
      const [threads] = await conn.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'",
      );
      binlogReaders = Number(threads[0]?.n ?? 0);
    }
  } catch {
    // Who reads the binlog stays untold.
  }
  // update_time has whole seconds: the newest change is up to 1 s younger than it reads.
  return { newestAgeMs: age === null ? null : Math.max(0, age - 999), binlog, binlogReaders };
}

/** What order_ds holds of this table: its newest event's second (the database's clock). */
export interface Shipped {
  /** Maxwell's `ts` of the newest record, epoch seconds. */
  newestSec: number;
  /** Records of that very second (the second a change and its shipment can share). */
  atNewest: number;
}

/** A `ts` further ahead than this is not believed (the engine skips such a record too). */
const MAX_AHEAD_MS = 86_400_000;

/**
 * The newest second shipped for `database.order`, from the records the probe read. A record
 * stamped more than a day ahead of `nowMs` is left out: one such record must not make every
 * later change look shipped.
 */
export function shippedOf(
  items: readonly { eventMs?: number; source?: string }[],
  database: string,
  nowMs: number,
): Shipped | null {
  const source = `${database}.order`;
  let newestSec = -1;
  let atNewest = 0;
  for (const i of items) {
    if (i.source !== source || i.eventMs === undefined || i.eventMs > nowMs + MAX_AHEAD_MS)
      continue;
    const sec = Math.floor(i.eventMs / 1000);
    if (sec > newestSec) {
      newestSec = sec;
      atNewest = 1;
    } else if (sec === newestSec) atNewest++;
  }
  return newestSec < 0 ? null : { newestSec, atNewest };
}

/**
 * Changes not yet shipped, and how long the oldest has waited (a lower bound: update_time drops
 * the milliseconds). Both sides are read in the database's clock: update_time against Maxwell's
 * `ts` of the newest shipped change, whole seconds both, so the machine's clock does not matter.
 * Rows of the newest shipped second count as waiting only beyond the records shipped in it: a
 * cdc stopped just after shipping must not hide the orders of that same second. Without anything
 * shipped in the window, every change of the window waits.
 */
export async function mysqlPending(
  conn: Connection,
  database: string,
  shipped: Shipped | null,
  windowMs: number,
): Promise<Pending | null> {
  const [[row]] = (await (shipped === null
    ? conn.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n, TIMESTAMPDIFF(MICROSECOND, MIN(update_time), NOW(3)) DIV 1000 AS oldest
           FROM ${recent(database)} WHERE update_time > NOW(3) - INTERVAL ? MICROSECOND`,
        [Math.max(0, Math.floor(windowMs)) * 1000],
      )
    : conn.query<RowDataPacket[]>(
        `SELECT SUM(update_time > FROM_UNIXTIME(?)) AS after, SUM(update_time = FROM_UNIXTIME(?)) AS at,
                TIMESTAMPDIFF(MICROSECOND, MIN(update_time), NOW(3)) DIV 1000 AS oldest,
                TIMESTAMPDIFF(MICROSECOND, MIN(IF(update_time > FROM_UNIXTIME(?), update_time, NULL)), NOW(3)) DIV 1000 AS oldestAfter
           FROM ${recent(database)} WHERE update_time >= FROM_UNIXTIME(?)`,
        [shipped.newestSec, shipped.newestSec, shipped.newestSec, shipped.newestSec],
      ))) as [RowDataPacket[], unknown];
  let n: number;
  let oldest: number;
  if (shipped === null) {
    n = Number(row?.n ?? 0);
    oldest = Number(row?.oldest ?? 0);
  } else {
    const unshippedAt = Math.max(0, Number(row?.at ?? 0) - shipped.atNewest);
    n = Number(row?.after ?? 0) + unshippedAt;
    oldest = Number((unshippedAt > 0 ? row?.oldest : row?.oldestAfter) ?? 0);
  }
  if (n === 0) return null;
  return {
    count: n,
    oldestAgeMs: Math.max(0, oldest - 1_000),
    ...(n >= RECENT_ROWS ? { atLeast: true } : {}),
  };
}
