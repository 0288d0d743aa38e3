import type { JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatAge, formatClock, formatDate, freshnessLevel } from '../lib/format';
import { useNow } from '../hooks/useNow';
import { useMessages } from '../i18n';
import { useLivewall } from '../store';
import { freshnessSelector, feedStatusSelector, workshopRecordsSelector } from '../store/selectors';
import { HealthButton } from './HealthPanel';

function Clock(): JSX.Element {
  const now = useNow();
  const t = useMessages();
  return (
    <div className="clock">
      <span className="clock__date" data-testid="clock-date">
        {formatDate(now, t)}
      </span>
      <span className="clock__time">{formatClock(now)}</span>
    </div>
  );
}

/** Lag below this is the normal rhythm of polling, not worth a word on a wall. */
const LAG_SHOWN_MS = 5_000;

function SourceChip(): JSX.Element {
  const status = useLivewall(feedStatusSelector);
  const workshop = useLivewall(workshopRecordsSelector);
  const t = useMessages();
  const state = status?.state ?? 'none';
  const name = status ? (t.header.sources[status.source] ?? status.source) : null;
  const engine = status?.engine;
  return (
    <span
      className={`chip chip--${state}`}
      data-testid="source-status"
      // Server words (the source's sentence, the engine's detail) are English: only where it is read.
      title={t.showsServerText ? [status?.message, engine?.detail].filter(Boolean).join(' — ') : ''}
    >
      <span className="chip__dot" />
      {status && name ? `${name} · ${t.header.sourceState[status.state]}` : t.header.noSource}
      {/* Which engine fills the metrics, as it named itself on the stream. */}
      {engine && (
        <span data-testid="source-engine" data-engine={engine.kind}>
          {' · '}
          {t.header.engines[engine.kind]}
        </span>
      )}
      {workshop && <span data-testid="source-workshop"> · {t.header.workshopRecords}</span>}
      {/* A stream read behind its newest record: the screen shows the past, say by how much. */}
      {status?.lagMs !== undefined && status.lagMs >= LAG_SHOWN_MS && (
        <span className="chip__lag" data-testid="source-lag">
          {' · '}
          {t.header.behind(String(Math.round(status.lagMs / 1000)))}
        </span>
      )}
    </span>
  );
}

function Freshness(): JSX.Element {
  const { lastRecordAt } = useLivewall(useShallow(freshnessSelector));
  const now = useNow();
  const t = useMessages();
  const age = lastRecordAt === null ? null : now - lastRecordAt;
  return (
    <span className={`freshness freshness--${freshnessLevel(age)}`} data-testid="freshness">
      {age === null ? t.header.noDataYet : formatAge(age, t)}
    </span>
  );
}

export function Header(): JSX.Element {
  const t = useMessages();
  return (
    <header className="header">
      <h1 className="header__title">{t.title}</h1>
      <div className="header__meta">
        <HealthButton />
        <SourceChip />
        <Freshness />
        <Clock />
      </div>
    </header>
  );
}
