/** PostgreSQL/Redshift failures as a sentence, and which of them a retry can outlast. */

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

interface PgLikeError {
  code?: string;
  message?: string;
}

/**
 * True for a failure that says nothing about our SQL: the server is away, restarting, or
 * overloaded, or the connection dropped. Retried with backoff; anything else at start is refused.
 */
export function isTransient(err: unknown): boolean {
  const { code = '', message = '' } = (err ?? {}) as PgLikeError;
  if (NETWORK.has(code)) return true;
  // 08: connection exceptions; 57P01-3: shutdown, crash shutdown, cannot connect now; 53: resources;
  // 40001/40P01: serialization failure, deadlock.
  if (/^(08|57P0|53|40001|40P01)/.test(code)) return true;
  return /Connection terminated|timeout|closed the connection|not queryable/i.test(message);
}

/** One sentence for a person: what failed at the warehouse and, when known, what to do. */
export function describeWarehouseError(err: unknown, where: string): string {
  const { code = '', message = String(err) } = (err ?? {}) as PgLikeError;
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing answers at ${where} (connection refused): is the database running?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${where} is not found`;
    case '28P01':
    case '28000':
      return `${where} refused the login (${message}): set LIVEWALL_WAREHOUSE_PASSWORD, or PGPASSWORD or ~/.pgpass`;
    case '3D000':
      return `${where}: ${message}`;
    case '42501':
      return `${where}: ${message} (see docs/warehouse.md for the grants livewall load needs)`;
  }
  return `${where}: ${message}`;
}
