import { describe, expect, test } from 'vitest';
import { metricIdentity } from '@shared/identity';
import {
  RETAIN_BEFORE_LATEST_DAY_MS,
  applyRecords,
  coalesceBatch,
  indexFromRecords,
  initialMetricsData,
  metricsReducer,
  pendingToBatch,
  recordsOf,
  seriesKey,
  type MetricsData,
} from '../../../src/renderer/src/store/metricsReducer';
import { DAY, MINUTE, YESTERDAY, rec } from '../fixtures';

const meta = { lastRecordAt: null, stale: false };
const batch = (
  records: ReturnType<typeof rec>[],
  lastRecordAt: number | null = null,
  stale = false,
) => ({ type: 'batch', batch: { records, lastRecordAt, stale } }) as const;

function valueOf(state: MetricsData, r: ReturnType<typeof rec>): number | undefined {
  for (const s of state.metrics.values()) {
    const held = s.get(metricIdentity(r));
    if (held) return held.value;
  }
  return undefined;
}

describe('identity rule', () => {
  test.each([
    { name: 'newer occur replaces', first: [10, 1000], then: [20, 2000], want: 20 },
    { name: 'older occur is ignored', first: [10, 2000], then: [20, 1000], want: 10 },
    { name: 'tie: the later one received wins', first: [10, 1000], then: [20, 1000], want: 20 },
  ])('$name', ({ first, then, want }) => {
    const a = metricsReducer(
      initialMetricsData,
      batch([rec('gmv', first[0]!, { occur: first[1] })]),
    );
    const b = metricsReducer(a, batch([rec('gmv', then[0]!, { occur: then[1] })]));
    expect(valueOf(b, rec('gmv', 0))).toBe(want);
  });

  test('within one batch the rule applies in order of arrival', () => {
    const s = metricsReducer(
      initialMetricsData,
      batch([
        rec('gmv', 3, { occur: 3 }),
        rec('gmv', 1, { occur: 1 }),
        rec('gmv', 4, { occur: 3 }),
      ]),
    );
    expect(valueOf(s, rec('gmv', 0))).toBe(4);
  });

  test('dims in another key order are the same identity', () => {
    const s = metricsReducer(
      initialMetricsData,
      batch([
        rec('orders', 1, { occur: 1, dims: { city: 'A', status: 'paid' } }),
        rec('orders', 2, { occur: 2, dims: { status: 'paid', city: 'A' } }),
      ]),
    );
    expect(recordsOf(s.metrics)).toHaveLength(1);
    expect(recordsOf(s.metrics)[0]!.value).toBe(2);
  });

  test('a replay changes nothing and keeps every reference', () => {
    const records = [rec('gmv', 10), rec('orders', 3), rec('gmv', 5, { dims: { city: 'B' } })];
    const a = metricsReducer(initialMetricsData, batch(records));
    expect(metricsReducer(a, batch(records))).toBe(a);
    expect(metricsReducer(a, batch([rec('gmv', 1, { occur: 1 })]))).toBe(a);
  });
});

describe('replacement, never mutation', () => {
  test('only the touched series gets a new reference', () => {
    const a = metricsReducer(
      initialMetricsData,
      batch([rec('gmv', 1), rec('orders', 1), rec('gmv', 1, { dims: { city: 'A' } })]),
    );
    const gmvKey = seriesKey('gmv', '1d');
    const ordersKey = seriesKey('orders', '1d');
    const cityKey = seriesKey('gmv', '1d', ['city']);
    const before = new Map(a.metrics);
    const gmvBefore = a.metrics.get(gmvKey)!;
    const b = metricsReducer(a, batch([rec('gmv', 2, { occur: DAY + 7_200_000 })]));
    expect(b.metrics).not.toBe(a.metrics);
    expect(b.metrics.get(gmvKey)).not.toBe(gmvBefore);
    expect(b.metrics.get(ordersKey)).toBe(a.metrics.get(ordersKey));
    expect(b.metrics.get(cityKey)).toBe(a.metrics.get(cityKey));
    // The previous state is untouched.
    expect(new Map(a.metrics)).toEqual(before);
    expect(valueOf(a, rec('gmv', 0))).toBe(1);
  });
});

describe('meta', () => {
  test('lastRecordAt keeps the newest, stale follows the latest message', () => {
    const a = metricsReducer(initialMetricsData, batch([], 500, true));
    expect(a).toMatchObject({ lastRecordAt: 500, stale: true });
    const b = metricsReducer(a, batch([], 400, false));
    expect(b).toMatchObject({ lastRecordAt: 500, stale: false });
    const c = metricsReducer(b, batch([], null, false));
    expect(c).toBe(b);
  });

  test('a snapshot merges like a batch and sets its meta', () => {
    const a = metricsReducer(initialMetricsData, batch([rec('gmv', 9, { occur: 9_000 })]));
    const b = metricsReducer(a, {
      type: 'snapshot',
      snapshot: {
        metrics: [rec('gmv', 1, { occur: 1 }), rec('orders', 2)],
        lastRecordAt: 77,
        stale: true,
      },
    });
    expect(valueOf(b, rec('gmv', 0))).toBe(9);
    expect(valueOf(b, rec('orders', 0))).toBe(2);
    expect(b).toMatchObject({ lastRecordAt: 77, stale: true });
  });
});

describe('retention', () => {
  test('a new day drops windows older than the previous day', () => {
    const older = YESTERDAY - 86_400_000;
    const a = applyRecords(
      initialMetricsData,
      [
        rec('gmv', 1, { start: older }),
        rec('orders', 1, { window: '1m', start: older + MINUTE }),
        rec('gmv', 2, { start: YESTERDAY }),
      ],
      meta,
    );
    expect(recordsOf(a.metrics)).toHaveLength(3);
    const b = applyRecords(a, [rec('gmv', 3, { start: DAY })], meta);
    expect(
      recordsOf(b.metrics)
        .map((r) => r.start)
        .sort(),
    ).toEqual([YESTERDAY, DAY]);
    // The 1m series emptied by the drop is gone, not left as an empty map.
    expect(b.metrics.has(seriesKey('orders', '1m'))).toBe(false);
    // Records that old arriving later are refused.
    expect(applyRecords(b, [rec('gmv', 4, { start: older })], meta)).toBe(b);
    expect(DAY - YESTERDAY).toBeLessThanOrEqual(RETAIN_BEFORE_LATEST_DAY_MS);
  });
});

describe('coalescing pending batches', () => {
  test('keeps per identity the greatest occur, ties the later, meta the latest', () => {
    let p = coalesceBatch(null, {
      records: [rec('gmv', 1, { occur: 5 })],
      lastRecordAt: 5,
      stale: false,
    });
    p = coalesceBatch(p, { records: [rec('gmv', 2, { occur: 4 })], lastRecordAt: 4, stale: true });
    p = coalesceBatch(p, {
      records: [rec('orders', 7), rec('orders', 8)],
      lastRecordAt: null,
      stale: true,
    });
    const b = pendingToBatch(p);
    expect(b.records.map((r) => [r.name, r.value])).toEqual([
      ['gmv', 1],
      ['orders', 8],
    ]);
    expect(b).toMatchObject({ lastRecordAt: 5, stale: true });
  });

  test('indexFromRecords applies the same rule', () => {
    const idx = indexFromRecords([rec('gmv', 1, { occur: 2 }), rec('gmv', 5, { occur: 1 })]);
    expect(recordsOf(idx).map((r) => r.value)).toEqual([1]);
  });
});
