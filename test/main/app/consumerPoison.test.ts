/**
 * What a screen's consumer refuses (issue 24, finding 7): dims keys are data, and a record from a
 * broken clock is counted, named and not applied.
 */
import { describe, expect, test } from 'vitest';
import { metricIdentity } from '../../../src/shared/identity';
import { parseMetricRecord } from '../../../src/shared/parse';
import { MetricConsumer } from '../../../src/main/app/metricConsumer';
import { MetricHub } from '../../../src/main/app/metricHub';
import { createKinesisClient } from '../../../src/main/kinesis/kinesisClient';

const NOW = Date.UTC(2026, 11, 7, 12);
const DAY = Date.UTC(2026, 11, 7);
const enc = new TextEncoder();

describe('the consumer refuses what it cannot trust', () => {
  test('dims {"__proto__": null} is a dimension, not the total', () => {
    const r = parseMetricRecord(
      '{"name":"gmv","value":5,"occur":1,"window":"1d","start":0,"dims":{"__proto__":null}}',
      { timeZone: 'UTC' },
    );
    if (!r.ok) throw new Error(r.error);
    expect(Object.keys(r.value.dims)).toEqual(['__proto__']);
    expect(metricIdentity(r.value)).not.toBe(
      metricIdentity({ name: 'gmv', window: '1d', start: 0, dims: {} }),
    );
  });

  test('a record more than a day ahead is counted, named and not applied', () => {
    const hub = new MetricHub('kinesis', { now: () => NOW });
    const consumer = new MetricConsumer({
      client: createKinesisClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
      stream: 'metric_ds',
      start: { type: 'LATEST' },
      target: 'nowhere',
      timeZone: 'UTC',
      hub,
      now: () => NOW,
    });
    const good = { name: 'gmv', value: 10, occur: NOW - 1000, window: '1d', start: DAY, dims: {} };
    const ahead = { ...good, value: 99, occur: 1e12 * 1000 };
    consumer.handle({
      shardId: 'shardId-000000000000',
      millisBehindLatest: 0,
      records: [good, ahead].map((r, i) => ({
        Data: enc.encode(JSON.stringify(r)),
        SequenceNumber: String(i + 1),
        PartitionKey: 'k',
      })),
    });
    expect(hub.state.get(metricIdentity(good as never))?.value).toBe(10);
    expect(hub.state.lastRecordAt).toBe(NOW - 1000);
    const stats = consumer.stats();
    expect(stats.records).toEqual({ applied: 1, malformed: 1 });
    expect(stats.lastMalformed[0]).toMatchObject({
      shardId: 'shardId-000000000000',
      sequenceNumber: '2',
    });
    expect(stats.lastMalformed[0]?.reason).toMatch(/more than a day ahead/);
  });
});
