import type { MetricRecord } from './contracts';
import { metricIdentity } from './identity';

/**
 * Contract 2's identity rule for one identity, the one place it is written: per identity the record
 * with the greatest `occur` is kept, on a tie the later one received. `older`: keep what is held;
 * `same`: equal `occur` and value, so taking it changes nothing anyone sees; `newer`: take it.
 */
export function judgeRecord(
  held: MetricRecord | undefined,
  incoming: MetricRecord,
): 'older' | 'same' | 'newer' {
  if (held === undefined) return 'newer';
  if (held.occur > incoming.occur) return 'older';
  return held.occur === incoming.occur && held.value === incoming.value ? 'same' : 'newer';
}

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
    const verdict = judgeRecord(this.byId.get(id), record);
    if (verdict === 'older') return null;
    this.byId.set(id, record);
    if (this.newest === null || record.occur > this.newest) this.newest = record.occur;
    return verdict === 'same' ? null : id;
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
