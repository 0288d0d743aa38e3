/**
 * The in-process implementation of a stream (the embedded default's order_ds and metric_ds).
 * Records carry the same strings a Kinesis record's Data would, so the same parsers run on both.
 * Delivery is batched per turn of the event loop, in put order, like a single-shard stream.
 */
import type { Stream, StreamRecord } from './stream';

export type { StreamRecord };
export type StreamHandler = (batch: readonly StreamRecord[]) => void;

/** Records delivered in one turn of the event loop: a burst never blocks it for long. */
const TURN = 5_000;

export class InProcessStream implements Stream {
  private pending: StreamRecord[] = [];
  private scheduled = false;
  private readonly handlers = new Set<StreamHandler>();
  /** Records delivered so far. */
  delivered = 0;
  /** Records put so far. */
  accepted = 0;

  constructor(readonly name: string) {}

  put(records: readonly StreamRecord[]): void {
    for (const r of records) this.pending.push(r);
    this.accepted += records.length;
    this.schedule();
  }

  private schedule(): void {
    if (!this.scheduled && this.pending.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.deliver(TURN));
    }
  }

  subscribe(handler: StreamHandler): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /** Delivery is acknowledgement here: what is pending is delivered now. */
  drained(): Promise<void> {
    this.flush();
    return Promise.resolve();
  }

  close(): void {
    this.pending = [];
  }

  /** Delivers what is pending now (tests and shutdown call it to drain synchronously). */
  flush(): void {
    this.deliver(Infinity);
  }

  /** Delivers up to `most` records; the rest go in a later turn of the event loop. */
  private deliver(most: number): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    let batch = this.pending;
    if (batch.length > most) {
      this.pending = batch.slice(most);
      batch = batch.slice(0, most);
    } else this.pending = [];
    this.delivered += batch.length;
    for (const h of this.handlers) h(batch);
    this.schedule();
  }
}
