/**
 * Which shard positions a flush commits. The reader's own positions run ahead of the warehouse
 * (it moves on once a batch is buffered), so a flush commits, per shard, the end of the batches it
 * holds; for a shard it holds nothing of, the reader's position taken when the buffer was swapped
 * out, which then covers only what earlier flushes committed (or records skipped before `--from`).
 */
import type { ShardPosition } from '../kinesis/streamReader';
import type { StartPosition } from '../kinesis/startPosition';
import { maxOrNull, type ShardDelta } from './loadBuffer';
import type { CommittedShard } from './warehouseWriter';

export function nextPositions(
  committed: ReadonlyMap<string, CommittedShard>,
  reader: Readonly<Record<string, ShardPosition>>,
  buffered: ReadonlyMap<string, ShardDelta>,
): Map<string, CommittedShard> {
  const ids = new Set([...committed.keys(), ...Object.keys(reader), ...buffered.keys()]);
  const out = new Map<string, CommittedShard>();
  for (const id of [...ids].sort()) {
    const c = committed.get(id);
    const r = reader[id];
    const d = buffered.get(id);
    out.set(id, {
      // A shard the reader holds is where it says (null after the stream was created again).
      sequenceNumber: d?.lastSequenceNumber ?? (r ? r.sequenceNumber : c?.sequenceNumber) ?? null,
      finished: r?.finished ?? c?.finished ?? false,
      rowsLoaded: (c?.rowsLoaded ?? 0) + (d?.rows ?? 0),
      rowsSkipped: (c?.rowsSkipped ?? 0) + (d?.skipped ?? 0),
      newestArrivalMs: maxOrNull(c?.newestArrivalMs ?? null, d?.newestArrivalMs ?? null),
    });
  }
  return out;
}

/** True when committing `next` would change nothing stored. */
export function samePositions(
  a: ReadonlyMap<string, CommittedShard>,
  b: ReadonlyMap<string, CommittedShard>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [id, x] of a) {
    const y = b.get(id);
    if (
      !y ||
      y.sequenceNumber !== x.sequenceNumber ||
      y.finished !== x.finished ||
      y.rowsLoaded !== x.rowsLoaded ||
      y.rowsSkipped !== x.rowsSkipped
    ) {
      return false;
    }
  }
  return true;
}

/**
 * The first run's start as stored: `trim`, or the epoch ms it began from (`latest` is the moment
 * the first run started), so a shard the first run never read from is read from there later.
 */
export function encodeStart(start: StartPosition, now: number): string {
  switch (start.type) {
    case 'TRIM_HORIZON':
      return 'trim';
    case 'AT_TIMESTAMP':
      return String(start.timestamp);
    case 'LATEST':
      return String(now);
  }
}

export function decodeStart(text: string): StartPosition {
  if (text === 'trim') return { type: 'TRIM_HORIZON' };
  const ms = Number(text);
  return Number.isFinite(ms) ? { type: 'AT_TIMESTAMP', timestamp: ms } : { type: 'TRIM_HORIZON' };
}
