import { useMemo, type JSX } from 'react';
import { linear, linePath } from '../chart/linePath';
import { niceScale, timeTicks } from '../chart/ticks';
import { trendRows, type Trend } from '../chart/trendRows';
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
  trend: Trend;
  field: 'orders' | 'gmv';
  color: string;
  label: string;
  /** A short note after the label (what GMV is booked by), its whole sentence on hover. */
  note?: { text: string; title: string };
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
  const { trend, field } = p;
  const { rows, live } = trend;
  const [box, size] = useElementSize<HTMLDivElement>();
  const s = strokes(p.rem);
  const max = useMemo(() => {
    let m = live ? live[field] : 0;
    for (const r of rows) m = Math.max(m, r[field]);
    return m;
  }, [rows, live, field]);
  const yScale = useMemo(() => niceScale(max, 4, field === 'orders'), [max, field]);
  const yTop = yScale.top;
  const left = p.rem * 4.2;
  const right = size.width - p.rem * 1.2;
  // Room above the top tick: its label is centred on the line.
  const top = p.rem * 0.9;
  const bottom = size.height - (p.showX ? p.rem * 1.8 : p.rem * 0.7);
  const x = linear(p.domain[0], p.domain[1], left, right);
  const y = linear(0, yScale.top, bottom, top);
  const [d0, d1] = p.domain;
  const paths = useMemo(() => {
    if (size.width === 0) return { whole: '', live: '' };
    const x = linear(d0, d1, left, right);
    const y = linear(0, yTop, bottom, top);
    const lastRow = rows[rows.length - 1];
    // The dashed segment: from the last whole minute to the last 60 s.
    const tail = live && lastRow ? [lastRow.start, live.at] : [];
    const tailValues = live && lastRow ? [lastRow[field], live[field]] : [];
    return {
      whole: linePath(
        rows.map((r) => r.start),
        rows.map((r) => r[field]),
        x,
        y,
      ),
      live: linePath(tail, tailValues, x, y),
    };
  }, [rows, live, field, size.width, d0, d1, left, right, top, bottom, yTop]);
  const lastRow = rows[rows.length - 1];
  const single = rows.length === 1 && !live ? lastRow?.[field] : null;
  const fontSize = Math.round(p.rem);
  return (
    <div className="trend__series" data-testid={`trend-${p.field}`}>
      <div className="trend__label">
        <span className="trend__swatch" style={{ background: p.color }} />
        {p.label}
        {p.note && (
          <span className="trend__note" data-testid="trend-note" title={p.note.title}>
            {p.note.text}
          </span>
        )}
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
            {live && (
              <circle
                className="trend__live-point"
                data-value={live[field]}
                cx={x(live.at)}
                cy={y(live[field])}
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
  // Each second: the last 60 s move on.
  const now = useNow();
  const trend = useLivewall((s) => trendSelector(s, now));
  const rem = useRemPx();
  const t = useMessages();
  const rows = useMemo(() => trendRows(trend, now), [trend, now]);
  const gmvNote = useMemo(() => ({ text: t.trend.gmvBooked, title: t.trend.gmvBookedLong }), [t]);
  const first = trend[0]?.start ?? 0;
  const lastStart = trend[trend.length - 1]?.start ?? 0;
  // One minute of data still gets an axis a minute wide, so its point is not on the edge alone.
  const from = Math.min(first, lastStart - MINUTE);
  const domain = useMemo((): [number, number] => [from, lastStart], [from, lastStart]);
  const xTicks = useMemo(
    () => timeTicks(from, lastStart, 7, -new Date(lastStart).getTimezoneOffset()),
    [from, lastStart],
  );
  const live = rows.live;
  return (
    <Panel title={t.trend.title} className="area-trend" testId="trend-chart">
      {trend.length === 0 ? (
        <NoData />
      ) : (
        <div className="trend" data-in-progress={live !== null}>
          <SeriesChart
            trend={rows}
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
            trend={rows}
            field="gmv"
            color={COLORS.gmv}
            label={t.trend.gmv}
            note={gmvNote}
            xTicks={xTicks}
            domain={domain}
            rem={rem}
            locale={t.locale}
            showX
          />
          {live && (
            <div className="trend__live" data-testid="trend-in-progress">
              <span className="trend__dash" />
              <span className="trend__hollow" />
              {t.trend.lastSixtySeconds}
            </div>
          )}
        </div>
      )}
    </Panel>
  );
}
