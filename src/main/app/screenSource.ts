/**
 * What a screen (the Electron window over IPC, browsers over WebSocket) needs from a pipeline:
 * the embedded pipeline or a Kinesis-reading consumer for the metrics, and the burst router for
 * the demo orders.
 */
import type { PushApi } from '@shared/channels';
import type {
  BurstRequest,
  BurstSummary,
  BurstTarget,
  HealthCheck,
  FeedStatus,
  Snapshot,
} from '@shared/contracts';
import type { Language } from '@shared/language';
import { pushApiOf } from '@shared/pushes';
import type { MetricConsumer } from './metricConsumer';
import type { BurstRouter } from './burstRouter';
import type { EmbeddedPipeline } from './embeddedPipeline';
import type { MetricHub } from './metricHub';

/** The pushes (`on`, by the push table's names) and what a screen asks for. */
export interface ScreenFeed extends PushApi {
  snapshot(): Snapshot;
  status(): FeedStatus;
  burst(request: BurstRequest): Promise<BurstSummary>;
  burstTargets(): BurstTarget[];
  health(): Promise<HealthCheck[]>;
  /** Counters for `/api/status` and the health panel; never secrets. */
  stats(): unknown;
}

function withBursts(
  hub: MetricHub,
  bursts: BurstRouter,
  stats: () => unknown,
  health: () => Promise<HealthCheck[]>,
  language: Language | undefined,
): ScreenFeed {
  return {
    // The screen's language rides on the snapshot, so IPC and the web server carry it unchanged.
    snapshot: () => (language ? { ...hub.snapshot(), language } : hub.snapshot()),
    status: () => hub.status(),
    ...pushApiOf({
      'metrics.batch': (l) => hub.onBatch(l),
      'source.status': (l) => hub.onStatus(l),
      'burst.progress': (l) => bursts.onProgress(l),
    }),
    burst: (r) => bursts.burst(r.orders, r.target),
    burstTargets: () => bursts.targets(),
    health,
    stats,
  };
}

export function embeddedFeed(
  p: EmbeddedPipeline,
  bursts: BurstRouter,
  health: () => Promise<HealthCheck[]> = async () => [],
  language?: Language,
): ScreenFeed {
  return withBursts(p.hub, bursts, () => p.stats(), health, language);
}

/** The screen over metric_ds: what the consumer folds into the hub. */
export function kinesisFeed(
  consumer: MetricConsumer,
  hub: MetricHub,
  bursts: BurstRouter,
  health: () => Promise<HealthCheck[]> = async () => [],
  language?: Language,
): ScreenFeed {
  return withBursts(hub, bursts, () => consumer.stats(), health, language);
}
