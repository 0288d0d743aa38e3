import { useMemo, type JSX } from 'react';
import { formatCount, formatWholeMoney } from '../lib/format';
import { useMessages } from '../i18n';
import { useNow } from '../hooks/useNow';
import { useLivewall } from '../store';
import { topCitiesSelector } from '../store/selectors';
import { NoData, Panel } from './Panel';

/**
 * Today's top cities as HTML bars: name, bar, value. Plain elements size with rem like the rest of
 * the wall (bar thickness included) and cost little to update ten times a second. A city whose
 * orders are all unpaid keeps its row and value with a zero-width bar.
 */
export function CityChart(): JSX.Element {
  const now = useNow();
  const cities = useLivewall((s) => topCitiesSelector(s, now));
  const t = useMessages();
  // Labels are derived once per change of the selector's result, not on every clock tick.
  const rows = useMemo(() => {
    const max = cities.reduce((m, c) => Math.max(m, c.gmv), 0);
    return cities.map((c) => ({
      city: c.city === '(unknown)' ? t.cities.unknown : c.city,
      share: max > 0 ? Math.max(0, c.gmv / max) : 0,
      label: t.cities.value(formatWholeMoney(c.gmv), formatCount(c.orders)),
    }));
  }, [cities, t]);
  return (
    <Panel title={t.cities.title} className="area-cities" testId="city-chart">
      {rows.length === 0 ? (
        <NoData />
      ) : (
        <ol className="cities">
          {rows.map((r) => (
            <li key={r.city} className="cities__row" data-testid="city-row">
              <span className="cities__name">{r.city}</span>
              <span className="cities__track">
                {/* The style prop goes through the CSSOM, which the page's CSP allows. */}
                <span className="cities__bar" style={{ transform: `scaleX(${r.share})` }} />
              </span>
              <span className="cities__value">{r.label}</span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
