/**
 * Where a burst goes: the embedded demo table, or the configured MySQL. Bursts run one at a time;
 * progress is passed on at most four times a second to whoever listens (IPC, WebSocket).
 */
import type { BurstProgress, BurstSummary, BurstTarget, BurstTargetId } from '@shared/api';
import type { MySqlBurster } from '../mysql/mysqlBurster';
import type { EmbeddedPipeline } from './embeddedPipeline';

/** A burst asked of a target that is not there. */
export class BurstUnavailableError extends Error {}

const PROGRESS_INTERVAL_MS = 250;

export class BurstRouter {
  private readonly listeners = new Set<(p: BurstProgress) => void>();
  private bursts = 0;

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
        target: id ?? 'embedded',
        requested: orders,
        ...p,
      };
      for (const l of this.listeners) l(progress);
    };
    if (id === 'embedded' && this.embedded) {
      tell({ inserted: 0, updated: 0, failed: 0, pendingSteps: 0 }, true);
      const summary = await this.embedded.burst(orders, (done) =>
        tell({ inserted: done, updated: 0, failed: 0, pendingSteps: 0 }),
      );
      tell({ ...summary, pendingSteps: 0 }, true);
      return summary;
    }
    if (id === 'mysql' && this.mysql) {
      tell({ inserted: 0, updated: 0, failed: 0, pendingSteps: 0 }, true);
      const summary = await this.mysql.burst(orders, (p) =>
        tell({
          inserted: p.inserted,
          updated: p.updated,
          failed: p.failed,
          pendingSteps: p.pendingSteps,
        }),
      );
      tell({ ...summary, pendingSteps: 0 }, true);
      return summary;
    }
    throw new BurstUnavailableError(
      id === 'mysql' || (!id && !this.embedded)
        ? 'Bursts need somewhere to write orders: configure MySQL ("mysql": {"url": "mysql://user@host:3306/demo"} in livewall.config.json).'
        : 'The embedded demo is not running: this screen reads Kinesis; send bursts to the configured MySQL.',
    );
  }
}
