/**
 * Contract 2's partition keys: ASCII, derived from the identity, the same as the Flink job's
 * (flink/…/MetricRecordsTest.java holds the same vectors).
 */
import { describe, expect, test } from 'vitest';
import { asciiKey, fnv1a, metricIdentity, metricPartitionKey } from '../../src/shared/identity';

describe('asciiKey', () => {
  test.each([
    ['["orders","1d",1,[]]', '["orders","1d",1,[]]'],
    ['北京', '%E5%8C%97%E4%BA%AC'],
    ["50% 😀 Xi'an", "50%25 %F0%9F%98%80 Xi'an"],
  ])('%j → %j', (text, want) => {
    expect(asciiKey(text)).toBe(want);
  });

  test('different identities keep different keys (`%` is escaped too)', () => {
    expect(asciiKey('%E5%8C%97')).not.toBe(asciiKey('北'));
  });
});

describe('metricPartitionKey', () => {
  test('the identity in ASCII', () => {
    const r = { name: 'orders', window: '1d', start: 1, dims: { city: '北京' } } as const;
    expect(metricPartitionKey(r)).toBe('["orders","1d",1,[["city","%E5%8C%97%E4%BA%AC"]]]');
  });

  test('a hash of the identity when the ASCII form passes 256 characters', () => {
    const r = { name: 'orders', window: '1d', start: 1, dims: { city: '西'.repeat(60) } } as const;
    const key = metricPartitionKey(r);
    expect(key).toBe(`h:${fnv1a(metricIdentity(r))}`);
    expect(key).toMatch(/^h:[0-9a-f]{8}$/);
  });
});
