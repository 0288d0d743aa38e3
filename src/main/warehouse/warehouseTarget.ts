/**
 * Where `livewall load` writes: a PostgreSQL URL (Redshift speaks the same protocol on 5439), the
 * SQL dialect to speak, and the password, which never comes from a URL in a file or a flag we echo.
 */
import { fail, ok, type Result } from '@shared/result';
import { redactUrl, urlHasPassword } from '../lib/redactUrl';

export type Dialect = 'postgres' | 'redshift';

export interface WarehouseTarget {
  /** The URL as given, for the driver (it may hold a password the user typed: never printed). */
  url: string;
  /** For messages: the URL with any password as `***`. */
  description: string;
  dialect: Dialect;
  /** The table, quoted for SQL (`"customer_order"` or `"schema"."table"`). */
  table: QualifiedName;
}

export interface QualifiedName {
  schema: string | null;
  name: string;
  /** The name quoted for SQL. */
  sql: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** `table` or `schema.table`, plain identifiers only (quoted, so case is kept as written). */
export function parseTableName(text: string): Result<QualifiedName> {
  const parts = text.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) {
    return fail(
      `--table must be a table name such as customer_order or public.customer_order, not "${text}"`,
    );
  }
  const [a, b] = parts as [string, string | undefined];
  const schema = b === undefined ? null : a;
  const name = b ?? a;
  const sql = schema === null ? `"${name}"` : `"${schema}"."${name}"`;
  return ok({ schema, name, sql });
}

/** The position table beside the loaded one (same schema). */
export function positionTable(table: QualifiedName): QualifiedName {
  const name = 'livewall_load_position';
  return {
    schema: table.schema,
    name,
    sql: table.schema === null ? `"${name}"` : `"${table.schema}"."${name}"`,
  };
}

export function parseWarehouseTarget(
  url: string | undefined,
  opts: { table: string; dialect: string },
): Result<WarehouseTarget> {
  if (!url) {
    return fail(
      '--warehouse URL is required, e.g. postgres://loader@127.0.0.1:5432/dev (password in LIVEWALL_WAREHOUSE_PASSWORD, PGPASSWORD or ~/.pgpass)',
    );
  }
  if (!/^(postgres|postgresql|redshift):\/\/[^/]/.test(url)) {
    return fail(`--warehouse must be a postgres:// URL (Redshift too), not "${redactUrl(url)}"`);
  }
  try {
    new URL(url.replace(/^redshift:/, 'postgres:'));
  } catch {
    // The text may hold a password with a character that breaks the URL: never echo it.
    return fail(
      urlHasPassword(url)
        ? '--warehouse does not parse as a URL (a password with "/", "#" or "@" breaks it): put the password in LIVEWALL_WAREHOUSE_PASSWORD instead'
        : `--warehouse does not parse as a URL: "${url}"`,
    );
  }
  if (opts.dialect !== 'postgres' && opts.dialect !== 'redshift') {
    return fail(`--dialect must be postgres or redshift, not "${opts.dialect}"`);
  }
  const table = parseTableName(opts.table);
  if (!table.ok) return table;
  return ok({
    url: url.replace(/^redshift:/, 'postgres:'),
    description: redactUrl(url),
    dialect: opts.dialect,
    table: table.value,
  });
}

/**
 * The password for the warehouse, in one place so another source (a keychain, Secrets Manager)
 * can take its turn: LIVEWALL_WAREHOUSE_PASSWORD, else undefined, and the driver then reads
 * PGPASSWORD and ~/.pgpass as every PostgreSQL client does.
 */
export function warehousePassword(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const p = env.LIVEWALL_WAREHOUSE_PASSWORD;
  return p === undefined || p === '' ? undefined : p;
}
