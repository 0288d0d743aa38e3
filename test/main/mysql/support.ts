/**
 * What the server itself says happened, for tests to hold livewall's counts against: row events
 * in the binlog (SHOW BINLOG EVENTS, independent of zongji) and the table's rows.
 */
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import type { MySqlTarget } from '../../../src/main/mysql/target';
import type { OrderRow } from '../../../src/shared/contracts';

export interface RowEventCounts {
  insert: number;
  update: number;
  delete: number;
}

export interface LogPoint {
  file: string;
  position: number;
}

/** The server's binlog end now (MariaDB's SHOW MASTER STATUS). */
export async function logEnd(conn: Connection): Promise<LogPoint> {
  const [rows] = await conn.query<RowDataPacket[]>('SHOW MASTER STATUS');
  return { file: String(rows[0]?.File), position: Number(rows[0]?.Position) };
}

/**
 * Row events of `database`.`table` in the binlog from `from` on (up to `to`, if given). Each
 * single-row statement writes one row event, so these count committed inserts and updates
 * (rolled-back ones are not logged).
 */
export async function rowEvents(
  conn: Connection,
  database: string,
  table: string,
  from: LogPoint,
  to?: LogPoint,
): Promise<RowEventCounts> {
  const counts: RowEventCounts = { insert: 0, update: 0, delete: 0 };
  const [logs] = await conn.query<RowDataPacket[]>('SHOW BINARY LOGS');
  const files = logs
    .map((l) => String(l.Log_name))
    .filter((name) => name >= from.file && (to === undefined || name <= to.file));
  const tables = new Map<string, string>();
  for (const file of files) {
    const sql =
      file === from.file
        ? `SHOW BINLOG EVENTS IN '${file}' FROM ${from.position}`
        : `SHOW BINLOG EVENTS IN '${file}'`;
    const [events] = await conn.query<RowDataPacket[]>(sql);
    for (const e of events) {
      if (to && file === to.file && Number(e.End_log_pos) > to.position) break;
      const type = String(e.Event_type);
      const info = String(e.Info);
      const id = /table_id: (\d+)/.exec(info)?.[1];
      if (type === 'Table_map' && id) tables.set(id, /\(([^)]+)\)/.exec(info)?.[1] ?? '');
      if (!id || tables.get(id) !== `${database}.${table}`) continue;
      if (type.startsWith('Write_rows')) counts.insert++;
      else if (type.startsWith('Update_rows')) counts.update++;
      else if (type.startsWith('Delete_rows')) counts.delete++;
    }
  }
  return counts;
}

/** Every row of `order`, by order_id, as Maxwell would print it (datetimes as strings). */
export async function orderRows(url: string): Promise<Map<number, OrderRow>> {
  const conn = await createConnection({ uri: url, dateStrings: true });
  try {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT * FROM `order` ORDER BY order_id');
    return new Map(rows.map((r) => [Number(r.order_id), { ...r } as OrderRow]));
  } finally {
    await conn.end();
  }
}

/** A test target for the private MariaDB's database. */
export function targetOf(port: number, database: string, user = 'root'): MySqlTarget {
  return { host: '127.0.0.1', port, user, database, ssl: false };
}
