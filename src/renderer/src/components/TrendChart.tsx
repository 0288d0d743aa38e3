import { useMemo, type JSX } from 'react';
import { CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { DotItemDotProps } from 'recharts/types/util/types';
import { niceScale, timeTicks } from '../chart/ticks';
import { trendRows, type TrendRow } from '../chart/trendRows';
import { formatCompact, formatCount, formatMinute, formatMoney } from '../format';
import { useNow } from '../hooks/useNow';
import { useRemPx } from '../hooks/useRemPx';
import { useMessages } from '../i18n';
import { useLivewall } from '../store';
import { trendSelector } from '../store/selectors';
import { COLORS, strokes, tickStyle, tooltipStyle } from './chartTheme';
import { NoData, Panel } from './Panel';

const MINUTE = 60_000;

interface SeriesChartProps {
  rows: TrendRow[];
  field: 'orders' | 'gmv';
  color: string;
  label: string;
  xTicks: number[];
  domain: [number, number];
  rem: number;
  locale: string;
  showX: boolean;
}

/** One series on its own axis: two small charts stay readable where one with two axes does not. */
function SeriesChart(p: SeriesChartProps): JSX.Element {
  const tick = tickStyle(p.rem);
  const s = strokes(p.rem);
  const liveKey = p.field === 'orders' ? 'ordersLive' : 'gmvLive';
  const max = useMemo(() => {
    let m = 0;
    for (const r of p.rows) m = Math.max(m, r[p.field] ?? 0, r[liveKey] ?? 0);
    return m;
  }, [p.rows, p.field, liveKey]);
  const y = niceScale(max, 4, p.field === 'orders');
  const last = p.rows.length - 1;
  const format = p.field === 'gmv' ? formatMoney : formatCount;
  // The minute in progress: a hollow point at the dashed segment's end.
  const liveDot = (d: DotItemDotProps): JSX.Element => (
    <circle
      key={`live-${d.index}`}
      cx={d.cx}
      cy={d.cy}
      r={d.index === last && d.cy !== undefined ? s.marker / 2 : 0}
      fill={COLORS.panel}
      stroke={p.color}
      strokeWidth={s.line}
    />
  );
  return (
    <div className="trend__series" data-testid={`trend-${p.field}`}>
      <div className="trend__label">
        <span className="trend__swatch" style={{ background: p.color }} />
        {p.label}
      </div>
      <div className="trend__plot">
        <ComposedChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={p.rows}
          // Without its x axis the top chart still needs room for its 0 tick's lower half.
          margin={{
            top: p.rem * 0.6,
            right: p.rem * 1.2,
            bottom: p.showX ? 0 : p.rem * 0.6,
            left: 0,
          }}
        >
          <CartesianGrid stroke={COLORS.grid} vertical={false} />
          <XAxis
            dataKey="start"
            type="number"
            domain={p.domain}
            ticks={p.xTicks}
            tickFormatter={formatMinute}
            tick={tick}
            stroke={COLORS.grid}
            hide={!p.showX}
            height={p.rem * 1.8}
          />
          <YAxis
            domain={[0, y.top]}
            ticks={y.ticks}
            interval={0}
            tickFormatter={(v: number) => formatCompact(v, p.locale)}
            tick={tick}
            stroke={COLORS.grid}
            width={p.rem * 4.2}
          />
          <Tooltip
            contentStyle={{ ...tooltipStyle, fontSize: tick.fontSize }}
            labelFormatter={(label) => formatMinute(Number(label))}
            formatter={(value) => [format(Number(value)), p.label]}
            isAnimationActive={false}
          />
          {/* Straight segments: a smoothed curve overshoots below 0 and above the counts. */}
          <Line
            type="linear"
            dataKey={p.field}
            stroke={p.color}
            strokeWidth={s.line}
            dot={p.rows.length === 1 ? { r: s.marker / 2, fill: p.color } : false}
            isAnimationActive={false}
          />
          <Line
            type="linear"
            dataKey={liveKey}
            stroke={p.color}
            strokeWidth={s.line}
            strokeDasharray={`${s.line * 3} ${s.line * 2}`}
            dot={liveDot}
            activeDot={false}
            legendType="none"
            tooltipType="none"
            isAnimationActive={false}
          />
        </ComposedChart>
      </div>
    </div>
  );
}

export function TrendChart(): JSX.Element {
  const trend = useLivewall(trendSelector);
  // Each second: the minute in progress is drawn at its pace so far.
  const now = useNow();
  const rem = useRemPx();
  const t = useMessages();
  const rows = useMemo(() => trendRows(trend, now), [trend, now]);
  const first = trend[0]?.start ?? 0;
  const lastStart = trend[trend.length - 1]?.start ?? 0;
  // One minute of data still gets an axis a minute wide, so its point is not on the edge alone.
  const domain: [number, number] = [Math.min(first, lastStart - MINUTE), lastStart];
  const xTicks = useMemo(
    () => timeTicks(domain[0], domain[1], 7, -new Date(domain[1]).getTimezoneOffset()),
    [domain[0], domain[1]], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const inProgress = rows.length > 0 && rows[rows.length - 1]!.orders === null;
  return (
    <Panel title={t.trend.title} className="area-trend" testId="trend-chart">
      {trend.length === 0 ? (
        <NoData />
      ) : (
        <div className="trend" data-in-progress={inProgress}>
          <SeriesChart
            rows={rows}
            field="orders"
            color={COLORS.orders}
            label={t.trend.orders}
            xTicks={xTicks}
            domain={domain}
            rem={rem}
            locale={t.locale}
            showX={false}
          />
          <SeriesChart
            rows={rows}
            field="gmv"
            color={COLORS.gmv}
            label={t.trend.gmv}
            xTicks={xTicks}
            domain={domain}
            rem={rem}
            locale={t.locale}
            showX
          />
          {inProgress && (
            <div className="trend__live" data-testid="trend-in-progress">
              <span className="trend__dash" />
              <span className="trend__hollow" />
              {t.trend.inProgress}
            </div>
          )}
        </div>
      )}
    </Panel>
  );
}
