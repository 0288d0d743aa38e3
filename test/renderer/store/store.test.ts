import { afterEach, describe, expect, test, vi } from 'vitest';
import type { LivewallApi } from '@shared/channels';
import type {
  BurstProgress,
  BurstRequest,
  BurstSummary,
  BurstTarget,
  HealthCheck,
  MetricBatch,
  PasswordRequest,
  PasswordSaved,
  FeedStatus,
  Snapshot,
} from '@shared/contracts';
import {
  burstErrorSentence,
  burstReducer,
  initialBurstData,
  passwordErrorSentence,
  type BurstData,
} from '../../../src/renderer/src/store/burstReducer';
import {
  SNAPSHOT_RETRY_MS,
  TARGETS_RETRY_MS,
  connectStore,
} from '../../../src/renderer/src/store/connect';
import { burstTargetsSelector, kpisSelector } from '../../../src/renderer/src/store/selectors';
import { createLivewallStore, type StoreApiDeps } from '../../../src/renderer/src/store/store';
import { burstProgress, NOW, rec } from '../fixtures';

/** A frame clock the test advances by hand. */
function fakeFrames() {
  const queue: (() => void)[] = [];
  return {
    scheduleFrame: (cb: () => void) => void queue.push(cb),
    pending: () => queue.length,
    frame: () => queue.splice(0).forEach((cb) => cb()),
  };
}

const noPassword = async (): Promise<PasswordSaved> => ({ saved: false, message: 'unused' });
const noHealth = async (): Promise<HealthCheck[]> => [];
const zeroBurst: StoreApiDeps = {
  burst: async () => ({ inserted: 0, updated: 0, failed: 0 }),
  setMySqlPassword: noPassword,
  runHealth: noHealth,
};

const targets: BurstTarget[] = [
  { id: 'embedded', label: 'Embedded demo table' },
  { id: 'mysql', label: 'MySQL shop@10.0.0.5:3306/demo' },
];

const progress = burstProgress;

const batch = (records: ReturnType<typeof rec>[], lastRecordAt = 1): MetricBatch => ({
  records,
  lastRecordAt,
  stale: false,
});

describe('store', () => {
  test('applies pushed batches once per frame, with one set', () => {
    const frames = fakeFrames();
    const store = createLivewallStore({
      api: zeroBurst,
      scheduleFrame: frames.scheduleFrame,
    });
    let sets = 0;
    store.subscribe(() => sets++);
    for (let i = 1; i <= 50; i++)
      store.getState().receive['metrics.batch']!(batch([rec('gmv', i, { occur: i })], i));
    expect(sets).toBe(0);
    expect(frames.pending()).toBe(1);
    frames.frame();
    expect(sets).toBe(1);
    expect(kpisSelector(store.getState(), NOW).gmv).toBe(50);
    expect(store.getState().lastRecordAt).toBe(50);
    // A frame with nothing new sets nothing.
    store.getState().receive['metrics.batch']!(batch([rec('gmv', 50, { occur: 50 })], 50));
    frames.frame();
    expect(sets).toBe(1);
  });

  test('a snapshot applies at once', () => {
    const frames = fakeFrames();
    const store = createLivewallStore({
      api: zeroBurst,
      scheduleFrame: frames.scheduleFrame,
    });
    store.getState().receiveSnapshot({ metrics: [rec('orders', 7)], lastRecordAt: 3, stale: true });
    expect(kpisSelector(store.getState(), NOW).orders).toBe(7);
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
        setMySqlPassword: noPassword,
        runHealth: noHealth,
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
    expect(s1).toEqual({ ...initialBurstData, running: true, requested: 100 });
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

  test('targets loaded: the first is the default; a reload keeps a choice it still offers', () => {
    const loaded = burstReducer(initialBurstData, { type: 'targets', targets });
    expect(loaded).toMatchObject({ targets, target: 'embedded' });
    const chosen = burstReducer(loaded, { type: 'select', target: 'mysql' });
    expect(chosen.target).toBe('mysql');
    expect(burstReducer(chosen, { type: 'targets', targets: [...targets] }).target).toBe('mysql');
    // The choice is gone from the new list: back to its default.
    expect(burstReducer(chosen, { type: 'targets', targets: [targets[0]!] }).target).toBe(
      'embedded',
    );
    expect(burstReducer(chosen, { type: 'targets', targets: [] }).target).toBeNull();
  });

  test('select: only a listed target, and not while a burst runs', () => {
    const loaded = burstReducer(initialBurstData, { type: 'targets', targets: [targets[0]!] });
    expect(burstReducer(loaded, { type: 'select', target: 'mysql' })).toBe(loaded);
    const two = burstReducer(initialBurstData, { type: 'targets', targets });
    const running = burstReducer(two, { type: 'start', orders: 10 });
    expect(burstReducer(running, { type: 'select', target: 'mysql' })).toBe(running);
  });

  test('start clears the last progress and keeps targets and the password answer', () => {
    const before: BurstData = {
      ...initialBurstData,
      targets,
      target: 'mysql',
      requested: 1000,
      lastSummary: { inserted: 1000, updated: 0, failed: 0 },
      progress: progress({ inserted: 1000, pendingSteps: 0 }),
      password: { saving: false, message: 'Saved to the keychain.', saved: true },
    };
    const s = burstReducer(before, { type: 'start', orders: 500 });
    expect(s).toEqual({
      ...before,
      running: true,
      requested: 500,
      lastSummary: null,
      progress: null,
    });
  });

  test('progress pushes update the running burst; others are ignored', () => {
    const running = burstReducer(
      { ...initialBurstData, targets, target: 'mysql' },
      { type: 'start', orders: 1000 },
    );
    const p1 = burstReducer(running, { type: 'progress', progress: progress({ inserted: 100 }) });
    expect(p1.progress?.inserted).toBe(100);
    const p2 = burstReducer(p1, { type: 'progress', progress: progress() });
    expect(p2.progress).toEqual(progress());
    expect(p2.burstId).toBe(1);
    // Another burst (another screen's, the menu's) while this one runs: another number.
    const other = progress({ burstId: 2, target: 'embedded', inserted: 999 });
    expect(burstReducer(p2, { type: 'progress', progress: other })).toBe(p2);
    expect(
      burstReducer(p2, { type: 'progress', progress: progress({ burstId: 3, requested: 10 }) }),
    ).toBe(p2);
    // Before the first push, a push of another size or target is not this panel's.
    expect(burstReducer(running, { type: 'progress', progress: other })).toBe(running);
    // Before targets load, the source's default is unknown: any target's push is taken.
    const blind = burstReducer(initialBurstData, { type: 'start', orders: 1000 });
    expect(burstReducer(blind, { type: 'progress', progress: other }).progress).toEqual(other);
  });

  test('a burst fired elsewhere (the app menu) is shown while idle, with its result when done', () => {
    const idle = { ...initialBurstData, targets, target: 'mysql' as const };
    const menu = burstReducer(idle, { type: 'progress', progress: progress({ burstId: 7 }) });
    expect(menu).toMatchObject({
      external: true,
      running: false,
      requested: 1000,
      burstId: 7,
      lastSummary: null,
    });
    const finished = burstReducer(menu, {
      type: 'progress',
      progress: progress({ burstId: 7, inserted: 1000, updated: 300, failed: 0, pendingSteps: 0 }),
    });
    expect(finished).toMatchObject({
      external: false,
      lastSummary: { inserted: 1000, updated: 300, failed: 0 },
    });
  });

  test('done keeps the final progress, brought to the summary; failed keeps how far it got', () => {
    const running = burstReducer(
      { ...initialBurstData, targets, target: 'mysql' },
      { type: 'start', orders: 1000 },
    );
    const pushed = burstReducer(running, { type: 'progress', progress: progress() });
    const done = burstReducer(pushed, {
      type: 'done',
      summary: { inserted: 998, updated: 400, failed: 2 },
    });
    expect(done).toMatchObject({
      running: false,
      lastSummary: { inserted: 998, updated: 400, failed: 2 },
      progress: progress({ inserted: 998, updated: 400, failed: 2, pendingSteps: 0 }),
    });
    // A late push changes nothing once the burst has answered.
    expect(burstReducer(done, { type: 'progress', progress: progress() })).toBe(done);
    // No push came (a quick burst): no progress is made up.
    const quick = burstReducer(running, {
      type: 'done',
      summary: { inserted: 1000, updated: 0, failed: 0 },
    });
    expect(quick.progress).toBeNull();
    const failed = burstReducer(pushed, { type: 'failed', error: 'MySQL went away' });
    expect(failed).toMatchObject({ running: false, lastError: 'MySQL went away' });
    expect(failed.progress).toEqual(progress());
  });

  test('password: saving, then saved or failed', () => {
    const saving = burstReducer(initialBurstData, { type: 'passwordSaving' });
    expect(saving.password).toEqual({ saving: true, message: null, saved: null });
    expect(burstReducer(saving, { type: 'passwordSaving' })).toBe(saving);
    expect(
      burstReducer(saving, {
        type: 'passwordSaved',
        answer: { saved: true, message: 'Saved to the keychain.' },
      }).password,
    ).toEqual({ saving: false, message: 'Saved to the keychain.', saved: true });
    expect(
      burstReducer(saving, {
        type: 'passwordSaved',
        answer: { saved: false, message: 'No keychain on this machine.' },
      }).password,
    ).toEqual({ saving: false, message: 'No keychain on this machine.', saved: false });
    const failed = burstReducer(saving, { type: 'passwordFailed', error: 'main went away' });
    expect(failed.password).toEqual({ saving: false, message: 'main went away', saved: false });
    // A new attempt clears the last answer.
    expect(burstReducer(failed, { type: 'passwordSaving' }).password.message).toBeNull();
  });

  test.each([
    [new Error('plain'), 'plain'],
    [new Error("Error invoking remote method 'burst.start': RangeError: too many"), 'too many'],
    ['a string', 'a string'],
    [new Error(''), 'The burst failed for an unknown reason.'],
  ])('error sentence of %s', (error, want) => {
    expect(burstErrorSentence(error)).toBe(want);
  });

  test('password error sentence', () => {
    expect(
      passwordErrorSentence(
        new Error("Error invoking remote method 'mysql.password': Error: The keychain is locked."),
      ),
    ).toBe('The keychain is locked.');
    expect(passwordErrorSentence(new Error(''))).toMatch(/not saved/);
  });
});

describe('store: targets and password', () => {
  test('a burst sends the selected target; before targets load it sends none', async () => {
    const requests: BurstRequest[] = [];
    const store = createLivewallStore({
      api: {
        burst: async (req) => (requests.push(req), { inserted: req.orders, updated: 0, failed: 0 }),
        setMySqlPassword: noPassword,
        runHealth: noHealth,
      },
      scheduleFrame: () => undefined,
    });
    await store.getState().burst(10);
    store.getState().receiveBurstTargets(targets);
    await store.getState().burst(20);
    store.getState().selectBurstTarget('mysql');
    await store.getState().burst(30);
    expect(requests).toEqual([
      { orders: 10 },
      { orders: 20, target: 'embedded' },
      { orders: 30, target: 'mysql' },
    ]);
  });

  test('progress pushes land while the burst runs and stay with its result', async () => {
    let release: (s: BurstSummary) => void = () => undefined;
    const store = createLivewallStore({
      api: {
        burst: () => new Promise((r) => (release = r)),
        setMySqlPassword: noPassword,
        runHealth: noHealth,
      },
      scheduleFrame: () => undefined,
    });
    store.getState().receiveBurstTargets(targets);
    store.getState().selectBurstTarget('mysql');
    const done = store.getState().burst(1000);
    expect(store.getState().progress).toBeNull();
    store.getState().receive['burst.progress']!(progress({ inserted: 10 }));
    store.getState().receive['burst.progress']!(progress());
    expect(store.getState().progress).toEqual(progress());
    release({ inserted: 1000, updated: 500, failed: 0 });
    await done;
    expect(store.getState().progress).toEqual(
      progress({ inserted: 1000, updated: 500, pendingSteps: 0 }),
    );
  });

  test('the password goes to the API and nowhere else; only the answer is kept', async () => {
    const sent: PasswordRequest[] = [];
    let answer: () => Promise<PasswordSaved> = async () => ({
      saved: true,
      message: 'Saved to the keychain.',
    });
    const store = createLivewallStore({
      api: {
        ...zeroBurst,
        setMySqlPassword: (req) => (sent.push(req), answer()),
      },
      scheduleFrame: () => undefined,
    });
    const states: unknown[] = [];
    store.subscribe((s) => states.push(JSON.parse(JSON.stringify(s))));

    await store.getState().saveMySqlPassword('s3cret-Pa55');
    expect(sent).toEqual([{ password: 's3cret-Pa55' }]);
    expect(store.getState().password).toEqual({
      saving: false,
      message: 'Saved to the keychain.',
      saved: true,
    });

    answer = () =>
      Promise.reject(
        new Error("Error invoking remote method 'mysql.password': Error: The keychain is locked."),
      );
    await store.getState().saveMySqlPassword('s3cret-Pa55');
    expect(store.getState().password).toEqual({
      saving: false,
      message: 'The keychain is locked.',
      saved: false,
    });

    // Refused before it is sent.
    await store.getState().saveMySqlPassword('');
    expect(sent).toHaveLength(2);
    expect(store.getState().password.message).toMatch(/1 to 256 characters/);

    expect(states.length).toBeGreaterThan(0);
    expect(JSON.stringify(states)).not.toContain('s3cret-Pa55');
  });

  test('one save at a time', async () => {
    let calls = 0;
    let release: (a: PasswordSaved) => void = () => undefined;
    const store = createLivewallStore({
      api: {
        ...zeroBurst,
        setMySqlPassword: () => (calls++, new Promise((r) => (release = r))),
      },
      scheduleFrame: () => undefined,
    });
    const first = store.getState().saveMySqlPassword('a');
    expect(store.getState().password.saving).toBe(true);
    await store.getState().saveMySqlPassword('b');
    release({ saved: true, message: 'ok' });
    await first;
    expect(calls).toBe(1);
  });
});

/** An API whose pushes the test sends by hand. */
function fakeApi(over: Partial<LivewallApi> = {}) {
  const metricListeners = new Set<(b: MetricBatch) => void>();
  const statusListeners = new Set<(s: FeedStatus) => void>();
  const progressListeners = new Set<(p: BurstProgress) => void>();
  const listeners = {
    'metrics.batch': metricListeners,
    'source.status': statusListeners,
    'burst.progress': progressListeners,
  };
  const api: LivewallApi = {
    getSnapshot: async () => ({ metrics: [], lastRecordAt: null, stale: false }),
    getStatus: async () => ({ source: 'embedded', state: 'ok', message: null }),
    burst: async () => ({ inserted: 0, updated: 0, failed: 0 }),
    getBurstTargets: async () => targets,
    setMySqlPassword: noPassword,
    runHealth: noHealth,
    on: (channel, l) => {
      const set = listeners[channel] as Set<typeof l>;
      set.add(l);
      return () => set.delete(l);
    },
    ...over,
  };
  return { api, metricListeners, statusListeners, progressListeners };
}

describe('connectStore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('loads the burst targets, retrying until they come; feeds progress pushes', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let failures = 2;
    const { api, progressListeners } = fakeApi({
      getBurstTargets: async () => {
        if (failures-- > 0) throw new Error('The livewall server cannot be reached.');
        return targets;
      },
    });
    const store = createLivewallStore({ api, scheduleFrame: () => undefined });
    const disconnect = connectStore(store, api);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().targets).toEqual([]);
    await vi.advanceTimersByTimeAsync(TARGETS_RETRY_MS);
    expect(store.getState().targets).toEqual([]);
    await vi.advanceTimersByTimeAsync(TARGETS_RETRY_MS);
    expect(store.getState()).toMatchObject({ targets, target: 'embedded' });
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();

    const running = store.getState().burst(1000);
    progressListeners.forEach((l) => l(progress({ target: 'embedded', inserted: 7 })));
    expect(store.getState().progress?.inserted).toBe(7);
    await running;

    disconnect();
    expect(progressListeners.size).toBe(0);
  });

  test('a disconnect stops the targets retry', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let calls = 0;
    const { api } = fakeApi({
      getBurstTargets: async () => {
        calls++;
        throw new Error('down');
      },
    });
    const disconnect = connectStore(
      createLivewallStore({ api, scheduleFrame: () => undefined }),
      api,
    );
    await vi.advanceTimersByTimeAsync(0);
    disconnect();
    await vi.advanceTimersByTimeAsync(TARGETS_RETRY_MS * 3);
    expect(calls).toBe(1);
    warn.mockRestore();
  });

  test('asks for the snapshot again until it comes, and no more once disconnected', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let calls = 0;
    const { api } = fakeApi({
      getSnapshot: async () => {
        if (++calls < 3) throw new Error('The livewall server cannot be reached.');
        return { metrics: [rec('orders', 4)], lastRecordAt: 1e12, stale: false };
      },
    });
    const store = createLivewallStore({ api, scheduleFrame: () => undefined });
    const disconnect = connectStore(store, api);
    await vi.advanceTimersByTimeAsync(SNAPSHOT_RETRY_MS * 2);
    expect(calls).toBe(3);
    expect(kpisSelector(store.getState(), NOW)).toMatchObject({ orders: 4 });
    expect(warn).toHaveBeenCalledWith('livewall: snapshot failed, retrying', expect.any(Error));
    await vi.advanceTimersByTimeAsync(SNAPSHOT_RETRY_MS * 3);
    expect(calls).toBe(3);
    disconnect();

    calls = -10;
    const again = connectStore(createLivewallStore({ api, scheduleFrame: () => undefined }), api);
    await vi.advanceTimersByTimeAsync(0);
    again();
    await vi.advanceTimersByTimeAsync(SNAPSHOT_RETRY_MS * 3);
    expect(calls).toBe(-9);
    warn.mockRestore();
  });

  test('subscribes before the snapshot, and unsubscribes on disconnect', async () => {
    let answerSnapshot: (s: Snapshot) => void = () => undefined;
    const { api, metricListeners, statusListeners } = fakeApi({
      getSnapshot: () => new Promise((r) => (answerSnapshot = r)),
    });
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
    expect(kpisSelector(store.getState(), NOW)).toMatchObject({ gmv: 20, orders: 4 });
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

describe('burst targets', () => {
  test('loaded and empty means nowhere to send; not loaded yet is not nowhere', () => {
    expect(burstTargetsSelector(initialBurstData).nowhere).toBe(false);
    const loaded = burstReducer(initialBurstData, { type: 'targets', targets: [] });
    expect(burstTargetsSelector(loaded)).toEqual({ targets: [], target: null, nowhere: true });
  });
});
