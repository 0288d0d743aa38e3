/**
 * Contract 2's identities and partition keys: test/vectors/identity.json, which the Flink job's
 * MetricRecordsTest reads too, so switching engines keeps an identity on its shard.
 */
import { describe, expect, test } from 'vitest';
import type { DimValue, MetricWindow } from '../../src/shared/contracts';
import { asciiKey, fnv1a, metricIdentity, metricPartitionKey } from '../../src/shared/identity';
import { readVectors } from '../support/vectors';

interface IdentityVectors {
  asciiKey: { name: string; text: string; want: string }[];
  fnv1a: { name: string; text: string; want: string }[];
  identity: {
    name: string;
    metric: { name: string; window: MetricWindow; start: number; dims: Record<string, DimValue> };
    identity: string;
    key: string;
  }[];
}

const v = readVectors<IdentityVectors>('identity.json');
const named = <T extends { name: string }>(cases: T[]): [string, T][] =>
  cases.map((c) => [c.name, c]);

describe('test/vectors/identity.json', () => {
  test.each(named(v.asciiKey))('asciiKey: %s', (_, c) => {
    expect(asciiKey(c.text)).toBe(c.want);
  });

  test.each(named(v.fnv1a))('fnv1a: %s', (_, c) => {
    expect(fnv1a(c.text)).toBe(c.want);
  });

  test.each(named(v.identity))('identity and partition key: %s', (_, c) => {
    expect(metricIdentity(c.metric)).toBe(c.identity);
    expect(metricPartitionKey(c.metric)).toBe(c.key);
    expect(c.key.length).toBeLessThanOrEqual(256);
  });
});

describe('identities of several dimensions (TypeScript only)', () => {
  test('dimensions in another key order name the same identity', () => {
    const a = { name: 'orders', window: '1d', start: 1, dims: { city: 'x', level: 1 } } as const;
    const b = { name: 'orders', window: '1d', start: 1, dims: { level: 1, city: 'x' } } as const;
    expect(metricIdentity(a)).toBe(metricIdentity(b));
  });
});
