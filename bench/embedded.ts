import { metricIdentity } from '../src/shared/identity';
import { dayStart, machineTimeZone } from '../src/shared/time';
import { EmbeddedPipeline } from '../src/main/app/embeddedPipeline';
import { BurstRouter } from '../src/main/app/burstRouter';

/** A burst through the whole embedded pipeline: time until the screen's state holds every order. */
export async function embeddedBurst(report: (name: string, value: string) => void): Promise<void> {
  const tz = machineTimeZone();
  for (const n of [1_000, 10_000]) {
    const p = new EmbeddedPipeline({ timeZone: tz, demoRate: 0, seed: 1 });
    p.start();
    const id = metricIdentity({
      name: 'orders',
      window: '1d',
      start: dayStart(Date.now(), tz),
      dims: {},
    });
    const t0 = performance.now();
    await p.burst(n);
    const inserted = performance.now() - t0;
    while ((p.hub.state.get(id)?.value ?? 0) < n) await new Promise((r) => setTimeout(r, 5));
    const visible = performance.now() - t0;
    p.stop();
    report(`embedded: burst of ${n} inserted (ms)`, inserted.toFixed(0));
    report(`embedded: burst of ${n} in the screen state (ms, emit 500 ms)`, visible.toFixed(0));
  }
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

/**
 * The flood of issue 11: ten simultaneous bursts of 100 000 (one runs, the rest are refused), then
 * bursts of 100 000 one after another. RSS before and after; the goal is under 900 MB.
 */
export async function embeddedFloodMemory(
  report: (name: string, value: string) => void,
): Promise<void> {
  const p = new EmbeddedPipeline({ timeZone: machineTimeZone(), demoRate: 2, seed: 1 });
  const router = new BurstRouter(p, null);
  p.start();
  report('embedded flood: RSS before (MB)', mb(process.memoryUsage().rss));
  const answers = await Promise.allSettled(Array.from({ length: 10 }, () => router.burst(100_000)));
  const refused = answers.filter((a) => a.status === 'rejected').length;
  report('embedded flood: 10 × 100 000 at once, refused', String(refused));
  report('embedded flood: RSS after the flood (MB)', mb(process.memoryUsage().rss));
  for (let i = 0; i < 5; i++) await router.burst(100_000);
  p.drain();
  report('embedded flood: RSS after 5 more bursts of 100 000 (MB)', mb(process.memoryUsage().rss));
  const s = p.stats();
  report(
    'embedded flood: live orders (engine) / table rows',
    `${s.engine.liveOrders} / ${s.table.rows}`,
  );
  report('embedded flood: pending lifecycle steps', String(s.simulator.pendingSteps));
  await p.stop();
}
