/**
 * test/vectors/rowChecks.json, the one statement of which change events the engines fold: the
 * Flink job's JUnit test reads the same file.
 */
import { describe, expect, test } from 'vitest';
import { MetricsEngine } from '../../../src/main/engine/metricsEngine';
import { readVectors } from '../../support/vectors';

interface Vectors {
  now: number;
  database: string;
  table: string;
  maxFutureMs: number;
  dbTimeZone: string;
  cases: {
    name: string;
    input: unknown;
    expect: string;
    dbTimeZone?: string;
    error?: string;
    change?: Record<string, unknown>;
  }[];
}

const vectors = readVectors<Vectors>('rowChecks.json');

const engineFor = (dbTimeZone: string): MetricsEngine =>
  new MetricsEngine({
    timeZone: 'UTC',
    dbTimeZone,
    database: vectors.database,
    table: vectors.table,
    maxFutureMs: vectors.maxFutureMs,
    now: () => vectors.now,
  });

describe('test/vectors/rowChecks.json', () => {
  test('has a case for every reason', () => {
    const seen = new Set(vectors.cases.map((c) => c.expect));
    for (const r of [
      'ok',
      'ignored',
      'malformed',
      'other-database',
      'other-table',
      'ts-out-of-range',
      'amount-out-of-range',
      'create-time-invalid',
      'create-time-future',
    ]) {
      expect(seen, r).toContain(r);
    }
  });

  test.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const engine = engineFor(c.dbTimeZone ?? vectors.dbTimeZone);
    const input = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
    const admitted = engine.admit(input);
    expect(admitted.ok ? 'ok' : admitted.reason).toBe(c.expect);
    if (c.error !== undefined) expect(admitted.ok ? null : admitted.detail).toBe(c.error);
    if (admitted.ok && c.change) {
      const { data, ...event } = admitted.change;
      const got: Record<string, unknown> = { ...event, ...data };
      for (const [k, want] of Object.entries(c.change)) expect(got[k], k).toEqual(want);
    }
    // What parse() counts agrees with admit().
    const before = engine.stats();
    const parsed = engine.parse(input);
    const after = engine.stats();
    if (c.expect === 'ok') expect(parsed).not.toBeNull();
    else if (c.expect === 'ignored' || c.expect === 'other-table') {
      // Other tables are the binlog's ordinary traffic: counted as ignored, not named.
      expect(after.ignored).toBe(before.ignored + 1);
    } else {
      expect(after.rejected[c.expect as keyof typeof after.rejected]).toBe(1);
      expect(after.lastRejected).toContain(`(${c.expect})`);
    }
  });
});
