import { describe, expect, test } from 'vitest';
import {
  formatBurstProgress,
  formatBurstSummary,
  formatMoney,
} from '../../../src/renderer/src/lib/format';
import { burstProgress } from '../fixtures';

const p = burstProgress;

describe('burst progress line', () => {
  test.each([
    ['before the first push', null, 1000, 'inserted 0 of 1,000'],
    [
      'with updates and steps left',
      p(),
      1000,
      'inserted 640 of 1,000 · updated 120 · 35 steps left',
    ],
    [
      'one step left',
      p({ pendingSteps: 1 }),
      1000,
      'inserted 640 of 1,000 · updated 120 · 1 step left',
    ],
    ['zeros left out', p({ updated: 0, pendingSteps: 0 }), 1000, 'inserted 640 of 1,000'],
    [
      'failures shown',
      p({ inserted: 12_000, requested: 20_000, failed: 3, updated: 0, pendingSteps: 0 }),
      20_000,
      'inserted 12,000 of 20,000 · failed 3',
    ],
  ])('%s', (_name, progress, requested, want) => {
    expect(formatBurstProgress(progress, requested)).toBe(want);
  });

  test('the result line stays as the e2e tests read it', () => {
    expect(formatBurstSummary({ inserted: 1000, updated: 0, failed: 0 })).toBe(
      'inserted 1000, updated 0, failed 0',
    );
  });
});

describe('money', () => {
  // The engine writes aov unrounded (gmv / paid_orders); the screen shows cents.
  test.each([
    [30.01 / 3, '10.00'],
    [100 / 3, '33.33'],
    [2 / 3, '0.67'],
    [1234.5, '1,234.50'],
    [null, '—'],
  ])('%s shows as %s', (value, want) => {
    expect(formatMoney(value)).toBe(want);
  });
});
