/**
 * Which change events the engine folds, and why the others are skipped: the one statement of the
 * rules is test/vectors/rowChecks.json, which the Flink job's tests read too. A record that fails
 * is counted under its reason and named, never folded: one bad row must not take over the wall
 * (a create_time in 9999 made "today" a day in year 9999) or poison the state (a ts of 1e306
 * made every occur Infinity, which JSON writes as null).
 */

/** Why a change event was not folded (test/vectors/rowChecks.json). */
export const SKIP_REASONS = [
  'malformed',
  'other-database',
  'other-table',
  'ts-out-of-range',
  'amount-out-of-range',
  'create-time-invalid',
  'create-time-future',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Default tolerance for a `ts` or `create_time` ahead of the clock (clocks drift; days do not). */
export const DEFAULT_MAX_FUTURE_MS = 86_400_000;

/** Cents beyond this lose their exactness as numbers (and as a BIGINT sum in the Flink job). */
export const MAX_CENTS = Number.MAX_SAFE_INTEGER;

/** `ts` (seconds) within [0, now + maxFuture]; false for NaN and ±Infinity too. */
export function tsInRange(ts: number, nowMs: number, maxFutureMs: number): boolean {
  return ts >= 0 && ts * 1000 <= nowMs + maxFutureMs;
}

/** The amount in whole cents, or null when it is not finite or its cents pass ±(2^53 − 1). */
export function centsOf(amount: number): number | null {
  const cents = Math.round(amount * 100);
  return cents <= MAX_CENTS && cents >= -MAX_CENTS ? cents : null;
}

/** Counts per reason, all present (zeros included), for status lines and health. */
export function emptySkipCounts(): Record<SkipReason, number> {
  const out = {} as Record<SkipReason, number>;
  for (const r of SKIP_REASONS) out[r] = 0;
  return out;
}
