/**
 * The loaded table: contract 3's columns keyed by `order_id`, the DDL `--create-table` runs (types
 * Redshift accepts too), and the check at start that an existing table can hold every row, so a
 * misfit is refused by name before anything is read instead of failing a flush later.
 */
import { fail, ok, type Result } from '@shared/result';
import type { Dialect, QualifiedName } from './warehouseTarget';

export type ColumnKind = 'int32' | 'int64' | 'float' | 'text' | 'timestamp';

/** Contract 3's columns, in the order the loader writes them. */
export const COLUMNS = [
  'order_id',
  'user_mail',
  'status',
  'good_count',
  'city',
  'amount',
  'create_time',
  'update_time',
  'sex',
  'level',
  'op',
  'ts',
] as const;
export type Column = (typeof COLUMNS)[number];

interface ColumnSpec {
  ddl: string;
  /** What the column must be able to hold. */
  needs: 'int' | 'bigint' | 'float' | 'text' | 'timestamp';
  nullable: boolean;
}

/*
 * VARCHAR sizes are bytes in Redshift: MySQL's varchar(20) in utf8mb4 is up to 80 bytes (a
 * 20-character Chinese city is 60, emoji take 4); 256 leaves room for producers other than MySQL
 * (Redshift stores only the bytes used). DATETIMEs have no zone: TIMESTAMP without one. DOUBLE
 * PRECISION keeps the JSON number exactly as it arrived.
 */
const SPEC: Record<Column, ColumnSpec> = {
  order_id: { ddl: 'BIGINT NOT NULL', needs: 'int', nullable: false },
  user_mail: { ddl: 'VARCHAR(256) NOT NULL', needs: 'text', nullable: false },
  status: { ddl: 'VARCHAR(64) NOT NULL', needs: 'text', nullable: false },
  good_count: { ddl: 'INTEGER NOT NULL', needs: 'int', nullable: false },
  city: { ddl: 'VARCHAR(256) NOT NULL', needs: 'text', nullable: false },
  amount: { ddl: 'DOUBLE PRECISION NOT NULL', needs: 'float', nullable: false },
  create_time: { ddl: 'TIMESTAMP NOT NULL', needs: 'timestamp', nullable: false },
  update_time: { ddl: 'TIMESTAMP NOT NULL', needs: 'timestamp', nullable: false },
  sex: { ddl: 'VARCHAR(64)', needs: 'text', nullable: true },
  level: { ddl: 'INTEGER', needs: 'int', nullable: true },
  op: { ddl: 'VARCHAR(8) NOT NULL', needs: 'text', nullable: false },
  ts: { ddl: 'BIGINT NOT NULL', needs: 'bigint', nullable: false },
};

export function createTableSql(table: QualifiedName): string {
  const cols = COLUMNS.map((c) => `  ${c} ${SPEC[c].ddl}`).join(',\n');
  return `CREATE TABLE IF NOT EXISTS ${table.sql} (\n${cols},\n  PRIMARY KEY (order_id)\n)`;
}

/** Where each shard of a stream stands for one loaded table: written with the rows, atomically. */
export function createPositionTableSql(table: QualifiedName): string {
  return `CREATE TABLE IF NOT EXISTS ${table.sql} (
  stream VARCHAR(128) NOT NULL,
  target VARCHAR(256) NOT NULL,
  shard_id VARCHAR(128) NOT NULL,
  sequence_number VARCHAR(128),
  finished BOOLEAN NOT NULL,
  start_from VARCHAR(64) NOT NULL,
  rows_loaded BIGINT NOT NULL,
  rows_skipped BIGINT NOT NULL,
  newest_arrival_ms BIGINT,
  committed_at_ms BIGINT NOT NULL,
  PRIMARY KEY (stream, target, shard_id)
)`;
}

/** A column of the table as information_schema describes it. */
export interface ColumnInfo {
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
  is_nullable: string;
  column_default: string | null;
}

/** How one column of the actual table holds values: what the per-row check compares against. */
export interface ColumnFit {
  kind: ColumnKind;
  /** Characters (PostgreSQL) or bytes (Redshift) a text column holds; null for unlimited. */
  maxLength: number | null;
}

export type TableFit = Record<Column, ColumnFit>;

const INT_TYPES: Record<string, ColumnKind> = { integer: 'int32', bigint: 'int64' };
const FLOAT_TYPES = new Set(['double precision', 'real', 'numeric']);
const TEXT_TYPES = new Set(['character varying', 'character', 'text']);

function fitOf(spec: ColumnSpec, info: ColumnInfo): ColumnFit | null {
  const t = info.data_type.toLowerCase();
  switch (spec.needs) {
    case 'int':
      return INT_TYPES[t] ? { kind: INT_TYPES[t], maxLength: null } : null;
    case 'bigint':
      return t === 'bigint' ? { kind: 'int64', maxLength: null } : null;
    case 'float':
      return FLOAT_TYPES.has(t) ? { kind: 'float', maxLength: null } : null;
    case 'text':
      return TEXT_TYPES.has(t) ? { kind: 'text', maxLength: info.character_maximum_length } : null;
    case 'timestamp':
      if (t === 'timestamp without time zone') return { kind: 'timestamp', maxLength: null };
      return TEXT_TYPES.has(t) ? { kind: 'text', maxLength: info.character_maximum_length } : null;
  }
}

const WANTED: Record<ColumnSpec['needs'], string> = {
  int: 'INTEGER or BIGINT',
  bigint: 'BIGINT',
  float: 'DOUBLE PRECISION, REAL or NUMERIC',
  text: 'VARCHAR, CHAR or TEXT',
  timestamp: 'TIMESTAMP (without time zone) or VARCHAR',
};

/**
 * Whether the table can take every row of contract 3: each column present with a type that holds
 * it, `sex` and `level` nullable (unknown customers), and no other NOT NULL column without a
 * default. The error names the column and what it needs.
 */
export function checkTableFit(table: string, columns: readonly ColumnInfo[]): Result<TableFit> {
  if (columns.length === 0) {
    return fail(`the table ${table} does not exist: create it, or run with --create-table`);
  }
  const byName = new Map(columns.map((c) => [c.column_name.toLowerCase(), c]));
  const fit: Partial<TableFit> = {};
  for (const col of COLUMNS) {
    const spec = SPEC[col];
    const info = byName.get(col);
    if (!info)
      return fail(`the table ${table} has no column "${col}" (contract 3 needs it: ${spec.ddl})`);
    const f = fitOf(spec, info);
    if (!f) {
      return fail(
        `the column "${col}" of ${table} is ${info.data_type.toUpperCase()}: it must be ${WANTED[spec.needs]}`,
      );
    }
    if (spec.nullable && info.is_nullable.toUpperCase() !== 'YES') {
      return fail(
        `the column "${col}" of ${table} is NOT NULL: it must take null (an order whose customer is unknown)`,
      );
    }
    fit[col] = f;
  }
  const known = new Set<string>(COLUMNS);
  for (const c of columns) {
    const name = c.column_name.toLowerCase();
    if (!known.has(name) && c.is_nullable.toUpperCase() !== 'YES' && c.column_default === null) {
      return fail(
        `the column "${c.column_name}" of ${table} is NOT NULL without a default, and contract 3 has no value for it`,
      );
    }
  }
  return ok(fit as TableFit);
}

/** The dialect's unit for text limits, for messages. */
export function lengthUnit(dialect: Dialect): string {
  return dialect === 'redshift' ? 'bytes' : 'characters';
}
