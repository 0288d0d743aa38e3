/**
 * Reading a stream back the way a consumer does (GetRecords on every shard from the start), and
 * folding contract 1 events into rows, to hold cdc's output against the table.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { ChangeEvent } from '../../../src/shared/contracts';

export interface ReadRecord {
  shardId: string;
  partitionKey: string;
  /** The record's bytes, as stored. */
  bytes: Uint8Array;
  text: string;
  event: ChangeEvent;
}

/** Every record on every shard, each shard in stream order. */
export async function readStream(client: KinesisClient, stream: string): Promise<ReadRecord[]> {
  const { Shards: shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const out: ReadRecord[] = [];
  const decoder = new TextDecoder();
  for (const shard of shards) {
    const shardId = String(shard.ShardId);
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: stream,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const page = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }),
      );
      for (const r of page.Records ?? []) {
        const bytes = r.Data ?? new Uint8Array();
        const text = decoder.decode(bytes);
        out.push({
          shardId,
          partitionKey: String(r.PartitionKey),
          bytes,
          text,
          event: JSON.parse(text) as ChangeEvent,
        });
      }
      if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}

/**
 * Folds events, in stream order, into rows by order_id. With `strict`, every update's `old` must
 * hold exactly the previous values of the columns that changed (true for a stream without
 * replays; a replayed tail repeats older events after newer ones).
 */
export function foldEvents(
  records: readonly ReadRecord[],
  strict: boolean,
): Map<number, Record<string, unknown>> {
  const rows = new Map<number, Record<string, unknown>>();
  for (const { event } of records) {
    const id = Number(event.data.order_id);
    if (event.type === 'delete') {
      rows.delete(id);
      continue;
    }
    if (strict && event.type === 'update') {
      const before = rows.get(id);
      if (!before) throw new Error(`update of order ${id} before its insert`);
      const changed = Object.keys(event.data).filter((k) => before[k] !== event.data[k]);
      if (JSON.stringify(Object.keys(event.old ?? {}).sort()) !== JSON.stringify(changed.sort())) {
        throw new Error(
          `old ${JSON.stringify(event.old)} does not name the changed columns ${changed}`,
        );
      }
      for (const [k, v] of Object.entries(event.old ?? {})) {
        if (before[k] !== v)
          throw new Error(`old.${k} is ${String(v)}, the row had ${String(before[k])}`);
      }
    }
    rows.set(id, { ...event.data });
  }
  return rows;
}

/** Distinct change identities (transaction, row, type, resulting status), replays collapsed. */
export function distinctChanges(records: readonly ReadRecord[]): Set<string> {
  return new Set(
    records.map(
      ({ event: e }) => `${e.xid}|${String(e.data.order_id)}|${e.type}|${JSON.stringify(e.data)}`,
    ),
  );
}

/** Whether a stored position `file:pos` is at or past `end` (binlog file names sort in order). */
export function atOrPast(stored: string | null, end: { file: string; position: number }): boolean {
  const [file = '', position = '0'] = (stored ?? '').split(':');
  return file > end.file || (file === end.file && Number(position) >= end.position);
}
