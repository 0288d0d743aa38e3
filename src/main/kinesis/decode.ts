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

/**
 * Every user record's text of a batch, in order (KPL aggregates unpacked); a record that cannot be
 * decoded goes to `onBad` with the reason, once per bad user record.
 */
export function eachText(
  records: readonly _Record[],
  onText: (text: string, record: _Record) => void,
  onBad: (reason: string, record: _Record) => void,
): void {
  for (const r of records) {
    const decoded = decodeRecord(r);
    if (!decoded.ok) {
      onBad(decoded.error, r);
      continue;
    }
    for (const d of decoded.value) {
      if (d.ok) onText(d.value.text, r);
      else onBad(d.error, r);
    }
  }
}
