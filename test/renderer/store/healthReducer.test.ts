import { describe, expect, test } from 'vitest';
import type { HealthCheck } from '@shared/contracts';
import { formatHealthSummary } from '../../../src/renderer/src/lib/format';
import {
  healthErrorSentence,
  healthReducer,
  initialHealthData,
  type HealthAction,
  type HealthData,
} from '../../../src/renderer/src/store/healthReducer';
import { healthLevel, healthLevelSelector } from '../../../src/renderer/src/store/selectors';
import { createLivewallStore } from '../../../src/renderer/src/store/store';

const pass: HealthCheck = {
  stage: 'embedded pipeline',
  ok: true,
  detail: 'The in-process pipeline computes metrics.',
};
const broken: HealthCheck = {
  stage: 'kinesis metric_ds',
  ok: false,
  detail: 'Stream "metric_ds" does not exist: create it or fix streams.metrics.',
};

const run = (state: HealthData, ...actions: HealthAction[]): HealthData =>
  actions.reduce(healthReducer, state);

describe('health reducer', () => {
  test('open and close show and hide the panel; again is a no-op that keeps the object', () => {
    const opened = healthReducer(initialHealthData, { type: 'open' });
    expect(opened).toEqual({ ...initialHealthData, open: true });
    expect(healthReducer(opened, { type: 'open' })).toBe(opened);
    const closed = healthReducer(opened, { type: 'close' });
    expect(closed).toEqual(initialHealthData);
    expect(healthReducer(closed, { type: 'close' })).toBe(closed);
  });

  test('start, then done: the checks and the time of the run', () => {
    const started = run(initialHealthData, { type: 'open' }, { type: 'start' });
    expect(started).toEqual({ ...initialHealthData, open: true, running: true });
    const done = healthReducer(started, { type: 'done', checks: [pass, broken], at: 1000 });
    expect(done).toEqual({
      open: true,
      running: false,
      checks: [pass, broken],
      error: null,
      ranAt: 1000,
    });
  });

  test('one run at a time: a second start changes nothing', () => {
    const started = run(initialHealthData, { type: 'start' });
    expect(healthReducer(started, { type: 'start' })).toBe(started);
  });

  test('a run again keeps the last result until it answers, then replaces it', () => {
    const first = run(
      initialHealthData,
      { type: 'start' },
      { type: 'done', checks: [pass], at: 1 },
    );
    const again = healthReducer(first, { type: 'start' });
    expect(again).toMatchObject({ running: true, checks: [pass], ranAt: 1 });
    expect(healthReducer(again, { type: 'done', checks: [broken], at: 2 })).toMatchObject({
      running: false,
      checks: [broken],
      ranAt: 2,
    });
  });

  test('failed: the error, no stale checks; the next answer clears the error', () => {
    const failed = run(
      initialHealthData,
      { type: 'start' },
      { type: 'done', checks: [pass], at: 1 },
      { type: 'start' },
      { type: 'failed', error: 'The livewall server cannot be reached (/api/health).', at: 2 },
    );
    expect(failed).toEqual({
      open: false,
      running: false,
      checks: null,
      error: 'The livewall server cannot be reached (/api/health).',
      ranAt: 2,
    });
    expect(run(failed, { type: 'start' }, { type: 'done', checks: [pass], at: 3 })).toMatchObject({
      checks: [pass],
      error: null,
      ranAt: 3,
    });
  });

  test('an answer with no run under way is ignored', () => {
    expect(healthReducer(initialHealthData, { type: 'done', checks: [pass], at: 1 })).toBe(
      initialHealthData,
    );
    expect(healthReducer(initialHealthData, { type: 'failed', error: 'x', at: 1 })).toBe(
      initialHealthData,
    );
  });

  test('closing during a run lets it finish; its answer still lands', () => {
    const s = run(
      initialHealthData,
      { type: 'open' },
      { type: 'start' },
      { type: 'close' },
      { type: 'done', checks: [broken], at: 5 },
    );
    expect(s).toEqual({ open: false, running: false, checks: [broken], error: null, ranAt: 5 });
  });
});

describe('health level and summary', () => {
  test.each([
    ['no run yet', { checks: null, error: null }, 'unknown'],
    ['nothing configured', { checks: [], error: null }, 'unknown'],
    ['all pass', { checks: [pass, pass], error: null }, 'ok'],
    ['one failed', { checks: [pass, broken], error: null }, 'failed'],
    ['the run failed', { checks: null, error: 'down' }, 'failed'],
  ] as const)('%s → %s', (_name, state, level) => {
    expect(
      healthLevel({ checks: state.checks ? [...state.checks] : null, error: state.error }),
    ).toBe(level);
  });

  test('the selector reads the nested slice', () => {
    expect(healthLevelSelector({ health: initialHealthData })).toBe('unknown');
  });

  test.each([
    [[], 'no stage is configured to check'],
    [[pass], 'the one stage passes'],
    [[pass, pass, pass], 'all 3 stages pass'],
    [[broken], '1 of 1 stage failed'],
    [[pass, broken, broken], '2 of 3 stages failed'],
  ])('%j → %s', (checks, text) => {
    expect(formatHealthSummary(checks)).toBe(text);
  });

  test('an IPC error shows only its cause', () => {
    expect(
      healthErrorSentence(
        new Error("Error invoking remote method 'health.run': Error: the config cannot be read"),
      ),
    ).toBe('the config cannot be read');
    expect(healthErrorSentence(new Error(''))).toBe(
      'The health checks could not run, for an unknown reason.',
    );
  });
});

describe('store: health', () => {
  function healthStore(runHealth: () => Promise<HealthCheck[]>) {
    let clock = 100;
    return createLivewallStore({
      api: {
        burst: async () => ({ inserted: 0, updated: 0, failed: 0 }),
        setMySqlPassword: async () => ({ saved: false, message: 'unused' }),
        runHealth,
      },
      scheduleFrame: () => undefined,
      now: () => clock++,
    });
  }

  test('openHealth opens and runs; a second call while running asks nothing more', async () => {
    let calls = 0;
    let answer: (checks: HealthCheck[]) => void = () => undefined;
    // The first run waits for the test's word; later ones answer at once.
    const store = healthStore(() =>
      calls++ === 0 ? new Promise((r) => (answer = r)) : Promise.resolve([pass]),
    );
    const first = store.getState().openHealth();
    expect(store.getState().health).toMatchObject({ open: true, running: true });
    await store.getState().openHealth();
    await store.getState().runHealth();
    expect(calls).toBe(1);
    answer([pass, broken]);
    await first;
    expect(store.getState().health).toEqual({
      open: true,
      running: false,
      checks: [pass, broken],
      error: null,
      ranAt: 100,
    });
    expect(healthLevelSelector(store.getState())).toBe('failed');

    await store.getState().runHealth();
    expect(calls).toBe(2);
    expect(store.getState().health).toMatchObject({ checks: [pass], ranAt: 101 });
    store.getState().closeHealth();
    expect(store.getState().health.open).toBe(false);
  });

  test('a thrown error becomes the slice error, never a rejection', async () => {
    const store = healthStore(() =>
      Promise.reject(new Error("Error invoking remote method 'health.run': Error: boom")),
    );
    await expect(store.getState().openHealth()).resolves.toBeUndefined();
    expect(store.getState().health).toMatchObject({
      running: false,
      checks: null,
      error: 'boom',
      ranAt: 100,
    });
  });

  test('a health run leaves the burst slice alone, and one set per step', async () => {
    const store = healthStore(async () => [pass]);
    const burstBefore = store.getState().running;
    let sets = 0;
    store.subscribe(() => sets++);
    await store.getState().openHealth();
    // open, start, done.
    expect(sets).toBe(3);
    expect(store.getState().running).toBe(burstBefore);
    expect(healthLevelSelector(store.getState())).toBe('ok');
  });
});
