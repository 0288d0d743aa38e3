import { describe, expect, test } from 'vitest';
import type { BurstSummary } from '../../../src/shared/contracts';
import { BurstBusyError, BurstRouter, busySentence } from '../../../src/main/app/burstRouter';
import type { EmbeddedPipeline } from '../../../src/main/app/embeddedPipeline';
import type { OnBurstProgress } from '../../../src/main/simulator/simulator';

/** An embedded target whose burst runs until the test lets it finish. */
function heldPipeline(): {
  pipeline: EmbeddedPipeline;
  advance(done: number): void;
  finish(): void;
} {
  let report: OnBurstProgress | undefined;
  let finish: (s: BurstSummary) => void = () => undefined;
  let requested = 0;
  const pipeline = {
    burst: (orders: number, onProgress?: OnBurstProgress) => {
      requested = orders;
      report = onProgress;
      return new Promise<BurstSummary>((resolve) => (finish = resolve));
    },
  } as unknown as EmbeddedPipeline;
  return {
    pipeline,
    advance: (done) => report?.(done, requested),
    finish: () => finish({ inserted: requested, updated: 0, failed: 0 }),
  };
}

describe('burst router', () => {
  test('one burst at a time per target: a second is refused at once with what runs', async () => {
    const held = heldPipeline();
    const router = new BurstRouter(held.pipeline, null);
    const first = router.burst(100_000);
    held.advance(37_000);
    // What the web server and the Electron IPC handler both call (ScreenFeed.burst → here).
    await expect(router.burst(10)).rejects.toThrow(BurstBusyError);
    await expect(router.burst(10, 'embedded')).rejects.toThrow(
      'A burst of 100 000 demo orders is running (37 000 sent); wait for it to finish.',
    );
    held.finish();
    await expect(first).resolves.toEqual({ inserted: 100_000, updated: 0, failed: 0 });
    const next = router.burst(5);
    held.finish();
    await expect(next).resolves.toMatchObject({ inserted: 5 });
  });

  test.each([
    [
      'embedded',
      100_000,
      0,
      'A burst of 100 000 demo orders is running (0 sent); wait for it to finish.',
    ],
    [
      'mysql',
      1_500,
      999,
      'A burst of 1 500 orders to MySQL is running (999 sent); wait for it to finish.',
    ],
  ] as const)('busy sentence for %s', (target, requested, sent, want) => {
    expect(busySentence(target, requested, sent)).toBe(want);
  });
});
