import { useRef, useState, type ChangeEvent, type FormEvent, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MAX_BURST_ORDERS } from '@shared/contracts';
import { formatBurstProgress, formatBurstSummary, formatCount } from '../lib/format';
import { useMessages } from '../i18n';
import { useLivewall } from '../store';
import {
  burstFraction,
  burstTargetsSelector,
  burstViewSelector,
  passwordSelector,
} from '../store/selectors';
import type { LivewallState } from '../store/store';

const PRESETS = [100, 1000, 10000] as const;

/**
 * The password goes to the OS keychain through the app's main process; a browser has no such
 * way (the server takes LIVEWALL_MYSQL_PASSWORD instead), so the row is only in the app.
 */
const IN_APP = typeof window !== 'undefined' && window.livewall !== undefined;

const burstAction = (s: LivewallState): LivewallState['burst'] => s.burst;
const selectTargetAction = (s: LivewallState): LivewallState['selectBurstTarget'] =>
  s.selectBurstTarget;
const savePasswordAction = (s: LivewallState): LivewallState['saveMySqlPassword'] =>
  s.saveMySqlPassword;

/**
 * Sends a burst of simulated orders to the selected target. A preset button sends its number at
 * once (as the app menu does); "Send" sends what the input holds.
 */
export function BurstPanel(): JSX.Element {
  const { running, requested, lastSummary, lastError, progress, external } = useLivewall(
    useShallow(burstViewSelector),
  );
  const { targets, target, nowhere } = useLivewall(useShallow(burstTargetsSelector));
  // Nothing to send to (a Kinesis screen without MySQL): say so instead of inviting a refusal.
  const blocked = running || nowhere;
  const burst = useLivewall(burstAction);
  const selectTarget = useLivewall(selectTargetAction);
  const [text, setText] = useState('1000');
  const t = useMessages();

  const send = (orders: number): void => {
    void burst(orders);
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    // Empty or non-numeric input becomes NaN, which the request parser refuses with a sentence.
    send(text.trim() === '' ? Number.NaN : Number(text));
  };
  const onTarget = (e: ChangeEvent<HTMLSelectElement>): void => {
    const chosen = targets.find((t) => t.id === e.target.value);
    if (chosen) selectTarget(chosen.id);
  };

  const fraction = burstFraction(progress, requested);
  // How far a failed burst got matters: a MySQL burst may have written part of its orders.
  const showProgressLine = running || external || (lastError !== null && progress !== null);

  return (
    // A slim strip while idle: the wall's space is for data. It grows a row while a burst runs.
    <section
      className={`panel area-burst${running || external ? ' area-burst--running' : ''}`}
      data-testid="burst-panel"
    >
      <div className="burst__head">
        <h2 className="panel__title">{t.burst.title}</h2>
        {/* In the title row: the panel is short, and the password row may need the room. */}
        {targets.length > 1 && (
          <select
            className="burst__select"
            data-testid="burst-target"
            value={target ?? ''}
            onChange={onTarget}
            disabled={running}
            aria-label={t.burst.target}
          >
            {targets.map((o) => (
              <option key={o.id} value={o.id}>
                {/* The server names its targets in English; zh names the demo table itself. */}
                {o.id === 'embedded' && !t.showsServerText ? t.burst.targets.embedded : o.label}
              </option>
            ))}
          </select>
        )}
      </div>
      <form className="panel__body burst" onSubmit={onSubmit}>
        <div className="burst__row">
          <input
            className="burst__input"
            data-testid="burst-input"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_BURST_ORDERS}
            step={1}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-label={t.burst.ordersInput}
          />
          <button
            className="btn btn--primary"
            type="submit"
            data-testid="burst-send"
            disabled={blocked}
          >
            {t.burst.send}
          </button>
        </div>
        <div className="burst__row">
          {PRESETS.map((orders) => (
            <button
              key={orders}
              className="btn"
              type="button"
              data-testid={`burst-${orders}`}
              disabled={blocked}
              onClick={() => {
                setText(String(orders));
                send(orders);
              }}
            >
              {formatCount(orders)}
            </button>
          ))}
        </div>
        <div className="burst__outcome" aria-live="polite">
          {nowhere && (
            <span className="burst__nowhere" data-testid="burst-nowhere">
              {t.burst.nowhere}
            </span>
          )}
          {running && (
            <span className="burst__running" data-testid="burst-running">
              {t.burst.sending(formatCount(requested))}
            </span>
          )}
          {!running && lastSummary && (
            <span className="burst__result" data-testid="burst-result">
              {formatBurstSummary(lastSummary, t)}
            </span>
          )}
          {!running && lastError && (
            <span className="burst__error" data-testid="burst-error" role="alert" title={lastError}>
              {/* Refusals are the server's English sentences: shown where English is. */}
              {t.showsServerText ? lastError : t.burst.failed}
            </span>
          )}
          {showProgressLine && (
            <div className="burst__progress" data-testid="burst-progress">
              {formatBurstProgress(progress, requested, t)}
            </div>
          )}
          {(running || progress !== null) && (
            <div
              className={`burst__bar${running ? '' : lastError ? ' burst__bar--failed' : ' burst__bar--settled'}`}
              data-testid="burst-progress-bar"
              role="progressbar"
              aria-label={t.burst.progressLabel}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(fraction * 100)}
            >
              {/* The style prop goes through the CSSOM, which the page's CSP allows. */}
              <div className="burst__bar-fill" style={{ transform: `scaleX(${fraction})` }} />
            </div>
          )}
        </div>
      </form>
      {IN_APP && target === 'mysql' && <MySqlPasswordRow />}
    </section>
  );
}

/**
 * Hands a typed password to the keychain. The input is uncontrolled, so the password lives only
 * in the DOM field until it is sent, and the field is cleared at once.
 */
function MySqlPasswordRow(): JSX.Element {
  const { saving, message, saved } = useLivewall(passwordSelector);
  const save = useLivewall(savePasswordAction);
  const input = useRef<HTMLInputElement>(null);
  const [filled, setFilled] = useState(false);
  const t = useMessages();

  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    const field = input.current;
    if (!field) return;
    const password = field.value;
    field.value = '';
    setFilled(false);
    void save(password);
  };

  const tone =
    saving || saved === null ? '' : saved ? ' burst__message--ok' : ' burst__message--error';
  return (
    <form className="burst__password" onSubmit={onSubmit}>
      <div className="burst__row">
        <input
          ref={input}
          className="burst__input"
          data-testid="mysql-password"
          type="password"
          autoComplete="off"
          placeholder={t.burst.passwordPlaceholder}
          aria-label={t.burst.passwordPlaceholder}
          onChange={(e) => setFilled(e.target.value !== '')}
        />
        <button
          className="btn btn--primary"
          type="submit"
          data-testid="mysql-password-save"
          disabled={saving || !filled}
        >
          {t.burst.passwordSave}
        </button>
      </div>
      <div
        className={`burst__message${tone}`}
        data-testid="mysql-password-message"
        aria-live="polite"
      >
        {saving
          ? t.burst.passwordSaving
          : message === null || t.showsServerText
            ? (message ?? '')
            : saved
              ? t.burst.passwordSaved
              : t.burst.passwordFailed}
      </div>
    </form>
  );
}
