/** Colours and text styles shared by the charts (SVG attributes, so they cannot come from CSS). */
import type { CSSProperties } from 'react';

export const COLORS = {
  orders: '#22d3ee',
  gmv: '#fbbf24',
  bar: '#38bdf8',
  grid: 'rgba(148, 163, 184, 0.15)',
  axis: '#8ba3bd',
  text: '#dbe7f3',
  /** The panel's background, for hollow markers. */
  panel: '#0b1930',
} as const;

export const STATUS_COLORS: Readonly<Record<string, string>> = {
  unpaid: '#94a3b8',
  paid: '#22d3ee',
  cancel: '#f87171',
  shipping: '#a78bfa',
  finished: '#34d399',
};
export const OTHER_STATUS_COLOR = '#f472b6';

export const tooltipStyle: CSSProperties = {
  background: 'rgba(8, 15, 30, 0.92)',
  border: '1px solid rgba(56, 189, 248, 0.4)',
  borderRadius: 6,
  color: COLORS.text,
};

/** Stroke widths and markers grow with the text (3 px lines at 1080p, 6 at 4K). */
export function strokes(remPx: number): { line: number; marker: number } {
  return {
    line: Math.max(1, Math.round(remPx * 0.15)),
    marker: Math.round(remPx * 0.9),
  };
}
