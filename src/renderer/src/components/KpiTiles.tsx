import type { JSX } from 'react';
import { formatCount, formatMoney } from '../lib/format';
import { useLivewall } from '../store';
import { kpisSelector, type Kpis } from '../store/selectors';

interface Tile {
  key: keyof Kpis;
  label: string;
  testId: string;
  money: boolean;
}

const TILES: readonly Tile[] = [
  { key: 'gmv', label: '今日 GMV', testId: 'kpi-gmv', money: true },
  { key: 'orders', label: '订单数 Orders', testId: 'kpi-orders', money: false },
  { key: 'aov', label: '客单价 AOV', testId: 'kpi-aov', money: true },
  { key: 'paidOrders', label: '成交单 Paid', testId: 'kpi-paid-orders', money: false },
  { key: 'cancelled', label: '取消单 Cancelled', testId: 'kpi-cancelled', money: false },
  { key: 'buyers', label: '买家 Buyers', testId: 'kpi-buyers', money: false },
];

export function KpiTiles(): JSX.Element {
  const kpis = useLivewall(kpisSelector);
  return (
    <div className="kpis">
      {TILES.map((t) => {
        const value = kpis[t.key];
        return (
          <div key={t.key} className={`kpi kpi--${t.key}`}>
            <div className="kpi__label">{t.label}</div>
            <div className="kpi__value">
              {t.money && value !== null && <span className="kpi__unit">¥</span>}
              <span data-testid={t.testId}>
                {t.money ? formatMoney(value) : formatCount(value)}
              </span>
            </div>
          </div>
        );
      })}
    </div>
  );
}
