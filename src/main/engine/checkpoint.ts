/**
 * The engine's checkpoint: its whole state together with the source stream's positions, put in
 * place only after every output up to it was acknowledged, so a restart resumes exactly.
 *
 * Format 2 (written): lines of JSON, so a state of millions of rows is streamed, never one
 * string. The first line is `{"checkpoint":2,"savedAt","source","positions"}`, the rest are the
 * engine's (MetricsEngine.stateLines). Format 1 (one JSON object, `"v":1`) is still read.
 */
import * as v from 'valibot';
import { firstIssue } from '@shared/schemaKit';
import { isObj } from '@shared/schemaKit';
import { readLines, StateFileError, writePending, type PendingFile } from '../lib/durableFile';
import { engineState } from './engineState';
import type { MetricsEngine } from './metricsEngine';

const shardPosition = v.object({
  sequenceNumber: v.nullable(v.string()),
  finished: v.boolean(),
});
const positions = v.record(v.string(), shardPosition);
export type ShardPositions = v.InferOutput<typeof positions>;

const checkpointV1 = v.object({
  v: v.literal(1),
  savedAt: v.string(),
  /** The stream read (the CLI's --source). */
  source: v.string(),
  positions,
  engine: engineState,
});

const header = v.object({
  checkpoint: v.literal(2),
  savedAt: v.string(),
  source: v.string(),
  positions,
});

export interface CheckpointHeader {
  savedAt: string;
  source: string;
  positions: ShardPositions;
}

const refusal = (path: string, reason: string): StateFileError =>
  new StateFileError(
    path,
    `${path} is not a livewall engine checkpoint (${reason}): move it away to start afresh`,
  );

/**
 * Restores the checkpoint at `path` into `engine` (which must be new) and returns its positions;
 * null when there is none yet; a StateFileError when it is unusable (the engine is then unused).
 */
export async function loadCheckpoint(
  path: string,
  source: string,
  engine: MetricsEngine,
): Promise<CheckpointHeader | null> {
  let lines: AsyncGenerator<string>;
  let first: IteratorResult<string>;
  try {
    lines = readLines(path);
    first = await lines.next();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(path, `cannot read the checkpoint ${path}: ${(err as Error).message}`);
  }
  if (first.done) throw refusal(path, 'empty');
  let value: unknown;
  try {
    value = JSON.parse(first.value);
  } catch {
    throw refusal(path, 'not JSON');
  }
  const sourceOf = (c: CheckpointHeader): CheckpointHeader => {
    if (c.source !== source) {
      throw new StateFileError(
        path,
        `${path} is the checkpoint of stream "${c.source}", not "${source}": use another --state-dir`,
      );
    }
    return c;
  };
  if (isObj(value) && value.v === 1) {
    const c = firstIssue(checkpointV1, value);
    if (!c.ok) throw refusal(path, c.error);
    sourceOf(c.value);
    engine.restore(c.value.engine);
    return c.value;
  }
  const h = firstIssue(header, value);
  if (!h.ok) throw refusal(path, h.error);
  sourceOf(h.value);
  const loader = engine.restoreLines();
  for await (const line of lines) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw refusal(path, 'a line is not JSON');
    }
    const problem = loader.take(parsed);
    if (problem) throw refusal(path, problem);
  }
  const problem = loader.end();
  if (problem) throw refusal(path, problem);
  return h.value;
}

/** Streams the checkpoint to a temporary file beside `path` (the engine frozen meanwhile). */
export function writeCheckpoint(
  path: string,
  head: CheckpointHeader,
  engine: MetricsEngine,
): Promise<PendingFile> {
  return writePending(path, lines(head, engine));
}

function* lines(head: CheckpointHeader, engine: MetricsEngine): Generator<string> {
  yield JSON.stringify({ checkpoint: 2, ...head });
  yield* engine.stateLines();
}
