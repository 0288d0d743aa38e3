import { useMemo, type JSX } from 'react';
import { linear, linePath } from '../chart/linePath';
import { niceScale, timeTicks } from '../chart/ticks';
import { trendRows, type TrendRow } from '../chart/trendRows';
import { formatCompact, formatMinute } from '../lib/format';
import { useElementSize } from '../hooks/useElementSize';
import { useNow } from '../hooks/useNow';
import { useRemPx } from '../hooks/useRemPx';
import { useMessages } from '../i18n';
import { useLivewall } from '../store';
import { trendSelector } from '../store/selectors';
import { COLORS, strokes } from './chartTheme';
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

/**
 * One series on its own axis (two small charts stay readable where one with two axes does not),
 * drawn as plain SVG: a whole day is one path, however often it updates.
 */
function SeriesChart(p: SeriesChartProps): JSX.Element {
  const { rows, field } = p;
  const [box, size] = useElementSize<HTMLDivElement>();
  const s = strokes(p.rem);
  const liveKey = p.field === 'orders' ? 'ordersLive' : 'gmvLive';
  const max = useMemo(() => {
    let m = 0;
    for (const r of rows) m = Math.max(m, r[field] ?? 0, r[liveKey] ?? 0);
    return m;
  }, [rows, field, liveKey]);
  const yScale = useMemo(() => niceScale(max, 4, field === 'orders'), [max, field]);
  const yTop = yScale.top;
  const left = p.rem * 4.2;
  const right = size.width - p.rem * 1.2;
  const top = p.rem * 0.7;
  const bottom = size.height - (p.showX ? p.rem * 1.8 : p.rem * 0.7);
  const x = linear(p.domain[0], p.domain[1], left, right);
  const y = linear(0, yScale.top, bottom, top);
  const [d0, d1] = p.domain;
  const paths = useMemo(() => {
    if (size.width === 0) return { whole: '', live: '' };
    const x = linear(d0, d1, left, right);
    const y = linear(0, yTop, bottom, top);
    const xs = rows.map((r) => r.start);
    return {
      whole: linePath(
        xs,
        rows.map((r) => r[field]),
        x,
        y,
      ),
      live: linePath(
        xs.slice(-2),
        rows.slice(-2).map((r) => r[liveKey]),
        x,
        y,
      ),
    };
  }, [rows, field, liveKey, size.width, d0, d1, left, right, top, bottom, yTop]);
  const lastRow = p.rows[p.rows.length - 1];
  const liveValue = lastRow && lastRow[p.field] === null ? lastRow[liveKey] : null;
  const single = p.rows.length === 1 ? lastRow?.[p.field] : null;
  const fontSize = Math.round(p.rem);
  return (
    <div className="trend__series" data-testid={`trend-${p.field}`}>
      <div className="trend__label">
        <span className="trend__swatch" style={{ background: p.color }} />
        {p.label}
      </div>
      <div className="trend__plot" ref={box}>
        {size.width > 0 && (
          <svg width={size.width} height={size.height} className="trend__svg">
            {yScale.ticks.map((t) => (
              <g key={t}>
                <line
                  x1={left}
                  x2={right}
                  y1={y(t)}
                  y2={y(t)}
                  stroke={COLORS.grid}
                  strokeWidth={1}
                />
                <text
                  className="trend__tick trend__tick--y"
                  x={left - p.rem * 0.5}
                  y={y(t)}
                  dy="0.35em"
                  textAnchor="end"
                  fontSize={fontSize}
                  fill={COLORS.axis}
                >
                  {formatCompact(t, p.locale)}
                </text>
              </g>
            ))}
            {p.showX &&
              p.xTicks.map((t) => (
                <text
                  key={t}
                  className="trend__tick trend__tick--x"
                  x={x(t)}
                  y={bottom + p.rem * 0.4}
                  dy="0.8em"
                  // The edge ticks stay inside the plot rather than spill past it.
                  textAnchor={
                    x(t) - left < p.rem * 1.5
                      ? 'start'
                      : right - x(t) < p.rem * 1.5
                        ? 'end'
                        : 'middle'
                  }
                  fontSize={fontSize}
                  fill={COLORS.axis}
                >
                  {formatMinute(t)}
                </text>
              ))}
            <path
              d={paths.whole}
              fill="none"
              stroke={p.color}
              strokeWidth={s.line}
              strokeLinejoin="round"
            />
            <path
              d={paths.live}
              fill="none"
              stroke={p.color}
              strokeWidth={s.line}
              strokeDasharray={`${s.line * 3} ${s.line * 2}`}
              className="trend__live-segment"
            />
            {single != null && (
              <circle cx={x(lastRow!.start)} cy={y(single)} r={s.marker / 2} fill={p.color} />
            )}
            {liveValue !== null && lastRow && (
              <circle
                className="trend__live-point"
                cx={x(lastRow.start)}
                cy={y(liveValue)}
                r={s.marker / 2}
                fill={COLORS.panel}
                stroke={p.color}
                strokeWidth={s.line}
              />
            )}
          </svg>
        )}
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
  const from = Math.min(first, lastStart - MINUTE);
  const domain = useMemo((): [number, number] => [from, lastStart], [from, lastStart]);
  const xTicks = useMemo(
    () => timeTicks(from, lastStart, 7, -new Date(lastStart).getTimezoneOffset()),
    [from, lastStart],
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
