/**
 * What `livewall load` holds between flushes: the newest row of each order (a later version of an
 * order replaces the earlier, rows of one order arrive in stream order), and per shard the last
 * sequence number and the counts the flush commits with them.
 */
import type { LoadRow, SqlValue } from './rowFit';

export interface ShardDelta {
  lastSequenceNumber: string;
  rows: number;
  skipped: number;
  newestArrivalMs: number | null;
}

export class LoadBuffer {
  readonly rows = new Map<number, LoadRow>();
  readonly shards = new Map<string, ShardDelta>();
  /** Bytes of the records taken in (replaced versions too: they were read). */
  bytes = 0;
  private resolveDone: () => void = () => undefined;
  /** Settles when this buffer is committed (or given up at stop): back-pressure waits on it. */
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  /** A batch of one shard: its good rows, how many records were skipped, where it ends. */
  add(
    shardId: string,
    batch: {
      rows: LoadRow[];
      skipped: number;
      lastSequenceNumber: string;
      newestArrivalMs: number | null;
    },
  ): void {
    for (const row of batch.rows) {
      this.rows.set(row.orderId, row);
      this.bytes += row.bytes;
    }
    const held = this.shards.get(shardId);
    this.shards.set(shardId, {
      lastSequenceNumber: batch.lastSequenceNumber,
      rows: (held?.rows ?? 0) + batch.rows.length,
      skipped: (held?.skipped ?? 0) + batch.skipped,
      newestArrivalMs: maxOrNull(held?.newestArrivalMs ?? null, batch.newestArrivalMs),
    });
  }

  get empty(): boolean {
    return this.shards.size === 0;
  }

  values(): SqlValue[][] {
    return [...this.rows.values()].map((r) => r.values);
  }

  settle(): void {
    this.resolveDone();
  }
}

export function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
