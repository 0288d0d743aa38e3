import { describe, expect, test } from 'vitest';
import type { BurstProgress } from '@shared/contracts';
import type { ServerMessage } from '@shared/wire';
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
  channel: 'metrics.snapshot',
  payload: { metrics: [good], lastRecordAt: 5, stale: false },
};
const batchMsg = {
  channel: 'metrics.batch',
  payload: { records: [good], lastRecordAt: 6, stale: true },
};
const statusMsg = {
  channel: 'source.status',
  payload: { source: 'kinesis', state: 'error', message: 'x' },
};
const progress: BurstProgress = burstProgress();
const progressMsg = { channel: 'burst.progress', payload: progress };

describe('parseServerMessage', () => {
  test.each([
    ['metrics.snapshot', snapshotMsg],
    ['metrics.batch', batchMsg],
    ['source.status', statusMsg],
    ['burst.progress', progressMsg],
  ])('accepts a %s', (_channel, msg) => {
    const r = parseServerMessage(JSON.stringify(msg));
    expect(r).toEqual({ ok: true, value: msg });
  });

  test.each([
    ['not JSON', '{', 'message: not JSON'],
    ['not an object', '[1]', 'message: not a JSON object'],
    [
      'an unknown channel',
      JSON.stringify({ channel: 'hello' }),
      'message: unknown "channel" "hello"',
    ],
    [
      'a request channel that is not pushed',
      JSON.stringify({ channel: 'burst.start', payload: { orders: 1 } }),
      'message: unknown "channel" "burst.start"',
    ],
    [
      'an inherited name',
      JSON.stringify({ channel: 'toString', payload: {} }),
      'message: unknown "channel" "toString"',
    ],
    [
      'snapshot without metrics',
      JSON.stringify({ channel: 'metrics.snapshot', payload: { stale: false } }),
      'message: snapshot: "metrics" must be an array',
    ],
    [
      'batch with a bad record',
      JSON.stringify({
        channel: 'metrics.batch',
        payload: { ...batchMsg.payload, records: [good, { name: 'x' }] },
      }),
      'message: batch: metric record: "value" must be a number',
    ],
    [
      'batch without stale',
      JSON.stringify({ channel: 'metrics.batch', payload: { records: [], lastRecordAt: null } }),
      'message: batch: "stale" must be a boolean',
    ],
    [
      'status with an unknown state',
      JSON.stringify({
        channel: 'source.status',
        payload: { source: 'web', state: 'fine', message: null },
      }),
      'message: status: "state" must be ok, connecting or error',
    ],
    [
      'burst progress to an unknown target',
      JSON.stringify({ channel: 'burst.progress', payload: { ...progress, target: 'kafka' } }),
      'message: burst progress: "target" must be "embedded" or "mysql"',
    ],
    [
      'burst progress without pendingSteps',
      JSON.stringify({
        channel: 'burst.progress',
        payload: { ...progress, pendingSteps: undefined },
      }),
      'message: burst progress: "requested", "inserted", "updated", "failed" and "pendingSteps" must be whole numbers',
    ],
    [
      'burst progress that is null',
      JSON.stringify({ channel: 'burst.progress', payload: null }),
      'message: burst progress: not a JSON object',
    ],
  ])('refuses %s', (_name, text, error) => {
    expect(parseServerMessage(text)).toEqual({ ok: false, error });
  });
});

describe('message router', () => {
  test('counts and skips malformed messages, never throws, hands on the rest in order', () => {
    const messages: ServerMessage[] = [];
    const errors: string[] = [];
    const router = createMessageRouter({
      onMessage: (m) => messages.push(m),
      onMalformed: (e) => errors.push(e),
    });
    const frames: unknown[] = [
      JSON.stringify(snapshotMsg),
      'not json',
      null,
      new Blob(['x']),
      JSON.stringify({ channel: 'metrics.batch' }),
      new TextEncoder().encode(JSON.stringify(batchMsg)),
      JSON.stringify(statusMsg),
      JSON.stringify({ channel: 'source.status', payload: null }),
      JSON.stringify(progressMsg),
      JSON.stringify({ channel: 'burst.progress', payload: { ...progress, inserted: -1 } }),
    ];
    const handled = frames.map((f) => router.handle(f));
    expect(handled).toEqual([true, false, false, false, false, true, true, false, true, false]);
    expect(router.malformed).toBe(6);
    expect(errors).toHaveLength(6);
    expect(messages).toEqual([snapshotMsg, batchMsg, statusMsg, progressMsg]);
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
