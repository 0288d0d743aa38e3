/**
 * The stages `livewall health` names, in flow order: a contract between main, which judges them,
 * and the screen, which labels each in its language (HealthCheck.stage).
 */

/** Stage names as `livewall health --json` and the strip's `data-stage` spell them. */
export type StageName =
  | 'embedded pipeline'
  | 'screen'
  | 'mysql'
  | 'cdc'
  | 'order_ds'
  | 'engine'
  | 'metric_ds'
  | 'dwd'
  | 'firehose'
  | 'load'
  | 'warehouse'
  | 'customers';

/** Flow order: source table, the process that ships it, the stream it lands on, and so on. */
export const PIPELINE_ORDER: readonly StageName[] = [
  // The whole pipeline in one process (the default screen): first, it feeds everything after.
  'embedded pipeline',
  'mysql',
  'cdc',
  'order_ds',
  'engine',
  'metric_ds',
  'dwd',
  'firehose',
  'load',
  'warehouse',
  'customers',
  'screen',
];
