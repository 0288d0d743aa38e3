/** How `livewall health` names the engine that announced itself on the metric stream. */
import { expect, test } from 'vitest';
import { describeEngine } from '../../../src/main/health/engineName';

const NOW = 1_800_000_000_000;

test.each([
  [
    { kind: 'engine', detail: 'Node 22.1.0 on wall', since: NOW - 5_000 },
    'metric_ds is written by livewall engine: Node 22.1.0 on wall, started 5 s ago',
  ],
  [
    { kind: 'flink', detail: 'Flink 1.19.3 parallelism 2 on wall', since: NOW - 3_600_000 },
    'metric_ds is written by livewall flink (a local Flink MiniCluster): Flink 1.19.3 parallelism 2 on wall, started 60 min ago',
  ],
  [
    { kind: 'managed-flink', detail: '', since: null },
    'metric_ds is written by the Flink job on Managed Service for Apache Flink',
  ],
] as const)('%j', (a, want) => {
  expect(describeEngine(a, 'metric_ds', NOW)).toBe(want);
});
