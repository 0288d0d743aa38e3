/**
 * The engine's drive loop, one for both hosts (the embedded pipeline and the engine on Kinesis):
 * the host applies changes as they come; the loop emits the engine's coalesced records on a timer
 * and writes a checkpoint only once every output up to it is acknowledged, so a restart from the
 * checkpoint neither loses nor double-counts a change.
 */
import { metricPartitionKey } from '@shared/identity';
import type { Stream } from '../kinesis/stream';
import type { MetricsEngine } from './metricsEngine';

export interface EngineLoopOptions<S> {
  engine: MetricsEngine;
  /** Where contract 2 records go. */
  metrics: Stream;
  /** Other outputs a checkpoint waits for (the wide-row stream). */
  alsoAwait?: readonly Stream[];
  /** Runs before each emit (the embedded pipeline prunes its table to the days kept). */
  beforeEmit?: () => void;
  /** How often the engine emits coalesced records (default 500 ms). */
  emitIntervalMs?: number;
  /** Null: no checkpoints (every start is fresh). */
  checkpoint: CheckpointHooks<S> | null;
}

export interface CheckpointHooks<S> {
  intervalMs: number;
  /** Runs before the emit that precedes a checkpoint: the host moves its input along. */
  settle?: () => void;
  /** The state to keep, taken at this moment (after the emit); null: nothing to keep yet. */
  take: () => S | null;
  /** Writes it; called only after every output up to it is acknowledged. */
  save: (state: S) => Promise<void>;
}

export class EngineLoop<S> {
  /** Records put on the metric stream so far. */
  emitted = 0;
  private emitTimer: NodeJS.Timeout | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private checkpointing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: EngineLoopOptions<S>) {}

  start(): void {
    this.emitTimer = setInterval(() => this.emit(), this.opts.emitIntervalMs ?? 500);
    const cp = this.opts.checkpoint;
    if (cp) this.checkpointTimer = setInterval(() => void this.checkpoint(), cp.intervalMs);
  }

  /** Stops the timers; the host then calls checkpoint() for a last one. */
  stopTimers(): void {
    if (this.emitTimer) clearInterval(this.emitTimer);
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    this.emitTimer = this.checkpointTimer = null;
  }

  /** Puts what the engine has coalesced since the last emit on the metric stream. */
  emit(): void {
    this.opts.beforeEmit?.();
    const records = this.opts.engine.drain();
    if (records.length === 0) return;
    this.opts.metrics.put(
      records.map((r) => ({ partitionKey: metricPartitionKey(r), data: JSON.stringify(r) })),
    );
    this.emitted += records.length;
  }

  /**
   * Emits, takes the state now, and writes it once the outputs have acknowledged everything up to
   * it. One at a time, in call order. Without checkpoints it only waits for the outputs.
   */
  checkpoint(): Promise<void> {
    const cp = this.opts.checkpoint;
    cp?.settle?.();
    this.emit();
    const state = cp ? cp.take() : null;
    // Asked now, so it covers exactly what was put up to the state taken.
    const acked = Promise.all(
      [this.opts.metrics, ...(this.opts.alsoAwait ?? [])].map((s) => s.drained()),
    );
    this.checkpointing = this.checkpointing.then(async () => {
      await acked;
      if (cp && state !== null) await cp.save(state);
    });
    return this.checkpointing;
  }
}
