/**
 * The one polling helper of the tests: checks a condition until it holds, with a deadline. No Node
 * types, so renderer tests (tsconfig.web.json) use it as well as the server helpers.
 */

export interface PollOptions {
  timeoutMs: number;
  /** Pause between checks (default 100 ms). */
  intervalMs?: number;
  /** Asked before each check and at the deadline: an error ends the wait at once with it. */
  abort?: () => Error | undefined;
  /** Cuts a pause short when it settles (e.g. a process's exit). */
  wake?: Promise<unknown>;
  /** Builds the timeout error from its message (e.g. to attach a process's output). */
  timeoutError?: (message: string) => Error;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `ready` until it returns true, with a deadline. A check that throws counts as "not yet";
 * its last error ends up in the timeout message.
 */
export async function waitFor(
  what: string,
  ready: () => boolean | Promise<boolean>,
  options: PollOptions,
): Promise<void> {
  const { timeoutMs, intervalMs = 100, abort, wake, timeoutError } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const early = abort?.();
    if (early !== undefined) throw early;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // Race the check against the deadline so a hanging check cannot hang the test.
      const result = await Promise.race([
        Promise.resolve().then(ready),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
        }),
      ]);
      if (result) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    } finally {
      clearTimeout(timer);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const early = abort?.();
      if (early !== undefined) throw early;
      const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      const message = `timed out after ${timeoutMs} ms waiting for ${what}${cause}`;
      throw timeoutError ? timeoutError(message) : new Error(message);
    }
    const pause = delay(Math.min(intervalMs, remaining));
    await (wake === undefined ? pause : Promise.race([pause, wake]));
  }
}
