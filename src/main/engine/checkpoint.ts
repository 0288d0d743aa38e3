/**
 * The engine's checkpoint: its whole state together with the source stream's positions, written
 * durably only after every output up to it was acknowledged, so a restart resumes exactly.
 */
import { readFile } from 'node:fs/promises';
import { fail, ok, type Result } from '@shared/result';
import type { ShardPosition } from '../kinesis/streamReader';
import { writeDurably } from '../lib/durableFile';
import type { EngineState } from './metricsEngine';

export interface Checkpoint {
  v: 1;
  savedAt: string;
  source: string;
  positions: Record<string, ShardPosition>;
  engine: EngineState;
}

export async function loadCheckpoint(
  path: string,
  source: string,
): Promise<Result<Checkpoint | null>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok(null);
    return fail(`cannot read the checkpoint ${path}: ${(err as Error).message}`);
  }
  let c: Partial<Checkpoint>;
  try {
    c = JSON.parse(text) as Partial<Checkpoint>;
  } catch {
    return fail(
      `${path} is not a livewall engine checkpoint (not JSON): move it away to start afresh`,
    );
  }
  if (c.v !== 1 || typeof c.positions !== 'object' || c.engine?.v !== 1) {
    return fail(`${path} is not a livewall engine checkpoint: move it away to start afresh`);
  }
  if (c.source !== source) {
    return fail(
      `${path} is the checkpoint of stream "${c.source}", not "${source}": use another --state-dir`,
    );
  }
  return ok(c as Checkpoint);
}

export function saveCheckpoint(path: string, c: Checkpoint): Promise<void> {
  return writeDurably(path, JSON.stringify(c));
}
