/**
 * What `livewall load` has committed into a table, read from its position table: for `health`,
 * which compares it with the newest records of the wide-row stream.
 */
import type { Client } from 'pg';

export interface LoaderProgress {
  /** The newest committed record's arrival on the stream, epoch ms; null before any. */
  newestArrivalMs: number | null;
  /** When the last flush committed, epoch ms. */
  committedAtMs: number;
}

/** Null when no loader writes `table` (quoted as the loader stores it, e.g. `"customer_order"`). */
export async function loaderProgress(
  client: Pick<Client, 'query'>,
  table: string,
): Promise<LoaderProgress | null> {
  try {
    const r = await client.query<{ arrival: string | null; committed: string | null }>(
      `SELECT MAX(newest_arrival_ms)::text AS arrival, MAX(committed_at_ms)::text AS committed
         FROM livewall_load_position WHERE target = $1`,
      [table],
    );
    const row = r.rows[0];
    if (!row?.committed) return null;
    return {
      newestArrivalMs: row.arrival === null ? null : Number(row.arrival),
      committedAtMs: Number(row.committed),
    };
  } catch (err) {
    // No position table: Firehose (or nothing) fills this warehouse.
    if ((err as { code?: string }).code === '42P01') return null;
    throw err;
  }
}
