/**
 * The Flink job's retained checkpoints under `livewall flink`'s state directory: which one a
 * restart resumes from, and pruning the runs a newer run has superseded. Flink keeps the newest
 * few of one job (state.checkpoints.num-retained) but every run is a new job with its own
 * directory, so without pruning each restart would leave its checkpoints behind for good.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const list = (p: string): string[] => (existsSync(p) ? readdirSync(p) : []);

/** A checkpoint's or savepoint's completion time (its `_metadata`), or null while incomplete. */
function completedAt(path: string): number | null {
  const meta = join(path, '_metadata');
  return existsSync(meta) ? statSync(meta).mtimeMs : null;
}

/**
 * The checkpoint or savepoint to resume from: the newest `_metadata` under
 * DIR/checkpoints/<job>/chk-N/ or DIR/savepoints/<savepoint>/, by time written; null for none.
 */
export function newestCheckpoint(dir: string): string | null {
  let best: { path: string; at: number } | null = null;
  const consider = (path: string): void => {
    const at = completedAt(path);
    if (at !== null && (!best || at > best.at)) best = { path, at };
  };
  for (const job of list(join(dir, 'checkpoints'))) {
    for (const chk of list(join(dir, 'checkpoints', job))) {
      if (/^chk-\d+$/.test(chk)) consider(join(dir, 'checkpoints', job, chk));
    }
  }
  for (const sp of list(join(dir, 'savepoints'))) consider(join(dir, 'savepoints', sp));
  return (best as { path: string } | null)?.path ?? null;
}

/** The job directories under DIR/checkpoints now (one per run). */
export function checkpointJobs(dir: string): Set<string> {
  return new Set(list(join(dir, 'checkpoints')));
}

/**
 * Once a run that started after `earlier` (the job directories that existed when it started) has
 * completed a checkpoint, the earlier runs' checkpoints and the savepoints older than it are
 * superseded: the hashmap backend's checkpoints are full, never built on an earlier one. Removes
 * them and returns what it removed; removes nothing while the new run has no checkpoint yet.
 */
export function pruneSuperseded(dir: string, earlier: ReadonlySet<string>): string[] {
  let newest: number | null = null;
  for (const job of list(join(dir, 'checkpoints'))) {
    if (earlier.has(job)) continue;
    for (const chk of list(join(dir, 'checkpoints', job))) {
      if (!/^chk-\d+$/.test(chk)) continue;
      const at = completedAt(join(dir, 'checkpoints', job, chk));
      if (at !== null && (newest === null || at > newest)) newest = at;
    }
  }
  if (newest === null) return [];
  const removed: string[] = [];
  const remove = (path: string): void => {
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  };
  for (const job of earlier) {
    const path = join(dir, 'checkpoints', job);
    if (existsSync(path)) remove(path);
  }
  for (const sp of list(join(dir, 'savepoints'))) {
    const path = join(dir, 'savepoints', sp);
    const at = completedAt(path);
    if (at !== null && at < newest) remove(path);
  }
  return removed;
}
