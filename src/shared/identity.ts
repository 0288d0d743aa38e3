import type { DimValue, MetricRecord } from './contracts';

/**
 * Contract 2's identity (name, window, start, dims) as one string. Dims are sorted by key so the
 * same dimensions in another key order name the same identity.
 */
export function metricIdentity(
  r: Pick<MetricRecord, 'name' | 'window' | 'start' | 'dims'>,
): string {
  const keys = Object.keys(r.dims).sort();
  const dims = keys.map((k) => [k, r.dims[k] as DimValue]);
  return JSON.stringify([r.name, r.window, r.start, dims]);
}

/**
 * The partition key a producer puts every record of one identity under: the identity in ASCII
 * (asciiKey), or a hash when that is longer than Kinesis's 256 characters. The Flink job derives
 * the same key (MetricRecords.partitionKey), so switching engines keeps an identity on its shard.
 */
export function metricPartitionKey(
  r: Pick<MetricRecord, 'name' | 'window' | 'start' | 'dims'>,
): string {
  return partitionKeyOfIdentity(metricIdentity(r));
}

/** metricPartitionKey from an identity already made. */
export function partitionKeyOfIdentity(id: string): string {
  const key = asciiKey(id);
  return key.length <= 256 ? key : `h:${fnv1a(id)}`;
}

// Anything outside printable ASCII, or `%`: only those need escaping (control characters, rare
// in an identity, take the slow path and come out as they were).
const NEEDS_ESCAPE = /[^ -$&-~]/;

/**
 * Non-ASCII characters (and `%`) as `%XX` of their UTF-8 bytes, so `北京` is `%E5%8C%97%E4%BA%AC`.
 * Why ASCII: the Flink Kinesis sink checkpoints a partition key's length in characters and reads
 * it back as bytes (KinesisStreamsStateSerializer, connector 4.3.0), so a buffered record with a
 * Chinese city in its key corrupts the checkpoint and its restore runs out of memory.
 */
export function asciiKey(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80 && ch !== '%') out += ch;
    else for (const b of utf8(c)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A code point's UTF-8 bytes; a lone surrogate is U+FFFD, as in MetricRecords.java. */
function utf8(c: number): number[] {
  if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
  if (c < 0x80) return [c];
  if (c < 0x800) return [0xc0 | (c >> 6), 0x80 | (c & 63)];
  if (c < 0x10000) return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
  return [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
}

/** 32-bit FNV-1a, hex: a short stable hash for long identities. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
