import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { MetricBatch, MetricRecord } from '../../../src/shared/contracts';
import { MetricHub } from '../../../src/main/app/metricHub';

const rec = (city: string, value: number, occur: number): MetricRecord => ({
  name: 'orders',
  value,
  occur,
  window: '1d',
  start: 0,
  dims: { city },
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('MetricHub', () => {
  test('pushes at most 10 times a second, each push carrying only the identities that changed', () => {
    const hub = new MetricHub('kinesis', { now: () => Date.now() });
    const pushes: { at: number; batch: MetricBatch }[] = [];
    hub.onBatch((batch) => pushes.push({ at: Date.now(), batch }));
    // 1 000 records over one second, one every millisecond, on 3 identities.
    for (let i = 0; i < 1_000; i++) {
      hub.apply([rec(['a', 'b', 'c'][i % 3] as string, i, i)]);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(200);
    expect(pushes.length).toBeGreaterThan(1);
    expect(pushes.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < pushes.length; i++) {
      expect((pushes[i]?.at ?? 0) - (pushes[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(100);
    }
    for (const p of pushes) expect(p.batch.records.length).toBeLessThanOrEqual(3);
    expect(pushes.at(-1)?.batch.lastRecordAt).toBe(999);
    // Nothing changed: nothing pushed.
    const before = pushes.length;
    hub.apply([rec('c', 5, 5)]); // older than what is held: no change
    vi.advanceTimersByTime(500);
    expect(pushes.length).toBe(before);
    expect(hub.counts.unchanged).toBe(1);
  });

  test('a silence longer than staleAfterMs flips the stale flag, pushes it, and new data clears it', () => {
    const hub = new MetricHub('kinesis', { staleAfterMs: 5_000, now: () => Date.now() });
    const pushes: MetricBatch[] = [];
    hub.onBatch((b) => pushes.push(b));
    hub.start();
    hub.apply([rec('a', 1, Date.now())]);
    vi.advanceTimersByTime(4_000);
    expect(hub.snapshot().stale).toBe(false);
    vi.advanceTimersByTime(2_000);
    expect(hub.snapshot().stale).toBe(true);
    expect(pushes.at(-1)).toMatchObject({ stale: true, records: [] });
    hub.apply([rec('a', 2, Date.now())]);
    vi.advanceTimersByTime(200);
    expect(pushes.at(-1)).toMatchObject({ stale: false });
    hub.stop();
  });

  test('records that are already old (a replay, a lagging pipeline) are stale though they just arrived', () => {
    const hub = new MetricHub('kinesis', { staleAfterMs: 5_000, now: () => Date.now() });
    hub.apply([rec('a', 1, Date.now() - 90_000)]);
    expect(hub.snapshot().stale).toBe(true);
    hub.apply([rec('a', 2, Date.now())]);
    expect(hub.snapshot().stale).toBe(false);
  });
});
