import type { JSX } from 'react';
import { formatCount, formatMoney, formatWholeMoney } from '../lib/format';
import { useMessages } from '../i18n';
import type { Messages } from '../i18n/messages';
import { useNow } from '../hooks/useNow';
import { useLivewall } from '../store';
import { kpisSelector, type Kpis } from '../store/selectors';

interface Tile {
  key: keyof Kpis;
  label: keyof Messages['kpi'];
  testId: string;
  money: boolean;
}

const TILES: readonly Tile[] = [
  { key: 'gmv', label: 'gmv', testId: 'kpi-gmv', money: true },
  { key: 'orders', label: 'orders', testId: 'kpi-orders', money: false },
  { key: 'aov', label: 'aov', testId: 'kpi-aov', money: true },
  { key: 'paidOrders', label: 'soldOrders', testId: 'kpi-paid-orders', money: false },
  { key: 'cancelled', label: 'cancelled', testId: 'kpi-cancelled', money: false },
  { key: 'buyers', label: 'buyers', testId: 'kpi-buyers', money: false },
];

/** From ten million yuan the cents go: the number keeps its 72 px and still fits its tile. */
const WHOLE_YUAN_FROM = 10_000_000;

function money(value: number | null): string {
  return value !== null && Math.abs(value) >= WHOLE_YUAN_FROM
    ? formatWholeMoney(value)
    : formatMoney(value);
}

export function KpiTiles(): JSX.Element {
  const now = useNow();
  const kpis = useLivewall((s) => kpisSelector(s, now));
  const t = useMessages();
  return (
    <div className="kpis">
      {TILES.map((tile) => {
        const value = kpis[tile.key];
        return (
          <div key={tile.key} className={`kpi kpi--${tile.key}`}>
            <div className="kpi__label">{t.kpi[tile.label]}</div>
            <div className="kpi__value">
              {tile.money && value !== null && <span className="kpi__unit">¥</span>}
              <span data-testid={tile.testId}>
                {tile.money ? money(value) : formatCount(value)}
              </span>
            </div>
          </div>
        );
      })}
    </div>
  );
}
