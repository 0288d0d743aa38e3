/**
 * The in-process implementation of a stream (the embedded default's order_ds and metric_ds).
 * Records carry the same strings a Kinesis record's Data would, so the same parsers run on both.
 * Delivery is batched per turn of the event loop, in put order, like a single-shard stream.
 */
import type { Stream, StreamRecord } from './stream';

export type { StreamRecord };
export type StreamHandler = (batch: readonly StreamRecord[]) => void;

export class InProcessStream implements Stream {
  private pending: StreamRecord[] = [];
  private scheduled = false;
  private readonly handlers = new Set<StreamHandler>();
  /** Records delivered so far. */
  delivered = 0;

  constructor(readonly name: string) {}

  put(records: readonly StreamRecord[]): void {
    for (const r of records) this.pending.push(r);
    if (!this.scheduled && this.pending.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
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
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.delivered += batch.length;
    for (const h of this.handlers) h(batch);
  }
}
