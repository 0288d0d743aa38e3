/**
 * At most one probe run at a time, however many screens ask: a run under way is shared, and a
 * finished one is answered from memory for `freshMs` (counted from when it ended), so a wall of
 * browsers refreshing every 15 s costs one run per interval, not one per browser.
 */
export function singleFlight<T>(
  run: () => Promise<T>,
  freshMs: number,
  now: () => number = Date.now,
): () => Promise<T> {
  let last: { endedAt: number | null; value: Promise<T> } | null = null;
  return () => {
    if (last && (last.endedAt === null || now() - last.endedAt < freshMs)) return last.value;
    const value = run();
    const entry = { endedAt: null as number | null, value };
    last = entry;
    const ended = (): void => {
      entry.endedAt = now();
    };
    value.then(ended, ended);
    return value;
  };
}
