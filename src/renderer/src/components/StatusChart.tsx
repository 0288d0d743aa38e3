import { useMemo, type JSX } from 'react';
import { Pie, PieChart, Tooltip } from 'recharts';
import { formatCount } from '../lib/format';
import { useRemPx } from '../hooks/useRemPx';
import { useMessages } from '../i18n';
import { useNow } from '../hooks/useNow';
import { useLivewall } from '../store';
import { statusBreakdownSelector } from '../store/selectors';
import { COLORS, OTHER_STATUS_COLOR, STATUS_COLORS, tooltipStyle } from './chartTheme';
import { NoData, Panel } from './Panel';

export function StatusChart(): JSX.Element {
  const now = useNow();
  const shares = useLivewall((s) => statusBreakdownSelector(s, now));
  const rem = useRemPx();
  const t = useMessages();
  const names: Readonly<Record<string, string>> = t.status.names;
  const data = useMemo(
    () =>
      shares.map((s) => ({
        status: s.status,
        // A status outside the contract is data: shown as it comes.
        name: names[s.status] ?? s.status,
        value: s.orders,
        fill: STATUS_COLORS[s.status] ?? OTHER_STATUS_COLOR,
      })),
    [shares, names],
  );
  return (
    <Panel title={t.status.title} className="area-status" testId="status-chart">
      {data.length === 0 ? (
        <NoData />
      ) : (
        <div className="status">
          <div className="status__pie">
            <PieChart responsive style={{ width: '100%', height: '100%' }}>
              <Pie
                data={data}
                dataKey="value"
                nameKey="name"
                innerRadius="55%"
                outerRadius="92%"
                paddingAngle={1}
                stroke="none"
                isAnimationActive={false}
              />
              <Tooltip
                contentStyle={{ ...tooltipStyle, fontSize: Math.round(rem) }}
                itemStyle={{ color: COLORS.text }}
                formatter={(value) => formatCount(Number(value))}
                isAnimationActive={false}
              />
            </PieChart>
          </div>
          {/* An HTML legend: its markers and text scale with rem like the rest of the wall. */}
          <ul className="status__legend">
            {data.map((d) => (
              <li key={d.status} className="status__item" data-status={d.status}>
                <span className="status__swatch" style={{ background: d.fill }} />
                <span className="status__name">{d.name}</span>
                <span className="status__count">{formatCount(d.value)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
