/**
 * Where a burst goes: the embedded demo table, or the configured MySQL. Bursts run one at a time;
 * progress is passed on at most four times a second to whoever listens (IPC, WebSocket).
 */
import type { BurstProgress, BurstSummary, BurstTarget, BurstTargetId } from '@shared/contracts';
import type { MySqlBurster } from '../mysql/mysqlBurster';
import type { EmbeddedPipeline } from './embeddedPipeline';

/** A burst asked of a target that is not there. */
export class BurstUnavailableError extends Error {}

/** A burst asked of a target while another burst runs there. */
export class BurstBusyError extends Error {}

/** 100000 → "100 000", as the screen writes counts. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** The refusal for a burst asked while another runs: what runs, how far it is. */
export function busySentence(target: BurstTargetId, requested: number, sent: number): string {
  const what = target === 'mysql' ? 'orders to MySQL' : 'demo orders';
  return `A burst of ${count(requested)} ${what} is running (${count(sent)} sent); wait for it to finish.`;
}

const PROGRESS_INTERVAL_MS = 250;

export class BurstRouter {
  private readonly listeners = new Set<(p: BurstProgress) => void>();
  private bursts = 0;
  /** The burst running on each target: one at a time, so a flood cannot pile up orders. */
  private readonly running = new Map<BurstTargetId, { requested: number; sent: number }>();

  constructor(
    private readonly embedded: EmbeddedPipeline | null,
    private readonly mysql: MySqlBurster | null,
  ) {}

  targets(): BurstTarget[] {
    const out: BurstTarget[] = [];
    if (this.embedded) out.push({ id: 'embedded', label: 'Embedded demo' });
    if (this.mysql) out.push({ id: 'mysql', label: this.mysql.label });
    return out;
  }

  onProgress(listener: (p: BurstProgress) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async burst(orders: number, target?: BurstTargetId): Promise<BurstSummary> {
    const id = target ?? this.targets()[0]?.id;
    const busy = id && this.running.get(id);
    if (id && busy) throw new BurstBusyError(busySentence(id, busy.requested, busy.sent));
    if (!id || (id === 'embedded' && !this.embedded) || (id === 'mysql' && !this.mysql)) {
      throw new BurstUnavailableError(
        id === 'mysql' || (!id && !this.embedded)
          ? 'Bursts need somewhere to write orders: configure MySQL ("mysql": {"url": "mysql://user@host:3306/demo"} in livewall.config.json).'
          : 'The embedded demo is not running: this screen reads Kinesis; send bursts to the configured MySQL.',
      );
    }
    const entry = { requested: orders, sent: 0 };
    this.running.set(id, entry);
    try {
      return await this.run(id, orders, entry);
    } finally {
      this.running.delete(id);
    }
  }

  private async run(
    id: BurstTargetId,
    orders: number,
    entry: { sent: number },
  ): Promise<BurstSummary> {
    const burstId = ++this.bursts;
    let last = 0;
    const tell = (
      p: Omit<BurstProgress, 'burstId' | 'target' | 'requested'>,
      force = false,
    ): void => {
      const now = Date.now();
      if (!force && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      const progress: BurstProgress = {
        burstId,
        target: id,
        requested: orders,
        ...p,
      };
      for (const l of this.listeners) l(progress);
    };
    if (id === 'embedded' && this.embedded) {
      tell({ inserted: 0, updated: 0, failed: 0, pendingSteps: 0 }, true);
      const summary = await this.embedded.burst(orders, (done) => {
        entry.sent = done;
        tell({ inserted: done, updated: 0, failed: 0, pendingSteps: 0 });
      });
      tell({ ...summary, pendingSteps: 0 }, true);
      return summary;
    }
    if (id === 'mysql' && this.mysql) {
      tell({ inserted: 0, updated: 0, failed: 0, pendingSteps: 0 }, true);
      const summary = await this.mysql.burst(orders, (p) => {
        entry.sent = p.inserted + p.failed;
        tell({
          inserted: p.inserted,
          updated: p.updated,
          failed: p.failed,
          pendingSteps: p.pendingSteps,
        });
      });
      tell({ ...summary, pendingSteps: 0 }, true);
      return summary;
    }
    throw new BurstUnavailableError(`no burst target ${id}`);
  }
}
