/**
 * The schema of the engine's state as a checkpoint holds it (the engine checkpoint and the embedded
 * pipeline's state file both carry it): a state that does not match is refused whole, never half
 * restored.
 */
import * as v from 'valibot';
import { metricWindow } from '@shared/contracts';
import { finite, integer } from '@shared/schemaKit';

const number = finite('a number is not one');
const dimValue = v.union([v.string(), number, v.null()], 'a dimension value is not one');

/** What one row adds to the view (its groups are found again by key). */
export const storedRow = v.object({
  day: number,
  minute: number,
  city: v.string(),
  status: v.string(),
  mail: v.string(),
  cents: number,
  level: v.nullable(number),
  /** Folded before the customer lookup answered; re-folded when it does. */
  pending: v.boolean(),
  /** Comparable binlog position of the last change, when the events carry one. */
  version: v.nullable(v.string()),
});
export type StoredRow = v.InferOutput<typeof storedRow>;

export const storedAggregate = v.object({
  key: v.string(),
  name: v.string(),
  window: metricWindow,
  start: number,
  dims: v.record(v.string(), dimValue),
  /** Counts, or cents for gmv. */
  value: number,
  /** Rows in the group; at 0 the group is emitted once more with value 0, then dropped. */
  rows: integer('"rows" must be a whole number'),
  occur: number,
});

/** Everything a checkpoint needs to resume exactly (buyers are rebuilt from the rows). */
export const engineState = v.object({
  v: v.literal(1, 'not version 1'),
  rows: v.array(v.tuple([number, storedRow])),
  tombstones: v.array(v.tuple([number, v.object({ version: v.string(), day: number })])),
  aggs: v.array(storedAggregate),
  dayOccur: v.array(v.tuple([number, number])),
  maxOccur: number,
});
export type EngineState = v.InferOutput<typeof engineState>;
