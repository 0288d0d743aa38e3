/**
 * The embedded pipeline's health probe: three orders through the whole in-process pipeline. It
 * lives beside the pipeline it tests; health (a layer below) runs it as the plan's `embedded`.
 */
import { metricIdentity } from '@shared/identity';
import { dayStart } from '@shared/time';
import { HealthFailure } from '../health/healthFailure';
import type { ProbeAnswer } from '../health/runHealth';
import { EmbeddedPipeline } from './embeddedPipeline';

/** Three orders through the in-process pipeline; the screen's state must count all three. */
export async function embeddedSelfTest(timeZone: string): Promise<ProbeAnswer> {
  const p = new EmbeddedPipeline({ timeZone, demoRate: 0 });
  p.start();
  try {
    const summary = await p.burst(3);
    p.drain();
    const id = metricIdentity({
      name: 'orders',
      window: '1d',
      start: dayStart(Date.now(), timeZone),
      dims: {},
    });
    const seen = p.hub.state.get(id)?.value ?? 0;
    if (summary.inserted !== 3 || seen !== 3) {
      throw new HealthFailure(
        `the in-process pipeline lost orders: 3 sent, ${seen} on the screen`,
        { code: 'embedded-lost', sent: 3, seen },
      );
    }
    return {
      detail: 'simulator → changelog → engine → screen state folds orders exactly (3 of 3)',
      words: { code: 'embedded-ok', orders: 3 },
    };
  } finally {
    await p.stop();
  }
}
