import { describe, expect, test } from 'vitest';
import { singleFlight } from '../../../src/main/health/singleFlight';

describe('singleFlight', () => {
  test('one run at a time, answers from memory while fresh, runs again after', async () => {
    let t = 0;
    let runs = 0;
    let release: (v: number) => void = () => undefined;
    const ask = singleFlight(
      () => {
        runs++;
        return new Promise<number>((r) => (release = r));
      },
      10_000,
      () => t,
    );
    const a = ask();
    t = 60_000; // a slow run stays the one answer however long it takes
    const b = ask();
    expect(b).toBe(a);
    expect(runs).toBe(1);
    release(1);
    expect(await a).toBe(1);
    t = 69_999; // fresh counts from the end of the run
    expect(await ask()).toBe(1);
    expect(runs).toBe(1);
    t = 70_000;
    const c = ask();
    expect(runs).toBe(2);
    release(2);
    expect(await c).toBe(2);
  });

  test('a failed run is shared too, and retried once stale', async () => {
    let t = 0;
    let runs = 0;
    const ask = singleFlight(
      async () => {
        runs++;
        throw new Error(`run ${runs}`);
      },
      1_000,
      () => t,
    );
    await expect(ask()).rejects.toThrow('run 1');
    await expect(ask()).rejects.toThrow('run 1');
    t = 1_000;
    await expect(ask()).rejects.toThrow('run 2');
  });
});
