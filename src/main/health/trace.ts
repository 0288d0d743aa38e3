/**
 * `livewall health --trace`: one marked order through the whole pipeline. It is inserted into
 * MySQL, looked for on order_ds (the change event), on dwd (its wide row) and metric_ds (the
 * metric of its own city moving), and in the warehouse; each hop's latency is printed; then it is
 * deleted, which the engine retracts exactly, so the screen's numbers return.
 */
import type { ResultSetHeader } from 'mysql2/promise';
import type { HealthCheck } from '@shared/contracts';
import { StreamReader } from '../kinesis/streamReader';
import { quoteId } from '../mysql/target';
import { formatAge } from './lagRules';
import type { PipelinePlan } from './pipeline';
import { WAREHOUSE_TABLE } from './warehouseProbe';

/** The marks: a mail and a city no real order has (both fit the workshop's varchar(20)). */
export const TRACE_MAIL = 'trace@lw.invalid';
export const TRACE_CITY = 'livewall-trace';

export interface TraceOptions extends PipelinePlan {
  mysql: NonNullable<PipelinePlan['mysql']>;
  onHop?: (hop: HealthCheck) => void;
  now?: () => number;
}

/** Resolves with the time a record matching `match` arrived after `since`, or null at the deadline. */
async function watch(
  plan: PipelinePlan,
  stream: string,
  since: number,
  match: (text: string) => boolean,
): Promise<{ seen: Promise<number | null>; stop: () => Promise<void> }> {
  const kinesis = plan.kinesis!;
  let resolve: (at: number | null) => void = () => undefined;
  const seen = new Promise<number | null>((r) => (resolve = r));
  const decoder = new TextDecoder();
  const reader = new StreamReader({
    client: kinesis.client,
    stream,
    target: kinesis.target,
    start: { type: 'AT_TIMESTAMP', timestamp: since },
    onRecords: (batch) => {
      for (const r of batch.records) {
        // Its arrival on the stream, not when we read it: the reader may start late.
        if (r.Data && match(decoder.decode(r.Data)))
          resolve(r.ApproximateArrivalTimestamp?.getTime() ?? Date.now());
      }
    },
  });
  reader.start();
  return {
    seen,
    stop: async () => {
      resolve(null);
      await reader.stop();
    },
  };
}

/** "162 ms", "4.2 s", "3 min": latencies are short, and a wall reads the first digits. */
function latency(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatAge(ms);
}

export async function runTrace(opts: TraceOptions): Promise<HealthCheck[]> {
  const now = opts.now ?? Date.now;
  const out: HealthCheck[] = [];
  const report = (stage: string, ok: boolean, detail: string, ageMs?: number): void => {
    const h: HealthCheck = { stage, ok, detail, ...(ageMs !== undefined ? { ageMs } : {}) };
    out.push(h);
    opts.onHop?.(h);
  };
  const conn = await (await opts.mysql.connector()).connect();
  const table = `${quoteId(opts.mysql.target.database)}.\`order\``;
  const since = now() - 1_000;
  const watchers: { stage: string; stream: string; w: Awaited<ReturnType<typeof watch>> }[] = [];
  let id: number | null = null;
  try {
    const idText = (t: string): boolean =>
      id !== null && new RegExp(`"order_id"\\s*:\\s*${id}\\b`).test(t) && t.includes(TRACE_MAIL);
    for (const [stage, stream, match] of [
      ['order_ds', opts.orderStream, idText],
      ['dwd', opts.dwdStream, idText],
      ['metric_ds', opts.metricStream, (t: string) => t.includes(`"city":"${TRACE_CITY}"`)],
    ] as const) {
      if (stream && opts.kinesis)
        watchers.push({ stage, stream, w: await watch(opts, stream, since, match) });
    }
    const insertedAt = now();
    const [res] = await conn.query<ResultSetHeader>(
      `INSERT INTO ${table} (user_mail, status, good_count, city, amount, create_time, update_time) VALUES (?, 'unpaid', 1, ?, 0.01, NOW(), NOW())`,
      [TRACE_MAIL, TRACE_CITY],
    );
    id = res.insertId;
    report('mysql', true, `inserted the marked order ${id} (${TRACE_MAIL}, city ${TRACE_CITY})`);
    // At least 30 s: a reader may need a while to find a quiet shard's end (streamReader.ts).
    const deadline = (extraMs = 0): number => Math.max(opts.maxLagMs, 30_000) + extraMs;
    const within = <T>(p: Promise<T>, ms: number): Promise<T | null> =>
      Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms).unref())]);
    for (const { stage, stream, w } of watchers) {
      const left = Math.max(0, insertedAt + deadline() - now());
      const at = await within(w.seen, left);
      if (at === null || at === undefined)
        report(
          stage,
          false,
          `the marked order did not reach ${stream} within ${formatAge(deadline())}`,
        );
      else
        report(stage, true, `reached ${stream} after ${latency(at - insertedAt)}`, at - insertedAt);
    }
    if (opts.warehouse) {
      const { Client } = await import('pg');
      const pg = new Client({
        connectionString: opts.warehouse.replace(/^redshift:/, 'postgres:'),
      });
      await pg.connect();
      try {
        const limit = insertedAt + deadline(300_000);
        let at: number | null = null;
        while (now() < limit) {
          const r = await pg.query(`SELECT 1 FROM ${WAREHOUSE_TABLE} WHERE order_id = $1 LIMIT 1`, [
            id,
          ]);
          if (r.rowCount) {
            at = now();
            break;
          }
          await new Promise((r2) => setTimeout(r2, 1_000));
        }
        if (at === null)
          report(
            'warehouse',
            false,
            `the marked order did not reach ${WAREHOUSE_TABLE} within ${formatAge(limit - insertedAt)}`,
          );
        else
          report(
            'warehouse',
            true,
            `reached ${WAREHOUSE_TABLE} after ${latency(at - insertedAt)}`,
            at - insertedAt,
          );
      } finally {
        await pg.end().catch(() => undefined);
      }
    }
  } finally {
    await Promise.all(watchers.map((x) => x.w.stop()));
    if (id !== null) {
      await conn.query(`DELETE FROM ${table} WHERE order_id = ? AND user_mail = ?`, [
        id,
        TRACE_MAIL,
      ]);
      report('mysql', true, `deleted the marked order ${id} again (the engine retracts it)`);
    }
    await conn.end().catch(() => conn.destroy());
  }
  return out;
}
