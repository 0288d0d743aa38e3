import { useMemo, type JSX } from 'react';
import { Bar, BarChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount, formatMoney } from '../lib/format';
import { useRemPx } from '../hooks/useRemPx';
import { useLivewall } from '../store';
import { topCitiesSelector } from '../store/selectors';
import { COLORS, tickStyle, tooltipStyle } from './chartTheme';
import { NoData, Panel } from './Panel';

export function CityChart(): JSX.Element {
  const cities = useLivewall(topCitiesSelector);
  const rem = useRemPx();
  const tick = tickStyle(rem);
  // Labels are derived once per change of the selector's result, not on every clock tick.
  const data = useMemo(
    () =>
      cities.map((c) => ({
        ...c,
        label: `¥${formatMoney(c.gmv)} · ${formatCount(c.orders)} 单`,
      })),
    [cities],
  );
  return (
    <Panel title="城市 GMV Top 8 · Top cities" className="area-cities" testId="city-chart">
      {data.length === 0 ? (
        <NoData />
      ) : (
        <BarChart
          responsive
          style={{ width: '100%', height: '100%' }}
          layout="vertical"
          data={data}
          margin={{ top: 0, right: 0, bottom: 0, left: 0 }}
          barCategoryGap="22%"
        >
          <XAxis type="number" hide />
          <YAxis
            type="category"
            dataKey="city"
            tick={{ ...tick, fill: COLORS.text, fontSize: Math.round(rem * 0.95) }}
            tickLine={false}
            axisLine={false}
            width="auto"
            interval={0}
          />
          <Tooltip
            contentStyle={tooltipStyle}
            cursor={{ fill: 'rgba(56, 189, 248, 0.08)' }}
            formatter={(value) => [`¥${formatMoney(Number(value))}`, 'GMV']}
            isAnimationActive={false}
          />
          {/* Values as a right-hand axis, not bar labels: a city whose orders are all unpaid has a
              zero-width bar, and recharts draws no label for it. */}
          <YAxis
            yAxisId="values"
            orientation="right"
            type="category"
            dataKey="label"
            tick={{ ...tick, fill: COLORS.text, fontSize: Math.round(rem * 0.85) }}
            tickLine={false}
            axisLine={false}
            width="auto"
            interval={0}
          />
          <Bar
            dataKey="gmv"
            fill={COLORS.bar}
            radius={[0, 4, 4, 0]}
            maxBarSize={44}
            isAnimationActive={false}
          />
        </BarChart>
      )}
    </Panel>
  );
}
