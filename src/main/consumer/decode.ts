/**
 * From a Kinesis record to user records: KPL-aggregated records are unpacked, plain ones pass
 * through. Text is UTF-8, checked (a replacement character would hide corruption).
 */
import type { _Record } from '@aws-sdk/client-kinesis';
import { fail, ok, type Result } from '@shared/result';
import { deaggregate, isAggregated } from './kpl';

export interface DecodedRecord {
  partitionKey: string;
  text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeRecord(
  record: Pick<_Record, 'Data' | 'PartitionKey'>,
): Result<Result<DecodedRecord>[]> {
  const data = record.Data ?? new Uint8Array();
  if (!isAggregated(data)) return ok([decodeText(record.PartitionKey ?? '', data)]);
  const inner = deaggregate(data);
  if (!inner.ok) return inner;
  return ok(inner.value.map((u) => decodeText(u.partitionKey, u.data)));
}

function decodeText(partitionKey: string, data: Uint8Array): Result<DecodedRecord> {
  try {
    return ok({ partitionKey, text: utf8.decode(data) });
  } catch {
    return fail('record data is not UTF-8 text');
  }
}
