/**
 * What a screen (the Electron window over IPC, browsers over WebSocket) needs from a pipeline.
 * The embedded pipeline provides it today; a Kinesis-reading consumer provides the same.
 */
import type { BurstSummary, MetricBatch, SourceStatus } from '@shared/api';
import type { Snapshot } from '@shared/contracts';
import type { EmbeddedPipeline } from './embeddedPipeline';
import type { BurstProgress } from './simulator';

export interface ScreenSource {
  snapshot(): Snapshot;
  status(): SourceStatus;
  onBatch(listener: (batch: MetricBatch) => void): () => void;
  onStatus(listener: (status: SourceStatus) => void): () => void;
  burst(orders: number, onProgress?: BurstProgress): Promise<BurstSummary>;
  /** Counters for `/api/status` and the health panel; never secrets. */
  stats(): unknown;
}

export function embeddedScreenSource(p: EmbeddedPipeline): ScreenSource {
  return {
    snapshot: () => p.hub.snapshot(),
    status: () => p.hub.status(),
    onBatch: (l) => p.hub.onBatch(l),
    onStatus: (l) => p.hub.onStatus(l),
    burst: (n, onProgress) => p.burst(n, onProgress),
    stats: () => p.stats(),
  };
}
