/** Exponential backoff with jitter, and an abortable sleep: shared by every retrying service. */
import { backoffDelay } from '@shared/backoff';

export type BackoffPolicy = { initialMs: number; maxMs: number };

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 5_000 };

/** The pause before retry number `attempt` (0-based): doubling, capped, with ±25% jitter. */
export function backoffMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return backoffDelay(attempt, Math.random(), { ...policy, jitter: 0.25 });
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
