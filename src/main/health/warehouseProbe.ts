/**
 * The warehouse's newest row: `customer_order` in Redshift or PostgreSQL (one protocol), its
 * greatest `ts` (contract 3: the change's time, epoch ms), and, when `livewall load` fills it, the
 * positions it committed with the rows. One short-lived connection per run.
 */
import { redactUrl } from '../mysql/target';
import { loaderProgress, type LoaderProgress } from '../warehouse/loaderProgress';

export interface WarehouseFreshness {
  newestAgeMs: number | null;
  /** The newest row's `ts`, epoch ms (to compare with the stream's events exactly). */
  newestTs: number | null;
  rows: number;
  /** `customer_order at postgres://user@host/db` (never a password). */
  description: string;
  /** What `livewall load` has committed into the table; null when it does not fill it. */
  loader: LoaderProgress | null;
}

export const WAREHOUSE_TABLE = 'customer_order';

export async function warehouseFreshness(
  url: string,
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<WarehouseFreshness> {
  const { Client } = await import('pg');
  const description = `${WAREHOUSE_TABLE} at ${redactUrl(url)}`;
  const client = new Client({
    connectionString: url.replace(/^redshift:/, 'postgres:'),
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
  });
  await client.connect();
  try {
    let res;
    try {
      res = await client.query<{ newest: string | null; n: string }>(
        `SELECT MAX(ts)::text AS newest, COUNT(*)::text AS n FROM ${WAREHOUSE_TABLE}`,
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '42P01')
        throw new WarehouseMissing(
          `${description}: the table does not exist: create it (the columns of contract 3) and point Firehose's COPY at it`,
        );
      if (code === '42703')
        throw new WarehouseMissing(
          `${description}: the table has no "ts" column (the change's time, epoch ms, contract 3): add it so freshness can be told`,
        );
      throw err;
    }
    const loader = await loaderProgress(client, `"${WAREHOUSE_TABLE}"`);
    const row = res.rows[0];
    const newest = row?.newest === null || row?.newest === undefined ? null : Number(row.newest);
    return {
      newestAgeMs: newest === null ? null : Math.max(0, now() - newest),
      newestTs: newest,
      rows: Number(row?.n ?? 0),
      description,
      loader,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export class WarehouseMissing extends Error {}
