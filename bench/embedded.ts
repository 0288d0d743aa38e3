import { metricIdentity } from '../src/shared/identity';
import { dayStart, machineTimeZone } from '../src/shared/time';
import { EmbeddedPipeline } from '../src/main/app/embeddedPipeline';

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
