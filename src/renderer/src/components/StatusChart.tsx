import { useMemo, type JSX } from 'react';
import { Legend, Pie, PieChart, Tooltip } from 'recharts';
import { formatCount } from '../lib/format';
import { useRemPx } from '../hooks/useRemPx';
import { useLivewall } from '../store';
import { statusBreakdownSelector } from '../store/selectors';
import {
  COLORS,
  OTHER_STATUS_COLOR,
  STATUS_COLORS,
  STATUS_LABELS,
  tooltipStyle,
} from './chartTheme';
import { NoData, Panel } from './Panel';

export function StatusChart(): JSX.Element {
  const shares = useLivewall(statusBreakdownSelector);
  const rem = useRemPx();
  const data = useMemo(
    () =>
      shares.map((s) => ({
        name: STATUS_LABELS[s.status] ? `${STATUS_LABELS[s.status]} ${s.status}` : s.status,
        value: s.orders,
        fill: STATUS_COLORS[s.status] ?? OTHER_STATUS_COLOR,
      })),
    [shares],
  );
  const counts = useMemo(() => new Map(data.map((d) => [d.name, d.value])), [data]);
  // The legend keeps the data's steady status order (recharts sorts by label otherwise).
  const rank = useMemo(() => new Map(data.map((d, i) => [d.name, i])), [data]);
  return (
    <Panel title="订单状态 · Orders by status" className="area-status" testId="status-chart">
      {data.length === 0 ? (
        <NoData />
      ) : (
        <PieChart responsive style={{ width: '100%', height: '100%' }}>
          <Pie
            data={data}
            dataKey="value"
            nameKey="name"
            innerRadius="55%"
            outerRadius="88%"
            paddingAngle={1}
            stroke="none"
            isAnimationActive={false}
          />
          <Tooltip
            contentStyle={tooltipStyle}
            itemStyle={{ color: COLORS.text }}
            formatter={(value) => formatCount(Number(value))}
            isAnimationActive={false}
          />
          <Legend
            position="right"
            iconType="circle"
            itemSorter={(item) => rank.get(item.value ?? '') ?? data.length}
            wrapperStyle={{ fontSize: Math.round(rem * 1.05), color: COLORS.text }}
            formatter={(value) =>
              `${String(value)}  ${formatCount(counts.get(String(value)) ?? null)}`
            }
          />
        </PieChart>
      )}
    </Panel>
  );
}
