/**
 * SVG path data for a line over many points, as one string: straight segments (no smoothing that
 * overshoots), a gap where a value is null. The trend draws a whole day (1440 points) ten times a
 * second, which a general chart library's per-point components cannot keep up with.
 */
export function linePath(
  xs: readonly number[],
  ys: readonly (number | null)[],
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const v = ys[i];
    if (v === null || v === undefined) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(xs[i]!).toFixed(1)} ${y(v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** A linear map from [d0, d1] onto [r0, r1]; a zero-width domain maps to r1. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (span === 0) return () => r1;
  const k = (r1 - r0) / span;
  return (v) => r0 + (v - d0) * k;
}
