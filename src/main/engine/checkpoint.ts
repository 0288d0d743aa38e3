/**
 * The engine's checkpoint: its whole state together with the source stream's positions, written
 * durably only after every output up to it was acknowledged, so a restart resumes exactly.
 */
import * as v from 'valibot';
import { firstIssue } from '@shared/schema';
import { readStateFile, StateFileError, writeDurably } from '../lib/durableFile';
import { engineState } from './engineState';

const shardPosition = v.object({
  sequenceNumber: v.nullable(v.string()),
  finished: v.boolean(),
});

const checkpoint = v.object({
  v: v.literal(1),
  savedAt: v.string(),
  /** The stream read (the CLI's --source). */
  source: v.string(),
  positions: v.record(v.string(), shardPosition),
  engine: engineState,
});
export type Checkpoint = v.InferOutput<typeof checkpoint>;

/** The checkpoint at `path`, null when there is none yet; a StateFileError when it is unusable. */
export async function loadCheckpoint(path: string, source: string): Promise<Checkpoint | null> {
  const c = await readStateFile(
    path,
    (value) => firstIssue(checkpoint, value),
    (reason) =>
      reason === 'not JSON'
        ? `${path} is not a livewall engine checkpoint (not JSON): move it away to start afresh`
        : `${path} is not a livewall engine checkpoint: move it away to start afresh`,
    'the checkpoint',
  );
  if (c && c.source !== source) {
    throw new StateFileError(
      path,
      `${path} is the checkpoint of stream "${c.source}", not "${source}": use another --state-dir`,
    );
  }
  return c;
}

export function saveCheckpoint(path: string, c: Checkpoint): Promise<void> {
  return writeDurably(path, JSON.stringify(c));
}
