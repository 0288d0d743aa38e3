import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { metricIdentity } from '../../../src/shared/identity';
import { dayStart } from '../../../src/shared/time';
import { DEMO_CITIES } from '../../../src/shared/demoCities';
import { demoCustomer } from '../../../src/main/simulator/demoData';
import { EmbeddedPipeline } from '../../../src/main/app/embeddedPipeline';
import { nonZero, oracleFold, recordsToMap } from '../../support/oracle';

const TZ = 'Asia/Shanghai';
let pipeline: EmbeddedPipeline | null = null;
afterEach(async () => {
  await pipeline?.stop();
  pipeline = null;
});

describe('embedded pipeline', () => {
  test('bursts and lifecycle steps fold to exactly what an independent fold of the changelog gives', async () => {
    // Lifecycle steps due at once, so a few ticks walk orders through their statuses.
    pipeline = new EmbeddedPipeline({ timeZone: TZ, demoRate: 0, stepDelayMs: [0, 0], seed: 7 });
    const changelog: string[] = [];
    pipeline.changelog.subscribe((batch) => changelog.push(...batch.map((r) => r.data)));
    pipeline.start();
    pipeline.simulator.stop(); // this test ticks the simulator itself
    const summary = await pipeline.burst(1_000);
    expect(summary).toEqual({ inserted: 1_000, updated: 0, failed: 0 });
    const today = dayStart(Date.now(), TZ);
    const get = (name: string, dims: Record<string, string | number | null>) =>
      pipeline?.hub.state.get(metricIdentity({ name, window: '1d', start: today, dims }))?.value ??
      0;
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      await pipeline.simulator.tick();
      pipeline.drain();
      for (const s of ['unpaid', 'paid', 'cancel', 'shipping', 'finished']) {
        if (get('orders', { status: s }) > 0) seen.add(s);
      }
    }
    expect([...seen].sort()).toEqual(['cancel', 'finished', 'paid', 'shipping', 'unpaid']);

    const stats = pipeline.stats();
    expect(stats.simulator.inserted).toBe(1_000);
    expect(stats.simulator.updated).toBeGreaterThan(1_000); // most orders moved more than once
    expect(changelog).toHaveLength(stats.simulator.inserted + stats.simulator.updated);
    expect(stats.engine).toMatchObject({ applied: changelog.length, malformed: 0, skipped: 0 });

    const want = oracleFold(changelog, {
      timeZone: TZ,
      level: (m) => demoCustomer(m)?.level ?? null,
    });
    const snapshot = pipeline.hub.snapshot();
    expect(nonZero(recordsToMap(snapshot.metrics))).toEqual(nonZero(want));

    // The workshop's vocabulary: statuses, Chinese city names, a customer unknown to the dimension.
    expect(get('orders', {})).toBe(1_000);
    expect(
      DEMO_CITIES.filter((c) => /[\u4e00-\u9fff]/.test(c) && get('orders', { city: c }) > 0).length,
    ).toBeGreaterThan(3);
    expect(get('gmv', { level: null })).toBeGreaterThan(0);
    expect(snapshot.lastRecordAt).not.toBeNull();
  });

  test('the background rate inserts orders and the hub pushes batches of changed identities', async () => {
    pipeline = new EmbeddedPipeline({ timeZone: TZ, demoRate: 50, seed: 1, emitIntervalMs: 50 });
    const batches: number[] = [];
    pipeline.hub.onBatch((b) => batches.push(b.records.length));
    pipeline.start();
    await expect
      .poll(() => pipeline?.stats().simulator.background.inserted ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(10);
    await expect.poll(() => batches.length, { timeout: 10_000 }).toBeGreaterThan(1);
    pipeline.stop();
    pipeline.drain();
    const s = pipeline.stats();
    const today = dayStart(Date.now(), TZ);
    const orders = pipeline.hub.state.get(
      metricIdentity({ name: 'orders', window: '1d', start: today, dims: {} }),
    )?.value;
    expect(orders).toBe(s.simulator.inserted);
    expect(s.simulator.background.inserted).toBe(s.simulator.inserted);
  });

  test('the state file: a restarted pipeline shows the day so far at once, and ids continue', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'lwstate-')), 'embedded-state.json');
    const today = dayStart(Date.now(), TZ);
    const orders = (p: EmbeddedPipeline) =>
      p.hub.state.get(metricIdentity({ name: 'orders', window: '1d', start: today, dims: {} }))
        ?.value;
    const first = new EmbeddedPipeline({ timeZone: TZ, demoRate: 0, seed: 5, stateFile });
    first.start();
    await first.burst(120);
    await first.stop();

    pipeline = new EmbeddedPipeline({ timeZone: TZ, demoRate: 0, seed: 6, stateFile });
    pipeline.start();
    pipeline.drain();
    expect(orders(pipeline)).toBe(120);
    await pipeline.burst(30);
    pipeline.drain();
    expect(orders(pipeline)).toBe(150);
    expect(pipeline.stats().engine.liveOrders).toBe(150); // new ids did not overwrite old rows
    // The first run's orders still had lifecycle steps to come: they carry on after the restart.
    expect(pipeline.stats().simulator.pendingSteps).toBeGreaterThanOrEqual(120);
    expect(pipeline.stateProblem).toBeNull();
  });

  test('settled orders leave the engine too, and the metrics (buyers included) survive a restart', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'lwstate-')), 'embedded-state.json');
    const today = dayStart(Date.now(), TZ);
    const total = (p: EmbeddedPipeline, name: string) =>
      p.hub.state.get(metricIdentity({ name, window: '1d', start: today, dims: {} }))?.value;
    const first = new EmbeddedPipeline({
      timeZone: TZ,
      demoRate: 0,
      seed: 11,
      stepDelayMs: [0, 0],
      stateFile,
    });
    first.start();
    first.simulator.stop(); // this test ticks the simulator itself
    await first.burst(500);
    // Every lifecycle runs to its end: unpaid → … → finished or cancelled.
    while (first.stats().simulator.pendingSteps > 0) await first.simulator.tick();
    first.drain();
    first.drain(); // the emit after the last change retires the settled rows
    const s = first.stats();
    expect(s.engine.retiredOrders).toBe(500);
    expect(s.engine.liveOrders).toBe(0);
    const want = {
      orders: total(first, 'orders'),
      gmv: total(first, 'gmv'),
      buyers: total(first, 'buyers'),
    };
    expect(want.orders).toBe(500);
    expect(want.buyers).toBeGreaterThan(0);
    await first.stop();

    pipeline = new EmbeddedPipeline({ timeZone: TZ, demoRate: 0, seed: 12, stateFile });
    pipeline.start();
    pipeline.drain();
    expect(pipeline.stateProblem).toBeNull();
    expect({
      orders: total(pipeline, 'orders'),
      gmv: total(pipeline, 'gmv'),
      buyers: total(pipeline, 'buyers'),
    }).toEqual(want);
  });

  test('a damaged state file is set aside with a sentence, and the pipeline starts empty', () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'lwstate-')), 'embedded-state.json');
    writeFileSync(stateFile, '{"v":1,"table":');
    pipeline = new EmbeddedPipeline({ timeZone: TZ, demoRate: 0, stateFile });
    pipeline.start();
    expect(pipeline.stateProblem).toMatch(/is unreadable .*starting empty/);
    expect(pipeline.stats().engine.liveOrders).toBe(0);
  });

  test('what the pipeline keeps is bounded: orders outside the days kept are dropped, settled orders leave the table', async () => {
    let t = Date.parse('2026-03-02T04:00:00Z');
    pipeline = new EmbeddedPipeline({
      timeZone: TZ,
      demoRate: 0,
      seed: 9,
      stepDelayMs: [0, 0],
      now: () => t,
    });
    pipeline.start();
    pipeline.simulator.stop(); // this test ticks the simulator itself
    await pipeline.burst(2_000);
    pipeline.drain();
    expect(pipeline.stats()).toMatchObject({
      engine: { liveOrders: 2_000 },
      table: { rows: 2_000 },
      simulator: { pendingSteps: 2_000 },
    });
    // Walk every order to its end: a settled order is on the changelog and leaves the table.
    for (let i = 0; i < 6; i++) await pipeline.simulator.tick();
    pipeline.drain();
    expect(pipeline.stats().table.rows).toBe(pipeline.stats().simulator.pendingSteps);
    expect(pipeline.stats().table.rows).toBeLessThan(100);

    // A second burst whose steps never come due, then three days later one more.
    await pipeline.burst(3_000);
    t += 3 * 86_400_000;
    await pipeline.burst(10);
    pipeline.drain();
    expect(pipeline.stats()).toMatchObject({
      engine: { liveOrders: 10 },
      table: { rows: 10 },
      simulator: { pendingSteps: 10 },
    });
  });
});
