/**
 * The engine as test/vectors/fold.json and emitter.json run it: the file's zones, retention and
 * clock, and changes built from the file's row, each setting the customer's level.
 */
import { MetricsEngine } from '../../src/main/engine/metricsEngine';

/** The options both files give (a case may override them). */
export interface EngineVectorOptions {
  now: string;
  timeZone: string;
  dbTimeZone: string;
  retentionDays: number;
}

/** A change of a case: the row's columns it sets, the customer's level it is folded at. */
export interface VectorChange {
  type: string;
  level: number | null;
  position?: string;
  xoffset?: number;
  ts?: number;
  data?: Record<string, unknown>;
}

export interface VectorEngine {
  engine: MetricsEngine;
  /** Folds a change as the Flink job's tests do; false when it changed nothing. */
  fold(change: VectorChange): boolean;
}

/** `now`: the case's clock, read at each change (a case may move it between changes). */
export function vectorEngine(
  o: EngineVectorOptions,
  row: Record<string, unknown>,
  now: () => number,
): VectorEngine {
  let level: number | null = null;
  const engine = new MetricsEngine({
    timeZone: o.timeZone,
    dbTimeZone: o.dbTimeZone,
    retentionDays: o.retentionDays,
    now,
    customer: () => (level === null ? null : { level, sex: 'F' }),
  });
  return {
    engine,
    fold(change) {
      level = change.level;
      const event: Record<string, unknown> = {
        database: 'demo',
        table: 'order',
        type: change.type,
        ts: change.ts ?? now() / 1000,
        data: { ...row, ...change.data },
      };
      if (change.position !== undefined) event.position = change.position;
      if (change.xoffset !== undefined) event.xoffset = change.xoffset;
      return engine.foldRaw(JSON.stringify(event));
    },
  };
}
