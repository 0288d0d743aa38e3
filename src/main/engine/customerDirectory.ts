/**
 * The `customer` dimension, wherever it lives: MySQL/MariaDB, or PostgreSQL/Redshift over the
 * PostgreSQL protocol. One batched query per lookup: `WHERE email IN (...)`.
 */
import type { MySqlConnector } from '../mysql/connect';
import type { CustomerInfo } from './metricsEngine';

export interface CustomerDirectory {
  /** Where it is, for messages (never a password). */
  readonly description: string;
  /** The customers found; an email missing from the map has no customer row. */
  lookup(emails: readonly string[]): Promise<Map<string, CustomerInfo>>;
  close(): Promise<void>;
}

function toInfo(level: unknown, sex: unknown): CustomerInfo {
  const n = typeof level === 'number' ? level : Number(level);
  return { level: Number.isFinite(n) ? n : null, sex: typeof sex === 'string' ? sex : null };
}

/** The dimension in MySQL or MariaDB, on one connection opened again when it drops. */
export function mysqlCustomerDirectory(
  connector: MySqlConnector,
  description: string,
): CustomerDirectory {
  let conn: Awaited<ReturnType<MySqlConnector['connect']>> | null = null;
  return {
    description,
    async lookup(emails) {
      if (emails.length === 0) return new Map();
      conn ??= await connector.connect();
      try {
        const [rows] = await conn.query(
          'SELECT email, level, sex FROM customer WHERE email IN (?)',
          [emails],
        );
        const out = new Map<string, CustomerInfo>();
        for (const r of rows as { email: string; level: unknown; sex: unknown }[])
          out.set(r.email, toInfo(r.level, r.sex));
        return out;
      } catch (err) {
        const dead = conn;
        conn = null;
        await dead.end().catch(() => undefined);
        throw err;
      }
    },
    async close() {
      await conn?.end().catch(() => undefined);
      conn = null;
    },
  };
}

/**
 * The dimension in PostgreSQL or Redshift (which speaks PostgreSQL's protocol): the workshop kept
 * `customer` in Redshift's dev database. `postgres://user@host:5439/dev`; the password comes from
 * PGPASSWORD (or a ~/.pgpass file), never from the URL in a log.
 */
export async function postgresCustomerDirectory(url: string): Promise<CustomerDirectory> {
  const { Client } = await import('pg');
  const parsed = new URL(url);
  const description = `${decodeURIComponent(parsed.username)}@${parsed.host}${parsed.pathname}`;
  let client: InstanceType<typeof Client> | null = null;
  const connect = async (): Promise<InstanceType<typeof Client>> => {
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    c.on('error', () => undefined); // a dropped connection is found at the next query
    await c.connect();
    return c;
  };
  return {
    description,
    async lookup(emails) {
      if (emails.length === 0) return new Map();
      client ??= await connect();
      try {
        const res = await client.query<{ email: string; level: unknown; sex: unknown }>(
          'SELECT email, level, sex FROM customer WHERE email = ANY($1)',
          [emails],
        );
        return new Map(res.rows.map((r) => [r.email, toInfo(r.level, r.sex)]));
      } catch (err) {
        const dead = client;
        client = null;
        await dead.end().catch(() => undefined);
        throw err;
      }
    },
    async close() {
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
