/**
 * The workshop pipeline as stages in flow order, and the hops between data stages with the
 * process that moves data across each. A stage is shown only when configured; the order here is
 * the order of the screen's strip and of `livewall health`'s lines.
 */
import { PIPELINE_ORDER, type StageName } from '@shared/stages';

/** A stage that holds data and so has an age of its newest data. */
export type DataStage = 'mysql' | 'order_ds' | 'metric_ds' | 'dwd' | 'warehouse';
/** A stage that moves data from one data stage to the next. */
export type ProcessStage = 'cdc' | 'engine' | 'firehose' | 'load';

export interface Hop {
  process: ProcessStage;
  from: DataStage;
  to: DataStage;
}

/**
 * MySQL → order_ds is cdc's; order_ds → metric_ds and dwd the engine's; dwd → warehouse Firehose's,
 * or `livewall load`'s where it fills the warehouse and no Firehose is named.
 */
export const HOPS: readonly Hop[] = [
  { process: 'cdc', from: 'mysql', to: 'order_ds' },
  { process: 'engine', from: 'order_ds', to: 'metric_ds' },
  { process: 'engine', from: 'order_ds', to: 'dwd' },
  { process: 'firehose', from: 'dwd', to: 'warehouse' },
  { process: 'load', from: 'dwd', to: 'warehouse' },
];

/** Position in flow order; unknown names go last, in their given order. */
export function stageRank(stage: string): number {
  const i = PIPELINE_ORDER.indexOf(stage as StageName);
  return i < 0 ? PIPELINE_ORDER.length : i;
}

/** Checks sorted into flow order (stable: equal ranks keep the order they ran in). */
export function inPipelineOrder<T extends { stage: string }>(checks: readonly T[]): T[] {
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => stageRank(a.c.stage) - stageRank(b.c.stage) || a.i - b.i)
    .map((x) => x.c);
}
