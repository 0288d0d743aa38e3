/**
 * Where reading a stream starts: `today` (midnight in the configured zone, so a restarted screen
 * shows the whole day at once), `latest`, `trim` (the oldest record kept) or an ISO time.
 */
import { fail, ok, type Result } from '@shared/result';
import { dayStart } from '@shared/time';

export type StartPosition =
  { type: 'LATEST' } | { type: 'TRIM_HORIZON' } | { type: 'AT_TIMESTAMP'; timestamp: number };

export function parseStartPosition(
  text: string,
  opts: { timeZone: string; now?: number },
): Result<StartPosition> {
  const now = opts.now ?? Date.now();
  switch (text) {
    case 'latest':
      return ok({ type: 'LATEST' });
    case 'trim':
      return ok({ type: 'TRIM_HORIZON' });
    case 'today':
      return ok({ type: 'AT_TIMESTAMP', timestamp: dayStart(now, opts.timeZone) });
  }
  // An ISO time needs at least a date; a bare word is a typo, not a time.
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    return fail(
      `--from must be latest, trim, today or an ISO time such as 2026-11-24T08:00:00+08:00, not "${text}"`,
    );
  }
  if (ms > now) return fail(`--from ${text} is in the future`);
  return ok({ type: 'AT_TIMESTAMP', timestamp: ms });
}
