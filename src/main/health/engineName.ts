/** How health names the engine that announced itself on the metric stream (engineTags.ts). */
import type { EngineAnnouncement } from '@shared/contracts';
import { formatAge } from './lagRules';

const ENGINE_NAMES: Record<EngineAnnouncement['kind'], string> = {
  engine: 'livewall engine',
  flink: 'livewall flink (a local Flink MiniCluster)',
  'managed-flink': 'the Flink job on Managed Service for Apache Flink',
};

/** `metric_ds is written by livewall flink (…): Flink 1.19.3 parallelism 2 on wallpc, started 5 min ago`. */
export function describeEngine(a: EngineAnnouncement, stream: string, now: number): string {
  const since = a.since !== null ? `, started ${formatAge(now - a.since)} ago` : '';
  // The tag is `create-time-future=1 ts-out-of-range=2` (tags allow no commas or colons).
  const counts = a.skipped?.split(' ').map((p) => p.replace('=', ' '));
  const skipped = counts
    ? `; it skipped records it cannot trust (${counts.join(', ')}), named on its stderr`
    : '';
  return `${stream} is written by ${ENGINE_NAMES[a.kind]}${a.detail ? `: ${a.detail}` : ''}${since}${skipped}`;
}
