import { describe, expect, test } from 'vitest';
import { linear, linePath } from '../../../src/renderer/src/chart/linePath';

describe('line path', () => {
  const x = linear(0, 10, 0, 100);
  const y = linear(0, 5, 50, 0);
  test.each([
    ['straight segments', [0, 5, 10], [0, 5, 2.5], 'M0.0 50.0L50.0 0.0L100.0 25.0'],
    ['a gap where a value is null', [0, 5, 10], [1, null, 1], 'M0.0 40.0M100.0 40.0'],
    ['nothing for no values', [0, 5], [null, null], ''],
  ])('%s', (_name, xs, ys, d) => {
    expect(linePath(xs, ys, x, y)).toBe(d);
  });

  test('a zero-width domain maps to the range end', () => {
    expect(linear(3, 3, 10, 20)(3)).toBe(20);
    expect(linear(0, 4, 100, 0)(1)).toBe(75);
  });
});
