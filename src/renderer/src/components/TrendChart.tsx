import type { JSX } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompact, formatCount, formatMinute, formatMoney } from '../lib/format';
import { useRemPx } from '../hooks/useRemPx';
import { useLivewall } from '../store';
import { trendSelector } from '../store/selectors';
import { COLORS, tickStyle, tooltipStyle } from './chartTheme';
import { NoData, Panel } from './Panel';

const FILL_ID = 'trend-orders-fill';

export function TrendChart(): JSX.Element {
  const trend = useLivewall(trendSelector);
  const rem = useRemPx();
  const tick = tickStyle(rem);
  return (
    <Panel title="每分钟趋势 · Orders & GMV per minute" className="area-trend" testId="trend-chart">
      {trend.length === 0 ? (
        <NoData />
      ) : (
        <ComposedChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={trend}
          margin={{ top: rem * 0.5, right: rem * 0.5, bottom: 0, left: 0 }}
        >
          <defs>
            <linearGradient id={FILL_ID} x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor={COLORS.orders} stopOpacity={0.45} />
              <stop offset="100%" stopColor={COLORS.orders} stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <CartesianGrid stroke={COLORS.grid} vertical={false} />
          <XAxis
            dataKey="start"
            tickFormatter={formatMinute}
            tick={tick}
            stroke={COLORS.grid}
            minTickGap={rem * 2}
          />
          <YAxis
            yAxisId="orders"
            allowDecimals={false}
            tickFormatter={formatCompact}
            tick={tick}
            stroke={COLORS.grid}
            width="auto"
          />
          <YAxis
            yAxisId="gmv"
            orientation="right"
            tickFormatter={formatCompact}
            tick={tick}
            stroke={COLORS.grid}
            width="auto"
          />
          <Tooltip
            contentStyle={tooltipStyle}
            labelFormatter={(label) => formatMinute(Number(label))}
            formatter={(value, name) =>
              name === 'gmv'
                ? [`¥${formatMoney(Number(value))}`, 'GMV']
                : [formatCount(Number(value)), '订单 orders']
            }
            isAnimationActive={false}
          />
          <Legend
            wrapperStyle={{ fontSize: tick.fontSize, color: COLORS.text }}
            itemSorter={null}
            formatter={(value) => (value === 'gmv' ? 'GMV ¥ (right)' : '订单 orders (left)')}
          />
          <Area
            yAxisId="orders"
            type="monotone"
            dataKey="orders"
            stroke={COLORS.orders}
            strokeWidth={2}
            fill={`url(#${FILL_ID})`}
            isAnimationActive={false}
          />
          <Line
            yAxisId="gmv"
            type="monotone"
            dataKey="gmv"
            stroke={COLORS.gmv}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      )}
    </Panel>
  );
}
