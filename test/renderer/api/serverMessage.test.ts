import { describe, expect, test } from 'vitest';
import type { BurstProgress, MetricBatch, FeedStatus } from '@shared/api';
import {
  RECONNECT_MAX_MS,
  backoffDelay,
  createMessageRouter,
  lostConnectionStatus,
  parseBurstProgress,
  parseBurstSummary,
  parseBurstTargets,
  parseHealthChecks,
  parseServerMessage,
  parseFeedStatus,
} from '../../../src/renderer/src/api/serverMessage';
import { burstProgress, rec } from '../fixtures';

const good = rec('gmv', 12.5, { dims: { city: '北京' } });
const snapshotMsg = {
  type: 'snapshot',
  snapshot: { metrics: [good], lastRecordAt: 5, stale: false },
};
const batchMsg = { type: 'batch', batch: { records: [good], lastRecordAt: 6, stale: true } };
const statusMsg = { type: 'status', status: { source: 'kinesis', state: 'error', message: 'x' } };
const progress: BurstProgress = burstProgress();
const progressMsg = { type: 'burstProgress', progress };

describe('parseServerMessage', () => {
  test.each([
    ['snapshot', snapshotMsg],
    ['batch', batchMsg],
    ['status', statusMsg],
    ['burstProgress', progressMsg],
  ])('accepts a %s', (_type, msg) => {
    const r = parseServerMessage(JSON.stringify(msg));
    expect(r).toEqual({ ok: true, value: msg });
  });

  test.each([
    ['not JSON', '{'],
    ['not an object', '[1]'],
    ['unknown type', JSON.stringify({ type: 'hello' })],
    ['snapshot without metrics', JSON.stringify({ type: 'snapshot', snapshot: { stale: false } })],
    [
      'batch with a bad record',
      JSON.stringify({
        type: 'batch',
        batch: { ...batchMsg.batch, records: [good, { name: 'x' }] },
      }),
    ],
    [
      'batch without stale',
      JSON.stringify({ type: 'batch', batch: { records: [], lastRecordAt: null } }),
    ],
    [
      'status with an unknown state',
      JSON.stringify({ type: 'status', status: { source: 'web', state: 'fine', message: null } }),
    ],
    [
      'burst progress to an unknown target',
      JSON.stringify({ type: 'burstProgress', progress: { ...progress, target: 'kafka' } }),
    ],
    [
      'burst progress without pendingSteps',
      JSON.stringify({ type: 'burstProgress', progress: { ...progress, pendingSteps: undefined } }),
    ],
    ['burst progress that is null', JSON.stringify({ type: 'burstProgress', progress: null })],
  ])('refuses %s', (_name, text) => {
    const r = parseServerMessage(text);
    expect(r.ok).toBe(false);
  });
});

describe('message router', () => {
  test('counts and skips malformed messages, never throws, delivers a snapshot as a batch', () => {
    const batches: MetricBatch[] = [];
    const statuses: FeedStatus[] = [];
    const progresses: BurstProgress[] = [];
    const errors: string[] = [];
    const router = createMessageRouter({
      onBatch: (b) => batches.push(b),
      onStatus: (s) => statuses.push(s),
      onBurstProgress: (p) => progresses.push(p),
      onMalformed: (e) => errors.push(e),
    });
    const frames: unknown[] = [
      JSON.stringify(snapshotMsg),
      'not json',
      null,
      new Blob(['x']),
      JSON.stringify({ type: 'batch' }),
      new TextEncoder().encode(JSON.stringify(batchMsg)),
      JSON.stringify(statusMsg),
      JSON.stringify({ type: 'status', status: null }),
      JSON.stringify(progressMsg),
      JSON.stringify({ type: 'burstProgress', progress: { ...progress, inserted: -1 } }),
    ];
    const handled = frames.map((f) => router.handle(f));
    expect(handled).toEqual([true, false, false, false, false, true, true, false, true, false]);
    expect(router.malformed).toBe(6);
    expect(errors).toHaveLength(6);
    expect(progresses).toEqual([progress]);
    expect(batches).toEqual([
      { records: [good], lastRecordAt: 5, stale: false },
      { records: [good], lastRecordAt: 6, stale: true },
    ]);
    expect(statuses).toEqual([statusMsg.status]);
  });
});

describe('small parsers', () => {
  test('status', () => {
    expect(parseFeedStatus({ source: 'embedded', state: 'ok', message: null }).ok).toBe(true);
    expect(parseFeedStatus({ source: 'embedded', state: 'ok' }).ok).toBe(false);
  });

  test('burst summary', () => {
    expect(parseBurstSummary({ inserted: 3, updated: 0, failed: 1 })).toEqual({
      ok: true,
      value: { inserted: 3, updated: 0, failed: 1 },
    });
    expect(parseBurstSummary({ inserted: 3, updated: -1, failed: 0 }).ok).toBe(false);
    expect(parseBurstSummary({ inserted: '3', updated: 0, failed: 0 }).ok).toBe(false);
  });
});

describe('burst progress', () => {
  test.each([
    ['a negative count', { ...progress, failed: -1 }],
    ['a fraction', { ...progress, inserted: 1.5 }],
    ['a string count', { ...progress, requested: '1000' }],
    ['no target', { ...progress, target: undefined }],
    ['an array', [progress]],
  ])('refuses %s', (_name, input) => {
    expect(parseBurstProgress(input).ok).toBe(false);
  });

  test('accepts JSON text and keeps only the known fields', () => {
    expect(parseBurstProgress(JSON.stringify({ ...progress, extra: 1 }))).toEqual({
      ok: true,
      value: progress,
    });
  });
});

describe('burst targets', () => {
  const targets = [
    { id: 'embedded', label: 'Embedded demo table' },
    { id: 'mysql', label: 'MySQL shop@10.0.0.5:3306/demo' },
  ];

  test('accepts the list in order, from a value or JSON text; an empty list too', () => {
    expect(parseBurstTargets(targets)).toEqual({ ok: true, value: targets });
    expect(parseBurstTargets(JSON.stringify(targets))).toEqual({ ok: true, value: targets });
    expect(parseBurstTargets([])).toEqual({ ok: true, value: [] });
  });

  test.each([
    ['an object', { targets }, 'burst targets: not a JSON array'],
    ['not JSON', '[', 'burst targets: not JSON'],
    [
      'an unknown id',
      [{ id: 'kafka', label: 'x' }],
      'burst targets: item 0 "id" must be "embedded" or "mysql"',
    ],
    [
      'a missing label',
      [targets[0], { id: 'mysql' }],
      'burst targets: item 1 "label" must be a string',
    ],
    ['a null item', [null], 'burst targets: item 0 is not an object'],
    ['a target twice', [targets[1], targets[1]], 'burst targets: "mysql" is listed twice'],
  ])('refuses %s with a clear error', (_name, input, error) => {
    expect(parseBurstTargets(input)).toEqual({ ok: false, error });
  });
});

describe('health checks', () => {
  const checks = [
    { stage: 'embedded pipeline', ok: true, detail: 'The in-process pipeline computes metrics.' },
    {
      stage: 'kinesis metric_ds',
      ok: false,
      detail: 'Stream "metric_ds" does not exist: create it or fix streams.metrics.',
    },
  ];

  test('accepts the checks in order, from a value or JSON text; an empty list too', () => {
    expect(parseHealthChecks(checks)).toEqual({ ok: true, value: checks });
    expect(parseHealthChecks(JSON.stringify(checks))).toEqual({ ok: true, value: checks });
    expect(parseHealthChecks([])).toEqual({ ok: true, value: [] });
  });

  test('keeps only stage, ok and detail', () => {
    const extra = [{ ...checks[0], ms: 12, secret: 'x' }];
    expect(parseHealthChecks(extra)).toEqual({ ok: true, value: [checks[0]] });
  });

  test.each([
    ['an object', { checks }, 'health checks: not a JSON array'],
    ['an error body', { error: 'no such endpoint /api/health' }, 'health checks: not a JSON array'],
    ['not JSON', '[{', 'health checks: not JSON'],
    ['null', null, 'health checks: not a JSON array'],
    ['a null item', [null], 'health checks: item 0 is not an object'],
    ['a list item', [[]], 'health checks: item 0 is not an object'],
    [
      'a missing stage',
      [checks[0], { ok: true, detail: 'x' }],
      'health checks: item 1 "stage" must be a string',
    ],
    [
      'ok as a string',
      [{ stage: 'mysql', ok: 'true', detail: 'x' }],
      'health checks: item 0 "ok" must be a boolean',
    ],
    [
      'a null detail',
      [{ stage: 'mysql', ok: false, detail: null }],
      'health checks: item 0 "detail" must be a string',
    ],
  ])('refuses %s with a clear error', (_name, input, error) => {
    expect(parseHealthChecks(input)).toEqual({ ok: false, error });
  });
});

describe('reconnect policy', () => {
  test.each([
    [0, 0.5, 1000],
    [1, 0.5, 2000],
    [3, 0.5, 8000],
    [4, 0, 12800],
    [4, 0.999, 19194],
    [5, 0.5, 30000],
    [50, 0.999, RECONNECT_MAX_MS],
    [0, 0, 1000], // never below 1 s
  ])('attempt %i, random %f → %i ms', (attempt, random, want) => {
    expect(backoffDelay(attempt, random)).toBe(want);
  });

  test('status while disconnected', () => {
    expect(lostConnectionStatus(4)).toEqual({
      source: 'web',
      state: 'connecting',
      message: 'Connection to the livewall server lost; retrying in 4 s',
    });
  });
});

describe('source status lag', () => {
  test('a lag in whole milliseconds is kept; anything else is refused', () => {
    expect(
      parseFeedStatus({ source: 'kinesis', state: 'ok', message: null, lagMs: 12_000 }),
    ).toEqual({
      ok: true,
      value: { source: 'kinesis', state: 'ok', message: null, lagMs: 12_000 },
    });
    expect(parseFeedStatus({ source: 'kinesis', state: 'ok', message: null, lagMs: -1 }).ok).toBe(
      false,
    );
    expect(parseFeedStatus({ source: 'kinesis', state: 'ok', message: null })).toEqual({
      ok: true,
      value: { source: 'kinesis', state: 'ok', message: null },
    });
  });
});
