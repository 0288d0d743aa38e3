/**
 * A bounded simulation run, as `bin/livewall simulate` and the app's MySQL bursts do it: N orders
 * at a rate (or as fast as the sink takes them), then, with lifecycle, every order walked through
 * its statuses until none has a step left. The existing Simulator does the shop's logic; this
 * only paces it and waits for it to settle.
 */
import type { BurstSummary } from '@shared/contracts';
import type { OrderSink } from '../simulator/orderTable';
import { Simulator } from '../simulator/simulator';
import { sleep } from '../lib/backoff';

export interface SimulationOptions {
  sink: OrderSink;
  /** Orders to insert; 0 = until the signal aborts (needs a rate). */
  orders: number;
  /** Orders per second; 0 = as fast as the sink takes them. */
  rate: number;
  lifecycle: boolean;
  /** Delay range between two status changes of one order, ms. */
  stepDelayMs?: [number, number];
  seed?: number;
  /** Who places orders: the demo's population (default) or the workshop's four addresses. */
  customers?: 'population' | 'workshop';
  /** Stops inserting; lifecycle steps still due are skipped, never half-done. */
  signal?: AbortSignal;
  onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress extends BurstSummary {
  /** Orders the run still has to insert (null when unbounded). */
  remaining: number | null;
  /** Lifecycle steps waiting for their time. */
  pendingSteps: number;
}

const CHUNK = 500;
const TICK_MS = 25;

export async function runSimulation(opts: SimulationOptions): Promise<BurstSummary> {
  if (opts.orders === 0 && opts.rate <= 0) {
    throw new Error('an unbounded simulation (orders 0) needs a rate');
  }
  const sim = new Simulator({
    sink: opts.sink,
    rate: 0, // paced here, so that exactly `orders` are inserted
    lifecycle: opts.lifecycle,
    stepDelayMs: opts.stepDelayMs ?? [1_000, 5_000],
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.customers ? { customers: opts.customers } : {}),
  });
  const aborted = (): boolean => opts.signal?.aborted === true;
  const summary = (): BurstSummary => {
    const s = sim.stats();
    return { inserted: s.inserted, updated: s.updated, failed: s.failed };
  };
  const progress = (issued: number): void =>
    opts.onProgress?.({
      ...summary(),
      remaining: opts.orders === 0 ? null : opts.orders - issued,
      pendingSteps: sim.stats().pendingSteps,
    });

  const started = Date.now();
  let issued = 0;
  while (!aborted() && (opts.orders === 0 || issued < opts.orders)) {
    const left = opts.orders === 0 ? Infinity : opts.orders - issued;
    const owed =
      opts.rate > 0 ? Math.floor(((Date.now() - started) / 1000) * opts.rate) + 1 - issued : left;
    const n = Math.min(owed, left, CHUNK);
    if (n > 0) {
      await sim.burst(n);
      issued += n;
    }
    await sim.tick(); // lifecycle steps that are due
    progress(issued);
    if (n <= 0 || opts.rate > 0) await sleep(TICK_MS, opts.signal);
  }
  while (opts.lifecycle && !aborted() && sim.stats().pendingSteps > 0) {
    await sim.tick();
    progress(issued);
    await sleep(TICK_MS, opts.signal);
  }
  return summary();
}
