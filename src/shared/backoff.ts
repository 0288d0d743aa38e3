/** Exponential backoff with jitter, as one pure formula for main's retries and the screen's reconnect. */

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Spread around the nominal pause, as a fraction (0.25 = ±25 %). */
  jitter: number;
}

/**
 * The pause before retry number `attempt` (0-based): doubling from `initialMs`, capped at `maxMs`,
 * spread by ±`jitter` so many clients that lost the same server do not come back in lockstep, and
 * kept within [initialMs, maxMs]. `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, random: number, policy: BackoffPolicy): number {
  const { initialMs, maxMs, jitter } = policy;
  const nominal = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  const spread = nominal * (1 - jitter + 2 * jitter * random);
  return Math.round(Math.min(maxMs, Math.max(initialMs, spread)));
}
