/**
 * The SQL of `livewall load`: one transaction per flush that stages the rows in a temp table,
 * merges them into the table by `order_id` (a delete row removes the order) and writes the shard
 * positions that produced them, so the rows and the positions commit together or not at all.
 * `redshift` uses only what Redshift accepts (no ON CONFLICT, no RETURNING): DELETE … USING the
 * stage, then INSERT. `postgres` upserts with ON CONFLICT.
 */
import type { Client, ClientConfig } from 'pg';
import { fail, ok, type Result } from '@shared/result';
import {
  checkTableFit,
  COLUMNS,
  createPositionTableSql,
  createTableSql,
  type ColumnInfo,
  type TableFit,
} from './tableShape';
import type { SqlValue } from './rowFit';
import { positionTable, type QualifiedName, type WarehouseTarget } from './warehouseTarget';

/** Where one shard stands, as committed in `livewall_load_position`. */
export interface CommittedShard {
  sequenceNumber: string | null;
  finished: boolean;
  rowsLoaded: number;
  rowsSkipped: number;
  /** The newest committed record's arrival on the stream, epoch ms. */
  newestArrivalMs: number | null;
}

export interface CommittedPositions {
  /** How the first run started (`trim`, or an epoch ms for latest/today/a time): null before it. */
  startFrom: string | null;
  shards: Map<string, CommittedShard>;
  /** The stamp of the last committed flush (strictly increasing). */
  stamp: number | null;
}

export interface Flush {
  /** The newest row of each order in this flush, in COLUMNS order; `op` tells delete. */
  rows: SqlValue[][];
  shards: Map<string, CommittedShard>;
  startFrom: string;
  stamp: number;
  /** The stamp this loader last committed (or found at start): another one means another loader. */
  previousStamp: number | null;
}

/** Rows per INSERT: 12 parameters each, well under PostgreSQL's 65 535 per statement. */
const ROWS_PER_INSERT = 1_000;
const STAGE = 'livewall_stage';
const COLUMN_LIST = COLUMNS.join(', ');

/** The table is not fit to load (a missing column, a wrong type): refused at start. */
export class TableMisfit extends Error {}

/** Another `livewall load` committed positions for the same stream and table. */
export class LoaderConflict extends Error {}

export class WarehouseWriter {
  private client: Client | null = null;
  private readonly positions: QualifiedName;

  constructor(
    private readonly target: WarehouseTarget,
    private readonly stream: string,
    private readonly config: Omit<ClientConfig, 'connectionString'> = {},
  ) {
    this.positions = positionTable(target.table);
  }

  /** The connection, opened when there is none (or the last one broke). */
  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const { Client } = await import('pg');
    const client = new Client({
      connectionString: this.target.url,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      // A warehouse that stops answering mid-flush (no reset, just silence) becomes an error to
      // retry; the transaction it held is rolled back with the connection.
      query_timeout: 120_000,
      ...this.config,
    });
    // A connection that drops while idle emits 'error': unhandled, it would end the process.
    client.on('error', () => {
      if (this.client === client) this.client = null;
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    return client;
  }

  /** Drops the connection after a failure, so the next call starts clean. */
  async reset(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.reset();
  }

  /**
   * Creates the tables when asked (the position table always: it is the loader's own), then
   * checks the table can hold every row. TableMisfit when it cannot.
   */
  async prepare(createTable: boolean): Promise<TableFit> {
    const c = await this.connection();
    // Created only when missing: CREATE … IF NOT EXISTS still needs CREATE on the schema.
    if (createTable && !(await tableExists(c, this.target.table))) {
      await c.query(createTableSql(this.target.table));
    }
    if (!(await tableExists(c, this.positions))) {
      await c.query(createPositionTableSql(this.positions));
    }
    const cols = await c.query<ColumnInfo>(
      `SELECT column_name, data_type, character_maximum_length::int AS character_maximum_length,
              is_nullable, column_default
         FROM information_schema.columns
        WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2`,
      [this.target.table.schema, this.target.table.name],
    );
    const fit = checkTableFit(this.target.table.sql, cols.rows);
    if (!fit.ok) throw new TableMisfit(fit.error);
    if (this.target.dialect === 'postgres') {
      const key = await this.hasOrderIdKey(c);
      if (!key.ok) throw new TableMisfit(key.error);
    }
    return fit.value;
  }

  /** ON CONFLICT (order_id) needs a unique index on exactly that column. */
  private async hasOrderIdKey(c: Client): Promise<Result<true>> {
    const r = await c.query(
      `SELECT 1 FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indnatts = 1
          AND a.attname = 'order_id'`,
      [this.target.table.sql],
    );
    return r.rowCount
      ? ok(true)
      : fail(
          `the table ${this.target.table.sql} has no PRIMARY KEY or UNIQUE constraint on "order_id": --dialect postgres needs one (or use --dialect redshift)`,
        );
  }

  async committed(): Promise<CommittedPositions> {
    const c = await this.connection();
    const r = await c.query<{
      shard_id: string;
      sequence_number: string | null;
      finished: boolean;
      start_from: string;
      rows_loaded: string;
      rows_skipped: string;
      newest_arrival_ms: string | null;
      committed_at_ms: string;
    }>(
      `SELECT shard_id, sequence_number, finished, start_from, rows_loaded, rows_skipped,
              newest_arrival_ms, committed_at_ms
         FROM ${this.positions.sql} WHERE stream = $1 AND target = $2`,
      [this.stream, this.target.table.sql],
    );
    const shards = new Map<string, CommittedShard>();
    let startFrom: string | null = null;
    let stamp: number | null = null;
    for (const row of r.rows) {
      shards.set(row.shard_id, {
        sequenceNumber: row.sequence_number,
        finished: row.finished,
        rowsLoaded: Number(row.rows_loaded),
        rowsSkipped: Number(row.rows_skipped),
        newestArrivalMs: row.newest_arrival_ms === null ? null : Number(row.newest_arrival_ms),
      });
      startFrom = row.start_from;
      stamp = Math.max(stamp ?? 0, Number(row.committed_at_ms));
    }
    return { startFrom, shards, stamp };
  }

  /** The rows and the positions, in one transaction. */
  async write(flush: Flush): Promise<void> {
    const c = await this.connection();
    const table = this.target.table.sql;
    await c.query('BEGIN');
    try {
      if (flush.rows.length > 0) {
        await c.query(`CREATE TEMP TABLE ${STAGE} (LIKE ${table})`);
        for (let i = 0; i < flush.rows.length; i += ROWS_PER_INSERT) {
          await insertRows(c, STAGE, flush.rows.slice(i, i + ROWS_PER_INSERT));
        }
        for (const sql of mergeSql(this.target.dialect, table)) await c.query(sql);
        await c.query(`DROP TABLE ${STAGE}`);
      }
      await this.writePositions(c, flush);
      await c.query('COMMIT');
    } catch (err) {
      // The connection may be gone; a new one starts without this transaction either way.
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  private async writePositions(c: Client, flush: Flush): Promise<void> {
    // Held to COMMIT: two loaders of one stream and table would each apply the other's rows again.
    await c.query(`LOCK TABLE ${this.positions.sql}`);
    const last = await c.query<{ stamp: string | null }>(
      `SELECT MAX(committed_at_ms)::text AS stamp FROM ${this.positions.sql} WHERE stream = $1 AND target = $2`,
      [this.stream, this.target.table.sql],
    );
    const stored = last.rows[0]?.stamp ?? null;
    if ((stored === null ? null : Number(stored)) !== flush.previousStamp) {
      throw new LoaderConflict(
        `another livewall load has committed ${this.stream} into ${this.target.table.sql} since this one started: run one loader per stream and table (this one stops; its rows are read again at the next start)`,
      );
    }
    await c.query(`DELETE FROM ${this.positions.sql} WHERE stream = $1 AND target = $2`, [
      this.stream,
      this.target.table.sql,
    ]);
    const rows: SqlValue[][] = [...flush.shards].map(([id, s]) => [
      this.stream,
      this.target.table.sql,
      id,
      s.sequenceNumber,
      s.finished ? 'true' : 'false',
      flush.startFrom,
      s.rowsLoaded,
      s.rowsSkipped,
      s.newestArrivalMs,
      flush.stamp,
    ]);
    if (rows.length === 0) return;
    await insertRows(
      c,
      this.positions.sql,
      rows,
      'stream, target, shard_id, sequence_number, finished, start_from, rows_loaded, rows_skipped, newest_arrival_ms, committed_at_ms',
    );
  }
}

/** The statements that apply the stage to the table. */
export function mergeSql(dialect: 'postgres' | 'redshift', table: string): string[] {
  if (dialect === 'redshift') {
    return [
      `DELETE FROM ${table} USING ${STAGE} WHERE ${table}.order_id = ${STAGE}.order_id`,
      `INSERT INTO ${table} (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM ${STAGE} WHERE op <> 'delete'`,
    ];
  }
  const updates = COLUMNS.filter((c) => c !== 'order_id')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  return [
    `DELETE FROM ${table} USING ${STAGE} WHERE ${table}.order_id = ${STAGE}.order_id AND ${STAGE}.op = 'delete'`,
    `INSERT INTO ${table} (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM ${STAGE} WHERE op <> 'delete'
       ON CONFLICT (order_id) DO UPDATE SET ${updates}`,
  ];
}

async function tableExists(c: Client, table: QualifiedName): Promise<boolean> {
  const r = await c.query(
    `SELECT 1 FROM information_schema.tables
      WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2`,
    [table.schema, table.name],
  );
  return (r.rowCount ?? 0) > 0;
}

async function insertRows(
  c: Client,
  table: string,
  rows: SqlValue[][],
  columns = COLUMN_LIST,
): Promise<void> {
  const params: SqlValue[] = [];
  const tuples = rows.map((row) => {
    const marks = row.map((v) => {
      params.push(v);
      return `$${params.length}`;
    });
    return `(${marks.join(', ')})`;
  });
  await c.query(`INSERT INTO ${table} (${columns}) VALUES ${tuples.join(', ')}`, params);
}
