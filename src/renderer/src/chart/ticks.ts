/**
 * Axis ticks on round numbers. recharts' own ticks split the data's range evenly, which gives a
 * wall 5500, 1.1万 and 1.7万; these step by 1, 2 or 5 × 10ⁿ (and whole clock steps for time).
 */

export interface NiceScale {
  /** From 0 up, evenly spaced by `step`. */
  ticks: number[];
  step: number;
  /** The axis top: the last tick, at or above the data's maximum. */
  top: number;
}

const MANTISSAS = [1, 2, 5, 10] as const;

/** The smallest round step (1, 2, 5 × 10ⁿ) that covers `max` from 0 in at most `maxTicks - 1` steps. */
export function niceStep(max: number, maxTicks: number): number {
  const intervals = Math.max(1, Math.floor(maxTicks) - 1);
  const raw = max / intervals;
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of MANTISSAS) {
    const step = m * power;
    // A little tolerance: 3 / 3 must not step up to 2 because of floating point.
    if (step >= raw * (1 - 1e-9)) return step;
  }
  return 10 * power;
}

/**
 * Ticks from 0 to the first round number at or above `max`, at most `maxTicks` of them. Counts
 * pass `integer` so a quiet minute's axis reads 0, 1, 2 and never 0.5.
 */
export function niceScale(max: number, maxTicks = 5, integer = false): NiceScale {
  const top0 = Math.max(0, Number.isFinite(max) ? max : 0);
  let step = niceStep(top0 === 0 ? 1 : top0, maxTicks);
  if (integer && step < 1) step = 1;
  const n = Math.max(1, Math.ceil(top0 / step - 1e-9));
  const ticks: number[] = [];
  // Multiplying (not adding) keeps 0.1 steps free of 0.30000000000000004.
  for (let i = 0; i <= n; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { ticks, step, top: ticks[ticks.length - 1] ?? step };
}

const MINUTE = 60_000;
/** Steps a clock reader counts in: 1, 2, 5, 10, 15, 30 minutes, 1, 2, 3, 6 hours. */
const TIME_STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720] as const;

/**
 * Minute starts in [first, last] on whole clock steps (10:00, 10:15, …) in a zone `offsetMinutes`
 * ahead of UTC, at most `maxTicks` of them.
 */
export function timeTicks(
  first: number,
  last: number,
  maxTicks: number,
  offsetMinutes = 0,
): number[] {
  if (!(last >= first)) return [];
  const span = (last - first) / MINUTE;
  const stepMin =
    TIME_STEPS_MIN.find((s) => Math.floor(span / s) + 1 <= Math.max(1, maxTicks)) ?? 1440;
  const step = stepMin * MINUTE;
  const offset = offsetMinutes * MINUTE;
  const startLocal = Math.ceil((first + offset) / step) * step;
  const ticks: number[] = [];
  for (let t = startLocal - offset; t <= last; t += step) ticks.push(t);
  return ticks;
}
