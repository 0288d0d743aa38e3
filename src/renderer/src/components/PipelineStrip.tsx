import { useEffect, type JSX } from 'react';
import type { HealthCheck } from '@shared/contracts';
import { healthDetail } from '../lib/format';
import { useMessages } from '../i18n';
import type { Messages } from '../i18n/messages';
import { useLivewall } from '../store';
import { healthSelector } from '../store/selectors';
import type { LivewallState } from '../store/store';

/** How often the strip asks for a fresh run; main answers repeated asks from one run. */
export const PIPELINE_REFRESH_MS = 15_000;

const runAction = (s: LivewallState): LivewallState['runHealth'] => s.runHealth;
const openAction = (s: LivewallState): LivewallState['openHealth'] => s.openHealth;

/** "4 s", "3 min", "2 h": the age of a stage's newest data, read from across a room. */
export function chipAge(ageMs: number, t: Messages): string {
  const s = Math.max(0, Math.round(ageMs / 1000));
  if (s < 90) return t.pipeline.ageSeconds(String(s));
  const min = Math.round(s / 60);
  return min < 90
    ? t.pipeline.ageMinutes(String(min))
    : t.pipeline.ageHours(String(Math.round(min / 60)));
}

function Chip({ check, onOpen }: { check: HealthCheck; onOpen: () => void }): JSX.Element {
  const t = useMessages();
  const label = t.pipeline.stages[check.stage] ?? check.stage;
  return (
    <button
      type="button"
      className={`chip chip--button ${check.ok ? 'chip--ok' : 'chip--error'}`}
      data-testid="pipeline-chip"
      data-stage={check.stage}
      data-ok={check.ok ? 'true' : 'false'}
      title={`${label} ${check.ok ? t.health.passed : t.health.failed}: ${healthDetail(check, t)}`}
      onClick={onOpen}
    >
      <span className="chip__dot" />
      {label}
      {check.ageMs !== undefined && <span className="chip__lag"> · {chipAge(check.ageMs, t)}</span>}
    </button>
  );
}

/**
 * Every configured stage of the pipeline as a chip, in flow order, always on screen: green or
 * red and the age of its newest data. It asks for a run every 15 s (one at a time: the store
 * skips an ask while a run is under way); a click opens the detail with the remedies.
 */
export function PipelineStrip({
  refreshMs = PIPELINE_REFRESH_MS,
}: {
  refreshMs?: number;
}): JSX.Element {
  const { checks, running, error } = useLivewall(healthSelector);
  const runHealth = useLivewall(runAction);
  const openHealth = useLivewall(openAction);
  const t = useMessages();

  useEffect(() => {
    void runHealth();
    const timer = setInterval(() => void runHealth(), refreshMs);
    return () => clearInterval(timer);
  }, [runHealth, refreshMs]);

  const open = (): void => void openHealth();
  return (
    <nav
      className="pipeline-strip"
      data-testid="pipeline-strip"
      aria-label={t.pipeline.title}
      style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '0.5rem' }}
    >
      <span className="panel__title">{t.pipeline.title}</span>
      {checks?.map((c, i) => (
        <Chip key={`${i}:${c.stage}`} check={c} onOpen={open} />
      ))}
      {checks === null && running && <span className="chip">{t.pipeline.checking}</span>}
      {checks?.length === 0 && <span className="chip">{t.pipeline.nothing}</span>}
      {checks === null && !running && error !== null && (
        <button
          type="button"
          className="chip chip--button chip--error"
          title={error}
          onClick={open}
        >
          <span className="chip__dot" />
          {t.pipeline.failedRun}
        </button>
      )}
    </nav>
  );
}
