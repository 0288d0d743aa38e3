import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatClock } from '../lib/format';
import { useMessages } from '../i18n';
import { useLivewall } from '../store';
import { freshnessSelector, feedStatusSelector } from '../store/selectors';

/** Problems the wall must say out loud: a quiet source, a broken or reconnecting one. */
export function Banners(): JSX.Element {
  const { lastRecordAt, stale } = useLivewall(useShallow(freshnessSelector));
  const status = useLivewall(feedStatusSelector);
  const t = useMessages();
  const problem = status !== null && status.state !== 'ok' ? status.state : null;
  return (
    <div className="banners" aria-live="polite">
      {status && problem && (
        <div
          className={`banner banner--${problem}`}
          data-testid="status-banner"
          role="alert"
          title={status.message ?? ''}
        >
          {/* The source's own sentence is English: it shows where English is on screen. */}
          {t.showsServerText && status.message ? status.message : t.banner.source[problem]}
        </div>
      )}
      {stale && (
        <div className="banner banner--stale" data-testid="stale-banner">
          {lastRecordAt === null
            ? t.banner.noDataYet
            : t.banner.noDataSince(formatClock(lastRecordAt))}
        </div>
      )}
    </div>
  );
}
