import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatClock } from '../lib/format';
import { useLivewall } from '../store';
import { freshnessSelector, feedStatusSelector } from '../store/selectors';

/** Problems the wall must say out loud: a quiet source, a broken or reconnecting one. */
export function Banners(): JSX.Element {
  const { lastRecordAt, stale } = useLivewall(useShallow(freshnessSelector));
  const status = useLivewall(feedStatusSelector);
  const showStatus = status !== null && status.state !== 'ok';
  return (
    <div className="banners" aria-live="polite">
      {showStatus && (
        <div className={`banner banner--${status.state}`} data-testid="status-banner" role="alert">
          {status.message ?? `${status.source}: ${status.state}`}
        </div>
      )}
      {stale && (
        <div className="banner banner--stale" data-testid="stale-banner">
          {lastRecordAt === null
            ? 'No data received yet'
            : `No new data since ${formatClock(lastRecordAt)}`}
        </div>
      )}
    </div>
  );
}
