import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatAge, formatClock, formatDate, freshnessLevel } from '../lib/format';
import { useNow } from '../hooks/useNow';
import { useLivewall } from '../store';
import { freshnessSelector, feedStatusSelector, workshopRecordsSelector } from '../store/selectors';
import { HealthButton } from './HealthPanel';

const STATE_TEXT = { ok: 'ok', connecting: 'connecting', error: 'error' } as const;
/** The stream carries the workshop Flink job's `amount` records (shown on the GMV tile). */
const WORKSHOP_TEXT = '工作坊作业记录 workshop job records';

function Clock(): JSX.Element {
  const now = useNow();
  return (
    <div className="clock">
      <span className="clock__date">{formatDate(now)}</span>
      <span className="clock__time">{formatClock(now)}</span>
    </div>
  );
}

/** Lag below this is the normal rhythm of polling, not worth a word on a wall. */
const LAG_SHOWN_MS = 5_000;

function SourceChip(): JSX.Element {
  const status = useLivewall(feedStatusSelector);
  const workshop = useLivewall(workshopRecordsSelector);
  const state = status?.state ?? 'none';
  return (
    <span
      className={`chip chip--${state}`}
      data-testid="source-status"
      title={status?.message ?? ''}
    >
      <span className="chip__dot" />
      {status ? `${status.source} · ${STATE_TEXT[status.state]}` : 'source —'}
      {workshop && <span data-testid="source-workshop"> · {WORKSHOP_TEXT}</span>}
      {/* A stream read behind its newest record: the screen shows the past, say by how much. */}
      {status?.lagMs !== undefined && status.lagMs >= LAG_SHOWN_MS && (
        <span className="chip__lag" data-testid="source-lag">
          {' '}
          · behind {Math.round(status.lagMs / 1000)} s
        </span>
      )}
    </span>
  );
}

function Freshness(): JSX.Element {
  const { lastRecordAt } = useLivewall(useShallow(freshnessSelector));
  const now = useNow();
  const age = lastRecordAt === null ? null : now - lastRecordAt;
  return (
    <span className={`freshness freshness--${freshnessLevel(age)}`} data-testid="freshness">
      {age === null ? 'no data yet' : formatAge(age)}
    </span>
  );
}

export function Header(): JSX.Element {
  return (
    <header className="header">
      <h1 className="header__title">livewall · 实时订单大屏</h1>
      <div className="header__meta">
        <HealthButton />
        <SourceChip />
        <Freshness />
        <Clock />
      </div>
    </header>
  );
}
