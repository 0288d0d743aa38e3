import { describe, expect, test } from 'vitest';
import type { BurstSummary, LivewallApi, MetricBatch, SourceStatus } from '@shared/api';
import type { Snapshot } from '@shared/contracts';
import {
  burstErrorSentence,
  burstReducer,
  initialBurstData,
} from '../../src/renderer/src/store/burstReducer';
import { connectStore } from '../../src/renderer/src/store/connect';
import { kpisSelector } from '../../src/renderer/src/store/selectors';
import { createLivewallStore } from '../../src/renderer/src/store/store';
import { rec } from './fixtures';

/** A frame clock the test advances by hand. */
function fakeFrames() {
  const queue: (() => void)[] = [];
  return {
    scheduleFrame: (cb: () => void) => void queue.push(cb),
    pending: () => queue.length,
    frame: () => queue.splice(0).forEach((cb) => cb()),
  };
}

const batch = (records: ReturnType<typeof rec>[], lastRecordAt = 1): MetricBatch => ({
  records,
  lastRecordAt,
  stale: false,
});

describe('store', () => {
  test('applies pushed batches once per frame, with one set', () => {
    const frames = fakeFrames();
    const store = createLivewallStore({
      api: { burst: async () => ({ inserted: 0, updated: 0, failed: 0 }) },
      scheduleFrame: frames.scheduleFrame,
    });
    let sets = 0;
    store.subscribe(() => sets++);
    for (let i = 1; i <= 50; i++)
      store.getState().receiveBatch(batch([rec('gmv', i, { occur: i })], i));
    expect(sets).toBe(0);
    expect(frames.pending()).toBe(1);
    frames.frame();
    expect(sets).toBe(1);
    expect(kpisSelector(store.getState()).gmv).toBe(50);
    expect(store.getState().lastRecordAt).toBe(50);
    // A frame with nothing new sets nothing.
    store.getState().receiveBatch(batch([rec('gmv', 50, { occur: 50 })], 50));
    frames.frame();
    expect(sets).toBe(1);
  });

  test('a snapshot applies at once', () => {
    const frames = fakeFrames();
    const store = createLivewallStore({
      api: { burst: async () => ({ inserted: 0, updated: 0, failed: 0 }) },
      scheduleFrame: frames.scheduleFrame,
    });
    store.getState().receiveSnapshot({ metrics: [rec('orders', 7)], lastRecordAt: 3, stale: true });
    expect(kpisSelector(store.getState()).orders).toBe(7);
    expect(store.getState()).toMatchObject({ lastRecordAt: 3, stale: true });
  });

  test('burst: running, then the summary; refused input and thrown errors become sentences', async () => {
    let release: (s: BurstSummary) => void = () => undefined;
    let fail = false;
    const store = createLivewallStore({
      api: {
        burst: (req) =>
          fail
            ? Promise.reject(
                new Error(
                  "Error invoking remote method 'burst.start': Error: MySQL refused the connection",
                ),
              )
            : new Promise<BurstSummary>((r) => (release = r)).then((s) => ({
                ...s,
                inserted: req.orders,
              })),
      },
      scheduleFrame: () => undefined,
    });
    const done = store.getState().burst(1000);
    expect(store.getState()).toMatchObject({ running: true, requested: 1000 });
    await store.getState().burst(5); // ignored while running
    release({ inserted: 0, updated: 2, failed: 0 });
    await done;
    expect(store.getState()).toMatchObject({
      running: false,
      lastSummary: { inserted: 1000, updated: 2, failed: 0 },
      lastError: null,
    });

    await store.getState().burst(0);
    expect(store.getState().lastError).toMatch(/whole number from 1 to 100000/);
    expect(store.getState().lastSummary).toBeNull();

    fail = true;
    await store.getState().burst(10);
    expect(store.getState().lastError).toBe('MySQL refused the connection');
  });
});

describe('burst reducer', () => {
  test('start clears the last outcome; a second start while running is ignored', () => {
    const s1 = burstReducer(
      { ...initialBurstData, lastError: 'old' },
      { type: 'start', orders: 100 },
    );
    expect(s1).toEqual({ running: true, requested: 100, lastSummary: null, lastError: null });
    expect(burstReducer(s1, { type: 'start', orders: 5 })).toBe(s1);
    const s2 = burstReducer(s1, {
      type: 'done',
      summary: { inserted: 100, updated: 0, failed: 0 },
    });
    expect(s2).toMatchObject({ running: false, requested: 100, lastError: null });
    expect(burstReducer(s2, { type: 'failed', error: 'e' })).toMatchObject({
      lastSummary: null,
      lastError: 'e',
    });
  });

  test.each([
    [new Error('plain'), 'plain'],
    [new Error("Error invoking remote method 'burst.start': RangeError: too many"), 'too many'],
    ['a string', 'a string'],
    [new Error(''), 'The burst failed for an unknown reason.'],
  ])('error sentence of %s', (error, want) => {
    expect(burstErrorSentence(error)).toBe(want);
  });
});

describe('connectStore', () => {
  test('subscribes before the snapshot, and unsubscribes on disconnect', async () => {
    const metricListeners = new Set<(b: MetricBatch) => void>();
    const statusListeners = new Set<(s: SourceStatus) => void>();
    let answerSnapshot: (s: Snapshot) => void = () => undefined;
    const api: LivewallApi = {
      getSnapshot: () => new Promise((r) => (answerSnapshot = r)),
      getStatus: async () => ({ source: 'embedded', state: 'ok', message: null }),
      burst: async () => ({ inserted: 0, updated: 0, failed: 0 }),
      onMetrics: (l) => (metricListeners.add(l), () => metricListeners.delete(l)),
      onStatus: (l) => (statusListeners.add(l), () => statusListeners.delete(l)),
    };
    const frames = fakeFrames();
    const store = createLivewallStore({ api, scheduleFrame: frames.scheduleFrame });
    const disconnect = connectStore(store, api);
    expect(metricListeners.size).toBe(1);

    // A push that lands before the snapshot answers is not lost, and the older snapshot value loses.
    metricListeners.forEach((l) => l(batch([rec('gmv', 20, { occur: 2e12 })], 2e12)));
    frames.frame();
    answerSnapshot({
      metrics: [rec('gmv', 10, { occur: 1e12 }), rec('orders', 4)],
      lastRecordAt: 1e12,
      stale: false,
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(kpisSelector(store.getState())).toMatchObject({ gmv: 20, orders: 4 });
    expect(store.getState().status).toEqual({ source: 'embedded', state: 'ok', message: null });

    statusListeners.forEach((l) =>
      l({ source: 'kinesis', state: 'error', message: 'Stream not found' }),
    );
    expect(store.getState().status?.message).toBe('Stream not found');

    disconnect();
    expect(metricListeners.size).toBe(0);
    expect(statusListeners.size).toBe(0);
  });
});
