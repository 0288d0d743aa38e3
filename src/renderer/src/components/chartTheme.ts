/** Colours and text styles shared by the charts (SVG attributes, so they cannot come from CSS). */
import type { CSSProperties } from 'react';

export const COLORS = {
  orders: '#22d3ee',
  gmv: '#fbbf24',
  bar: '#38bdf8',
  grid: 'rgba(148, 163, 184, 0.15)',
  axis: '#8ba3bd',
  text: '#dbe7f3',
} as const;

export const STATUS_COLORS: Readonly<Record<string, string>> = {
  unpaid: '#94a3b8',
  paid: '#22d3ee',
  cancel: '#f87171',
  shipping: '#a78bfa',
  finished: '#34d399',
};
export const OTHER_STATUS_COLOR = '#f472b6';

export const STATUS_LABELS: Readonly<Record<string, string>> = {
  unpaid: '待支付',
  paid: '已支付',
  cancel: '已取消',
  shipping: '配送中',
  finished: '已完成',
};

export const tooltipStyle: CSSProperties = {
  background: 'rgba(8, 15, 30, 0.92)',
  border: '1px solid rgba(56, 189, 248, 0.4)',
  borderRadius: 6,
  color: COLORS.text,
};

/** Axis tick props at the current rem size. */
export function tickStyle(remPx: number): { fill: string; fontSize: number } {
  return { fill: COLORS.axis, fontSize: Math.round(remPx * 0.9) };
}
