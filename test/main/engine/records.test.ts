/**
 * The text of contract 2's records and contract 3's wide rows: test/vectors/records.json, which
 * the Flink job's MetricRecordsTest reads too (its records must equal the engine's byte for byte).
 */
import { describe, expect, test } from 'vitest';
import { MetricsEngine, type CustomerInfo } from '../../../src/main/engine/metricsEngine';
import { parseMetricRecord } from '../../../src/shared/parse';
import { readVectors } from '../../support/vectors';

interface RecordVectors {
  now: number;
  record: { name: string; metric: Record<string, unknown>; text: string }[];
  wideRow: {
    name: string;
    change: Record<string, unknown>;
    customer: CustomerInfo | null;
    text: string;
  }[];
}

const v = readVectors<RecordVectors>('records.json');
const named = <T extends { name: string }>(cases: T[]): [string, T][] =>
  cases.map((c) => [c.name, c]);

describe('test/vectors/records.json', () => {
  test.each(named(v.record))('record: %s', (_, c) => {
    expect(JSON.stringify(c.metric)).toBe(c.text);
    // A screen reads the text back as the same record, in the same key order.
    const read = parseMetricRecord(c.text, { timeZone: 'UTC' });
    if (!read.ok) throw new Error(read.error);
    expect(JSON.stringify(read.value)).toBe(c.text);
  });

  test.each(named(v.wideRow))('wide row: %s', (_, c) => {
    const engine = new MetricsEngine({
      timeZone: 'UTC',
      dbTimeZone: 'UTC',
      now: () => v.now,
      customer: () => c.customer,
    });
    const row = engine.applyRaw(JSON.stringify({ database: 'demo', table: 'order', ...c.change }));
    expect(JSON.stringify(row)).toBe(c.text);
  });
});
