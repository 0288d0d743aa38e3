import { useState, type FormEvent, type JSX } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MAX_BURST_ORDERS } from '@shared/parse';
import { formatBurstSummary, formatCount } from '../format';
import { useLivewall } from '../store';
import { burstViewSelector } from '../store/selectors';
import type { LivewallState } from '../store/store';

const PRESETS = [
  { orders: 100, label: '100' },
  { orders: 1000, label: '1 000' },
  { orders: 10000, label: '10 000' },
] as const;

const burstAction = (s: LivewallState): LivewallState['burst'] => s.burst;

/**
 * Sends a burst of simulated orders. A preset button sends its number at once (as the app menu
 * does); "Send" sends what the input holds.
 */
export function BurstPanel(): JSX.Element {
  const { running, requested, lastSummary, lastError } = useLivewall(useShallow(burstViewSelector));
  const burst = useLivewall(burstAction);
  const [text, setText] = useState('1000');

  const send = (orders: number): void => {
    void burst(orders);
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    // Empty or non-numeric input becomes NaN, which the request parser refuses with a sentence.
    send(text.trim() === '' ? Number.NaN : Number(text));
  };

  return (
    <section className="panel area-burst">
      <h2 className="panel__title">模拟下单 · Burst orders</h2>
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
            aria-label="Orders to send"
          />
          <button
            className="btn btn--primary"
            type="submit"
            data-testid="burst-send"
            disabled={running}
          >
            Send
          </button>
        </div>
        <div className="burst__row">
          {PRESETS.map((p) => (
            <button
              key={p.orders}
              className="btn"
              type="button"
              data-testid={`burst-${p.orders}`}
              disabled={running}
              onClick={() => {
                setText(String(p.orders));
                send(p.orders);
              }}
            >
              {p.label}
            </button>
          ))}
        </div>
        <div className="burst__outcome" aria-live="polite">
          {running && (
            <span className="burst__running" data-testid="burst-running">
              sending {formatCount(requested)} orders…
            </span>
          )}
          {!running && lastSummary && (
            <span className="burst__result" data-testid="burst-result">
              {formatBurstSummary(lastSummary)}
            </span>
          )}
          {!running && lastError && (
            <span className="burst__error" data-testid="burst-error" role="alert">
              {lastError}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
