/**
 * KPL record aggregation (the Kinesis Producer Library's format): many user records in one
 * Kinesis record. Layout: 4 magic bytes, a protobuf `AggregatedRecord`, then the MD5 of the
 * protobuf bytes. Decoding and encoding need only a few protobuf wire rules, written out here.
 *
 *   message AggregatedRecord { repeated string partition_key_table = 1;
 *     repeated string explicit_hash_key_table = 2; repeated Record records = 3; }
 *   message Record { required uint64 partition_key_index = 1;
 *     optional uint64 explicit_hash_key_index = 2; required bytes data = 3; repeated Tag tags = 4; }
 */
import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '@shared/result';

export const KPL_MAGIC = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);
const MD5_LENGTH = 16;

export interface UserRecord {
  partitionKey: string;
  data: Uint8Array;
}

export function isAggregated(data: Uint8Array): boolean {
  return (
    data.length >= KPL_MAGIC.length + MD5_LENGTH &&
    data[0] === KPL_MAGIC[0] &&
    data[1] === KPL_MAGIC[1] &&
    data[2] === KPL_MAGIC[2] &&
    data[3] === KPL_MAGIC[3]
  );
}

class Reader {
  pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly end = buf.length,
  ) {}
  get done(): boolean {
    return this.pos >= this.end;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.pos++] as number;
      // Indexes and lengths fit in 53 bits; multiply instead of shifting past 32.
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }
  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.end) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
    if (this.pos > this.end) throw new Error('truncated field');
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The user records inside an aggregated record; an error when it is damaged. */
export function deaggregate(data: Uint8Array): Result<UserRecord[]> {
  if (!isAggregated(data)) return fail('not a KPL aggregated record');
  const body = data.subarray(KPL_MAGIC.length, data.length - MD5_LENGTH);
  const digest = createHash('md5').update(body).digest();
  if (!digest.equals(data.subarray(data.length - MD5_LENGTH))) {
    return fail('KPL aggregated record: checksum mismatch');
  }
  try {
    const keys: string[] = [];
    const raw: { keyIndex: number; data: Uint8Array }[] = [];
    const r = new Reader(body);
    while (!r.done) {
      const tag = r.varint();
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if (field === 1 && wire === 2) keys.push(utf8.decode(r.bytes()));
      else if (field === 3 && wire === 2) raw.push(readRecord(r.bytes()));
      else r.skip(wire);
    }
    const out: UserRecord[] = [];
    for (const rec of raw) {
      const key = keys[rec.keyIndex];
      if (key === undefined)
        return fail(`KPL aggregated record: partition key index ${rec.keyIndex} out of range`);
      out.push({ partitionKey: key, data: rec.data });
    }
    return ok(out);
  } catch (err) {
    return fail(`KPL aggregated record: ${(err as Error).message}`);
  }
}

function readRecord(buf: Uint8Array): { keyIndex: number; data: Uint8Array } {
  const r = new Reader(buf);
  let keyIndex: number | null = null;
  let data: Uint8Array | null = null;
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === 0) keyIndex = r.varint();
    else if (field === 3 && wire === 2) data = r.bytes();
    else r.skip(wire);
  }
  if (keyIndex === null || data === null) throw new Error('a record lacks its key index or data');
  return { keyIndex, data };
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function lengthDelimited(field: number, bytes: Uint8Array): Uint8Array {
  // Concatenated, never spread: a record may hold a megabyte.
  return Buffer.concat([
    Uint8Array.from(varint(field * 8 + 2)),
    Uint8Array.from(varint(bytes.length)),
    bytes,
  ]);
}

/** Packs user records the way the KPL does (producers and tests use it). */
export function aggregate(records: readonly UserRecord[]): Uint8Array {
  const enc = new TextEncoder();
  const keys: string[] = [];
  const index = new Map<string, number>();
  const body: Uint8Array[] = [];
  for (const r of records) {
    if (!index.has(r.partitionKey)) {
      index.set(r.partitionKey, keys.length);
      keys.push(r.partitionKey);
    }
  }
  for (const k of keys) body.push(lengthDelimited(1, enc.encode(k)));
  for (const r of records) {
    const rec = Buffer.concat([
      Uint8Array.from(varint(1 * 8 + 0)),
      Uint8Array.from(varint(index.get(r.partitionKey) as number)),
      lengthDelimited(3, r.data),
    ]);
    body.push(lengthDelimited(3, rec));
  }
  const bytes = new Uint8Array(Buffer.concat(body));
  const digest = createHash('md5').update(bytes).digest();
  const out = new Uint8Array(KPL_MAGIC.length + bytes.length + MD5_LENGTH);
  out.set(KPL_MAGIC, 0);
  out.set(bytes, KPL_MAGIC.length);
  out.set(digest, KPL_MAGIC.length + bytes.length);
  return out;
}
