/** Metric records for stream tests: `keys` identities, each with increasing `occur`. */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { MetricRecord } from '../../src/shared/contracts';
import { metricIdentity, metricPartitionKey } from '../../src/shared/identity';

export function metricSeries(
  keys: number,
  perKey: number,
  base = Date.now(),
  cities = ['北京', '上海', "Xi'an"],
): MetricRecord[] {
  const out: MetricRecord[] = [];
  for (let i = 0; i < perKey; i++) {
    for (let k = 0; k < keys; k++) {
      out.push({
        name: 'orders',
        value: i + 1,
        occur: base + i,
        window: '1m',
        start: base - (base % 60_000) - k * 60_000,
        dims: { city: cities[k % cities.length] as string },
      });
    }
  }
  return out;
}

const enc = new TextEncoder();

/** PutRecords in chunks of 500, each record under its identity's partition key; retries failed entries. */
export async function putMetrics(
  client: KinesisClient,
  stream: string,
  records: MetricRecord[],
): Promise<void> {
  await putRaw(
    client,
    stream,
    records.map((r) => ({
      PartitionKey: metricPartitionKey(r),
      Data: enc.encode(JSON.stringify(r)),
    })),
  );
}

/** PutRecords in requests of at most 500 records and 4 MiB (Kinesis allows 5); retries failed entries. */
export async function putRaw(
  client: KinesisClient,
  stream: string,
  entries: { PartitionKey: string; Data: Uint8Array }[],
): Promise<void> {
  for (let i = 0; i < entries.length;) {
    let bytes = 0;
    let j = i;
    while (j < entries.length && j - i < 500) {
      const size = (entries[j]?.Data.length ?? 0) + (entries[j]?.PartitionKey.length ?? 0);
      if (j > i && bytes + size > 4 * 1024 * 1024) break;
      bytes += size;
      j++;
    }
    let chunk = entries.slice(i, j);
    i = j;
    for (let attempt = 0; chunk.length > 0; attempt++) {
      if (attempt > 10) throw new Error('PutRecords kept failing');
      const out = await client.send(new PutRecordsCommand({ StreamName: stream, Records: chunk }));
      chunk = chunk.filter((_, k) => out.Records?.[k]?.ErrorCode);
    }
  }
}

/** identity → [occur...] in delivery order. */
export function byIdentity(records: MetricRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of records) {
    const id = metricIdentity(r);
    out.set(id, [...(out.get(id) ?? []), r.occur]);
  }
  return out;
}

/** Asserts nothing lost or repeated and per-identity order kept; returns a sentence or null. */
export function orderProblems(sent: MetricRecord[], got: MetricRecord[]): string | null {
  if (got.length !== sent.length) return `got ${got.length} records, sent ${sent.length}`;
  const want = byIdentity(sent);
  for (const [id, occurs] of byIdentity(got)) {
    const expected = want.get(id);
    if (JSON.stringify(occurs) !== JSON.stringify(expected))
      return `identity ${id}: got ${occurs.join(',')} want ${expected?.join(',')}`;
  }
  return null;
}
