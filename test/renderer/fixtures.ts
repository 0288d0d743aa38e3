import type { BurstProgress, DimValue, MetricRecord, MetricWindow } from '@shared/contracts';

export const DAY = Date.UTC(2026, 10, 24) - 8 * 3_600_000; // 2026-11-24 00:00 in Asia/Shanghai
export const YESTERDAY = DAY - 86_400_000;
export const MINUTE = 60_000;
/** A moment of today (10:00 in Asia/Shanghai): the screen's clock in these tests. */
export const NOW = DAY + 10 * 3_600_000;

/** A metric record with defaults: a 1d total of today. */
export function rec(
  name: string,
  value: number,
  opts: {
    occur?: number;
    window?: MetricWindow;
    start?: number;
    dims?: Record<string, DimValue>;
  } = {},
): MetricRecord {
  return {
    name,
    value,
    occur: opts.occur ?? DAY + 3_600_000,
    window: opts.window ?? '1d',
    start: opts.start ?? DAY,
    dims: opts.dims ?? {},
  };
}

/** A MySQL burst of 1 000 under way: 640 inserted, 120 updated, 35 steps left. */
export const burstProgress = (over: Partial<BurstProgress> = {}): BurstProgress => ({
  burstId: 1,
  target: 'mysql',
  requested: 1000,
  inserted: 640,
  updated: 120,
  failed: 0,
  pendingSteps: 35,
  ...over,
});
