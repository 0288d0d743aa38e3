import { describe, expect, test } from 'vitest';
import { embeddedSelfTest } from '../../../src/main/app/embeddedSelfTest';
import { HealthFailure } from '../../../src/main/health/healthFailure';
import { healthRunner, runHealth } from '../../../src/main/health/runHealth';

describe('health', () => {
  test('nothing configured, nothing checked; the embedded self-test passes', async () => {
    expect(await runHealth({})).toEqual([]);
    expect(await runHealth({ embedded: () => embeddedSelfTest('UTC') })).toEqual([
      {
        stage: 'embedded pipeline',
        ok: true,
        detail: 'simulator → changelog → engine → screen state folds orders exactly (3 of 3)',
        // The same as a code and numbers, for a screen that words it in its own language.
        words: { code: 'embedded-ok', orders: 3 },
      },
    ]);
  });

  test('the self-test passed in: its failure keeps its words, a crash is worded embedded-failed', async () => {
    const lost = new HealthFailure('the in-process pipeline lost orders: 3 sent, 2 on the screen', {
      code: 'embedded-lost',
      sent: 3,
      seen: 2,
    });
    expect(await runHealth({ embedded: () => Promise.reject(lost) })).toEqual([
      {
        stage: 'embedded pipeline',
        ok: false,
        detail: 'the in-process pipeline lost orders: 3 sent, 2 on the screen',
        words: { code: 'embedded-lost', sent: 3, seen: 2 },
      },
    ]);
    expect(await runHealth({ embedded: () => Promise.reject(new Error('boom')) })).toEqual([
      {
        stage: 'embedded pipeline',
        ok: false,
        detail: 'the in-process pipeline failed: boom',
        words: { code: 'embedded-failed' },
      },
    ]);
  });

  test('a probe that hangs fails after the bound with a sentence', async () => {
    const checks = await runHealth({
      timeoutMs: 50,
      kinesis: {
        client: { send: () => new Promise(() => undefined) },
        target: 'nowhere',
        streams: ['s'],
      },
    });
    expect(checks).toEqual([
      {
        stage: 'kinesis s',
        ok: false,
        detail: 'no answer within 0.05 s',
        words: { code: 'timeout', seconds: 0.05 },
      },
    ]);
  });

  test('asked again within the freshness window, the runner answers from memory', async () => {
    let runs = 0;
    const run = healthRunner(() => {
      runs++;
      return {};
    }, 60_000);
    const [a, b] = await Promise.all([run(), run()]);
    await run();
    expect(a).toBe(b);
    expect(runs).toBe(1);
    const fresh = healthRunner(() => {
      runs++;
      return {};
    }, 0);
    await fresh();
    await fresh();
    expect(runs).toBe(3);
  });
});
