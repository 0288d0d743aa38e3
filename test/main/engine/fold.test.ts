/**
 * What each change adds to and takes from the metric groups, and the replay guard:
 * test/vectors/fold.json, which the Flink job's ReplayGuardTest reads too.
 */
import { describe, expect, test } from 'vitest';
import { metricIdentity } from '../../../src/shared/identity';
import {
  vectorEngine,
  type EngineVectorOptions as Options,
  type VectorChange,
} from '../../support/engineVectors';
import { instant, readVectors } from '../../support/vectors';

interface Step extends VectorChange {
  expect: 'applied' | 'stale' | 'skipped';
  net: Record<string, number>;
}

interface FoldVectors extends Options {
  row: Record<string, unknown>;
  cases: (Partial<Options> & { name: string; steps: Step[] })[];
}

const v = readVectors<FoldVectors>('fold.json');

describe('test/vectors/fold.json', () => {
  test('covers each verdict and every metric group', () => {
    const steps = v.cases.flatMap((c) => c.steps);
    expect(new Set(steps.map((s) => s.expect))).toEqual(new Set(['applied', 'stale', 'skipped']));
    const names = new Set(steps.flatMap((s) => Object.keys(s.net).map((id) => JSON.parse(id)[0])));
    expect(names).toEqual(new Set(['orders', 'gmv', 'paid_orders', 'cancelled']));
  });

  test.each(v.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const o = { ...v, ...c };
    const now = instant(o.now);
    const { engine, fold } = vectorEngine(o, v.row, () => now);
    // Each group's value so far (rows, or cents for gmv), to see what a step changed.
    const values = new Map<string, number>();
    c.steps.forEach((step, i) => {
      const before = engine.stats();
      const folded = fold(step);
      const after = engine.stats();
      const verdict = (['applied', 'stale', 'skipped'] as const).find(
        (k) => after[k] === before[k] + 1,
      );
      expect(verdict, `step ${i + 1}`).toBe(step.expect);
      expect(folded).toBe(step.expect === 'applied');
      const net: Record<string, number> = {};
      for (const r of engine.drain()) {
        if (r.name === 'aov' || r.name === 'buyers') continue;
        const id = metricIdentity(r);
        const value = r.name === 'gmv' ? Math.round(r.value * 100) : r.value;
        const delta = value - (values.get(id) ?? 0);
        values.set(id, value);
        if (delta !== 0) net[id] = delta;
      }
      expect(net, `step ${i + 1}`).toEqual(step.net);
    });
  });
});
