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

/** The partition key a producer puts every record of one identity under (Kinesis allows 256 chars). */
export function metricPartitionKey(
  r: Pick<MetricRecord, 'name' | 'window' | 'start' | 'dims'>,
): string {
  const id = metricIdentity(r);
  return id.length <= 256 ? id : `h:${fnv1a(id)}`;
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
