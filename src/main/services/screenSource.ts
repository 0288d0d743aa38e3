/**
 * What a screen (the Electron window over IPC, browsers over WebSocket) needs from a pipeline.
 * The embedded pipeline provides it today; a Kinesis-reading consumer provides the same.
 */
import type { BurstSummary, MetricBatch, SourceStatus } from '@shared/api';
import type { Snapshot } from '@shared/contracts';
import type { MetricConsumer } from '../consumer/metricConsumer';
import type { EmbeddedPipeline } from './embeddedPipeline';
import type { MetricHub } from './metricHub';
import type { BurstProgress } from './simulator';

/** A burst asked of a source that has nowhere to send orders. */
export class BurstUnavailableError extends Error {}

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

/** The screen over metric_ds: what the consumer folds into the hub. */
export function kinesisScreenSource(consumer: MetricConsumer, hub: MetricHub): ScreenSource {
  return {
    snapshot: () => hub.snapshot(),
    status: () => hub.status(),
    onBatch: (l) => hub.onBatch(l),
    onStatus: (l) => hub.onStatus(l),
    burst: () =>
      Promise.reject(
        new BurstUnavailableError(
          'Demo bursts need somewhere to write orders: this screen reads Kinesis, and no MySQL is configured.',
        ),
      ),
    stats: () => consumer.stats(),
  };
}
