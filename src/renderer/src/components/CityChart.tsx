import { useMemo, type JSX } from 'react';
import { Bar, BarChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount, formatMoney, formatWholeMoney } from '../format';
import { useRemPx } from '../hooks/useRemPx';
import { useMessages } from '../i18n';
import { useLivewall } from '../store';
import { topCitiesSelector } from '../store/selectors';
import { COLORS, strokes, tickStyle, tooltipStyle } from './chartTheme';
import { NoData, Panel } from './Panel';

export function CityChart(): JSX.Element {
  const cities = useLivewall(topCitiesSelector);
  const rem = useRemPx();
  const t = useMessages();
  const tick = tickStyle(rem);
  const bar = strokes(rem).bar;
  // Labels are derived once per change of the selector's result, not on every clock tick.
  const data = useMemo(
    () =>
      cities.map((c) => ({
        ...c,
        city: c.city === '(unknown)' ? t.cities.unknown : c.city,
        label: t.cities.value(formatWholeMoney(c.gmv), formatCount(c.orders)),
      })),
    [cities, t],
  );
  return (
    <Panel title={t.cities.title} className="area-cities" testId="city-chart">
      {data.length === 0 ? (
        <NoData />
      ) : (
        <BarChart
          responsive
          style={{ width: '100%', height: '100%' }}
          layout="vertical"
          data={data}
          margin={{ top: 0, right: 0, bottom: 0, left: 0 }}
          barCategoryGap="18%"
        >
          <XAxis type="number" hide />
          <YAxis
            type="category"
            dataKey="city"
            tick={{ ...tick, fill: COLORS.text, fontSize: Math.round(rem * 1.2) }}
            tickLine={false}
            axisLine={false}
            width="auto"
            interval={0}
          />
          <Tooltip
            contentStyle={{ ...tooltipStyle, fontSize: tick.fontSize }}
            cursor={{ fill: 'rgba(56, 189, 248, 0.08)' }}
            formatter={(value) => [`¥${formatMoney(Number(value))}`, t.kpi.gmv]}
            isAnimationActive={false}
          />
          {/* Values as a right-hand axis, not bar labels: a city whose orders are all unpaid has a
              zero-width bar, and recharts draws no label for it. */}
          <YAxis
            yAxisId="values"
            orientation="right"
            type="category"
            dataKey="label"
            tick={{ ...tick, fill: COLORS.text, fontSize: Math.round(rem * 1.1) }}
            tickLine={false}
            axisLine={false}
            width="auto"
            interval={0}
          />
          <Bar
            dataKey="gmv"
            fill={COLORS.bar}
            radius={[0, bar / 4, bar / 4, 0]}
            maxBarSize={bar}
            isAnimationActive={false}
          />
        </BarChart>
      )}
    </Panel>
  );
}
