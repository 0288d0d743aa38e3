import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatAge, formatClock, formatDate, freshnessLevel } from '../format';
import { useNow } from '../hooks/useNow';
import { useLivewall } from '../store';
import { freshnessSelector, sourceStatusSelector } from '../store/selectors';
import { HealthButton } from './HealthPanel';

const STATE_TEXT = { ok: 'ok', connecting: 'connecting', error: 'error' } as const;

function Clock(): JSX.Element {
  const now = useNow();
  return (
    <div className="clock">
      <span className="clock__date">{formatDate(now)}</span>
      <span className="clock__time">{formatClock(now)}</span>
    </div>
  );
}

function SourceChip(): JSX.Element {
  const status = useLivewall(sourceStatusSelector);
  const state = status?.state ?? 'none';
  return (
    <span
      className={`chip chip--${state}`}
      data-testid="source-status"
      title={status?.message ?? ''}
    >
      <span className="chip__dot" />
      {status ? `${status.source} · ${STATE_TEXT[status.state]}` : 'source —'}
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
