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

/**
 * How soon a fresh embedded pipeline at the default demo rate has today's first orders in the
 * screen's state (what `livewall web` shows first; test/e2e/web.test.ts only waits for them).
 */
export async function embeddedFirstOrders(
  report: (name: string, value: string) => void,
): Promise<void> {
  const tz = machineTimeZone();
  const p = new EmbeddedPipeline({ timeZone: tz, demoRate: 2, seed: 1 });
  const id = metricIdentity({
    name: 'orders',
    window: '1d',
    start: dayStart(Date.now(), tz),
    dims: {},
  });
  const t0 = performance.now();
  p.start();
  while ((p.hub.state.get(id)?.value ?? 0) === 0) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - t0;
  p.stop();
  report(
    'embedded: first orders in the screen state at demo rate 2 (ms, goal < 5 000)',
    ms.toFixed(0),
  );
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

/**
 * The flood of issues 11 and 24: ten simultaneous bursts of 100 000 (one runs, the rest are
 * refused), then 20 bursts of 100 000 one after another, with the app's state file. Peak RSS
 * (goal under 600 MB), the longest the event loop was blocked (what /healthz would wait), and how
 * long stop() takes with its last checkpoint (goal under 5 s).
 */
export async function embeddedFloodMemory(
  report: (name: string, value: string) => void,
): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const dir = mkdtempSync(join(tmpdir(), 'livewall-flood-'));
  const p = new EmbeddedPipeline({
    timeZone: machineTimeZone(),
    demoRate: 2,
    seed: 1,
    stateFile: join(dir, 'state.json'),
  });
  const router = new BurstRouter(p, null);
  p.start();
  let peak = process.memoryUsage().rss;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  report('embedded flood: RSS before (MB)', mb(process.memoryUsage().rss));
  const answers = await Promise.allSettled(Array.from({ length: 10 }, () => router.burst(100_000)));
  const refused = answers.filter((a) => a.status === 'rejected').length;
  report('embedded flood: 10 × 100 000 at once, refused', String(refused));
  for (let i = 0; i < 20; i++) await router.burst(100_000);
  p.drain();
  await p.checkpoint();
  clearInterval(sampler);
  delay.disable();
  report('embedded flood: peak RSS through 21 bursts of 100 000 (MB, goal < 600)', mb(peak));
  report('embedded flood: peak heap used (MB)', mb(peakHeap));
  report('embedded flood: longest event-loop block (ms, goal < 500)', (delay.max / 1e6).toFixed(0));
  const v8 = await import('node:v8');
  const vm = await import('node:vm');
  v8.setFlagsFromString('--expose_gc');
  (vm.runInNewContext('gc') as () => void)();
  report('embedded flood: heap held after a full GC (MB)', mb(process.memoryUsage().heapUsed));
  const s = p.stats();
  report(
    'embedded flood: live orders (engine) / table rows',
    `${s.engine.liveOrders} / ${s.table.rows}`,
  );
  report('embedded flood: pending lifecycle steps', String(s.simulator.pendingSteps));
  const t0 = performance.now();
  await p.stop();
  report(
    'embedded flood: stop() with its last checkpoint (ms, goal < 5000)',
    (performance.now() - t0).toFixed(0),
  );
  rmSync(dir, { recursive: true, force: true });
}
