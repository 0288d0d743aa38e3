import { useEffect, useLayoutEffect, useRef, useState, type JSX, type MouseEvent } from 'react';
import { formatClock, formatHealthSummary, healthDetail } from '../lib/format';
import { useMessages } from '../i18n';
import { useLivewall } from '../store';
import { healthLevelSelector, healthSelector, type HealthLevel } from '../store/selectors';
import type { LivewallState } from '../store/store';
import { chipAge } from './PipelineStrip';

const openAction = (s: LivewallState): LivewallState['openHealth'] => s.openHealth;
const closeAction = (s: LivewallState): LivewallState['closeHealth'] => s.closeHealth;
const runAction = (s: LivewallState): LivewallState['runHealth'] => s.runHealth;
const openSelector = (s: LivewallState): boolean => s.health.open;

/** The header chip's colour classes: grey (no class) unknown, green all ok, red any failed. */
const CHIP: Record<HealthLevel, string> = { unknown: '', ok: ' chip--ok', failed: ' chip--error' };

const PANEL_ID = 'health-panel';

/**
 * The header's button: its dot shows the last run's result; a click opens the panel (which runs
 * the checks), a click while it is open closes it. It stays above the overlay for that reason.
 */
export function HealthButton(): JSX.Element {
  const level = useLivewall(healthLevelSelector);
  const open = useLivewall(openSelector);
  const openHealth = useLivewall(openAction);
  const closeHealth = useLivewall(closeAction);
  const t = useMessages();
  return (
    <button
      type="button"
      className={`chip chip--button${CHIP[level]}`}
      data-testid="health-open"
      data-level={level}
      aria-expanded={open}
      aria-controls={open ? PANEL_ID : undefined}
      title={t.header.healthTitle[level]}
      onClick={() => (open ? closeHealth() : void openHealth())}
    >
      <span className="chip__dot" />
      {t.header.health}
    </button>
  );
}

/**
 * The pipeline's health checks in a card over the screen: one row per configured stage, what
 * works or what is wrong and what to do. Closed by its button, Escape, or a click beside it.
 */
export function HealthPanel(): JSX.Element | null {
  const { open, running, checks, error, ranAt } = useLivewall(healthSelector);
  const level = useLivewall(healthLevelSelector);
  const closeHealth = useLivewall(closeAction);
  const runHealth = useLivewall(runAction);
  const card = useRef<HTMLElement>(null);
  const t = useMessages();

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement;
    // Focus moves into the card so a keyboard (or a screen reader) starts there.
    card.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') closeHealth();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      // Back to where the user was, unless they have moved on (e.g. clicked elsewhere).
      const now = document.activeElement;
      if ((now === null || now === document.body) && previous instanceof HTMLElement) {
        previous.focus();
      }
    };
  }, [open, closeHealth]);

  // The card starts below the header, however many lines the header takes (it wraps where its
  // chips do not fit beside the title): the header stays on top, so it must not cover the card.
  const [headerBottom, setHeaderBottom] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (!open) return;
    const header = document.querySelector('.header');
    if (!header) return;
    const measure = (): void => setHeaderBottom(header.getBoundingClientRect().bottom);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(header);
    return () => observer.disconnect();
  }, [open]);

  if (!open) return null;

  const onBackdrop = (e: MouseEvent<HTMLDivElement>): void => {
    if (e.target === e.currentTarget) closeHealth();
  };

  return (
    // The backdrop is a mouse convenience; Escape and the close button serve the keyboard.
    <div
      className="health-overlay"
      onClick={onBackdrop}
      style={
        headerBottom === null ? undefined : { paddingTop: `calc(${headerBottom}px + var(--gap))` }
      }
    >
      <section
        ref={card}
        id={PANEL_ID}
        className="health"
        data-testid="health-panel"
        role="dialog"
        aria-labelledby="health-title"
        tabIndex={-1}
      >
        <div className="health__head">
          <h2 className="panel__title health__title" id="health-title">
            {t.health.title}
          </h2>
          <button
            type="button"
            className="btn health__close"
            data-testid="health-close"
            aria-label={t.health.closeLabel}
            onClick={closeHealth}
          >
            {t.health.close}
          </button>
        </div>

        <div className="health__status" aria-live="polite">
          {running ? (
            <span className="health__running" data-testid="health-running">
              {t.health.checking}
            </span>
          ) : (
            checks && (
              <span
                className={`health__summary health__summary--${level}`}
                data-testid="health-summary"
              >
                {formatHealthSummary(checks, t)}
              </span>
            )
          )}
          {!running && ranAt !== null && (
            <span className="health__time" data-testid="health-time">
              {t.health.checkedAt(formatClock(ranAt))}
            </span>
          )}
        </div>

        {!running && error !== null && (
          <div className="health__error" data-testid="health-error" role="alert" title={error}>
            {t.showsServerText ? error : t.health.runFailed}
          </div>
        )}

        {!running && checks && checks.length > 0 && (
          <ul className="health__list">
            {checks.map((c, i) => (
              <li
                // Stages may repeat in principle (two streams of one name); the order is stable.
                key={`${i}:${c.stage}`}
                className={`health__check health__check--${c.ok ? 'ok' : 'failed'}`}
                data-testid="health-check"
                data-stage={c.stage}
                data-ok={c.ok}
              >
                <span
                  className="health__mark"
                  aria-label={c.ok ? t.health.passed : t.health.failed}
                >
                  {c.ok ? '✓' : '✗'}
                </span>
                <div className="health__text">
                  <strong className="health__stage">{t.pipeline.stages[c.stage] ?? c.stage}</strong>
                  <span className="health__detail" data-testid="health-detail">
                    {healthDetail(c, t)}
                  </span>
                  {c.ageMs !== undefined && (
                    <span className="health__age" data-testid="health-age">
                      {t.pipeline.newest} {chipAge(c.ageMs, t)}
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}

        <div className="health__foot">
          <span className="health__hint">{t.health.escCloses}</span>
          <button
            type="button"
            className="btn btn--primary"
            data-testid="health-run"
            disabled={running}
            onClick={() => void runHealth()}
          >
            {t.health.runAgain}
          </button>
        </div>
      </section>
    </div>
  );
}
