import type { MetricRecord } from './contracts';
import { metricIdentity } from './identity';

/**
 * Contract 2's identity rule: per identity keep the record with the greatest `occur`; on a tie the
 * later one received wins. Replays and repeats therefore leave the state as it was.
 */
export class MetricState {
  private readonly byId = new Map<string, MetricRecord>();
  private newest: number | null = null;

  /** Folds one record in; returns its identity when the state changed, else null. */
  apply(record: MetricRecord): string | null {
    const id = metricIdentity(record);
    const held = this.byId.get(id);
    if (held && held.occur > record.occur) return null;
    this.byId.set(id, record);
    if (this.newest === null || record.occur > this.newest) this.newest = record.occur;
    if (held && held.occur === record.occur && held.value === record.value) return null;
    return id;
  }

  get(id: string): MetricRecord | undefined {
    return this.byId.get(id);
  }

  /** Every record held, in no particular order. */
  records(): MetricRecord[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  /** Event time of the newest record folded in, epoch ms. */
  get lastRecordAt(): number | null {
    return this.newest;
  }

  /** Drops windows that started before `start` (bounded memory on a screen that runs for weeks). */
  dropBefore(start: number): number {
    let dropped = 0;
    for (const [id, r] of this.byId) {
      if (r.start < start) {
        this.byId.delete(id);
        dropped++;
      }
    }
    return dropped;
  }
}
