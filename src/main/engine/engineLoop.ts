/**
 * The engine's drive loop, one for both hosts (the embedded pipeline and the engine on Kinesis):
 * the host applies changes as they come; the loop emits the engine's coalesced records on a timer
 * and keeps a checkpoint that a restart resumes from without losing or double-counting a change.
 *
 * Emits are bounded by what the metric stream has not acknowledged yet; groups not emitted stay
 * dirty in the engine, and a restart from a checkpoint emits every group again (reemitAll), so a
 * checkpoint never depends on a full drain.
 *
 * A checkpoint, at most one at a time and never while the previous one waits:
 *   1. the host pauses its input; what was applied is emitted;
 *   2. the engine is frozen and its state streamed to a temporary file, then the input resumes
 *      (the pause lasts as long as the write, not as long as the outputs take);
 *   3. once the outputs have acknowledged everything put before step 2, the file replaces the
 *      last checkpoint. While an output is down the file waits and no other snapshot is taken,
 *      so an outage costs no memory.
 */
import { metricIdentity, partitionKeyOfIdentity } from '@shared/identity';
import type { PendingFile } from '../lib/durableFile';
import type { Stream } from '../kinesis/stream';
import type { MetricsEngine } from './metricsEngine';

export interface EngineLoopOptions {
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
  checkpoint: CheckpointHooks | null;
  /**
   * Most metric records unacknowledged before an emit holds back (default 20 000): the engine
   * keeps coalescing meanwhile, so a slow metric stream costs no queue.
   */
  maxUnacked?: number;
  /**
   * True while the input is far behind (a backlog being caught up): emits then come at most every
   * 5 s, and only of what the screen shows now (the days, and the minutes of the last two hours);
   * the other minutes coalesce in the engine and go out once, when the input has caught up. The
   * output (and a single-threaded local Kinesis serving both sides) is not spent on values that
   * are replaced seconds later.
   */
  catchingUp?: () => boolean;
  now?: () => number;
}

const CATCH_UP_EMIT_MS = 5_000;
/** While catching up, minutes older than this wait (the screen's trend spans the last hour). */
const CATCH_UP_RECENT_MS = 2 * 3_600_000;

export interface CheckpointHooks {
  /** The least time between two checkpoints; a slow write stretches it (4 × its duration). */
  intervalMs: number;
  /** Holds the input back; resolves once nothing is being applied. */
  pause: () => Promise<void>;
  resume: () => void;
  /** Writes the state of this moment (the engine is frozen meanwhile); null: nothing to keep. */
  write: () => Promise<PendingFile | null>;
  /** The checkpoint is in place. */
  saved?: () => void;
  /** A checkpoint failed or was given up; the previous one stays. */
  failed?: (sentence: string) => void;
}

export class EngineLoop {
  /** Records put on the metric stream so far. */
  emitted = 0;
  private emitTimer: NodeJS.Timeout | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  private nextAt = 0;
  /** Ends the wait for acknowledgements of the checkpoint in progress (on stop). */
  private giveUp: (() => void) | null = null;
  private stopping = false;
  private lastEmitAt = 0;

  constructor(private readonly opts: EngineLoopOptions) {}

  start(): void {
    this.emitTimer = setInterval(() => this.emit(), this.opts.emitIntervalMs ?? 500);
    const cp = this.opts.checkpoint;
    if (cp) {
      this.nextAt = Date.now() + cp.intervalMs;
      this.checkpointTimer = setInterval(
        () => {
          if (!this.running && Date.now() >= this.nextAt) void this.checkpoint();
        },
        Math.min(cp.intervalMs, 1_000),
      );
    }
  }

  /** Stops the timers; the host then calls finalCheckpoint(). */
  stopTimers(): void {
    if (this.emitTimer) clearInterval(this.emitTimer);
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    this.emitTimer = this.checkpointTimer = null;
  }

  /** Puts what the engine has coalesced since the last emit on the metric stream. */
  emit(force = false): void {
    const catchingUp = this.opts.catchingUp?.() === true;
    if (!force && catchingUp && Date.now() - this.lastEmitAt < CATCH_UP_EMIT_MS) return;
    this.lastEmitAt = Date.now();
    this.opts.beforeEmit?.();
    // An in-process stream takes everything at once (it has no acknowledgements to wait for).
    const unacked = this.opts.metrics.unacked;
    const room = unacked === undefined ? Infinity : (this.opts.maxUnacked ?? 20_000) - unacked;
    const since = (this.opts.now ?? Date.now)() - CATCH_UP_RECENT_MS;
    const records = this.opts.engine.drain(
      Math.max(0, room),
      catchingUp ? (window, start) => window === '1d' || start >= since : undefined,
    );
    if (records.length === 0) return;
    this.opts.metrics.put(
      records.map((r) => {
        // The identity lets a writer that cannot send yet replace a queued older value.
        const identity = metricIdentity(r);
        return {
          partitionKey: partitionKeyOfIdentity(identity),
          identity,
          data: JSON.stringify(r),
        };
      }),
    );
    this.emitted += records.length;
  }

  /**
   * Takes a checkpoint, unless one is in progress (then resolves with that one). Resolves true
   * once it is in place. Without checkpoints it emits and waits for the outputs.
   */
  checkpoint(): Promise<boolean> {
    this.running ??= this.run(Infinity).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * The last checkpoint before stopping (input already stopped): ends the wait of one in
   * progress, then takes a new one and gives the outputs `ackTimeoutMs` to acknowledge it.
   */
  async finalCheckpoint(ackTimeoutMs: number): Promise<boolean> {
    this.stopping = true;
    this.giveUp?.();
    await this.running;
    this.running = this.run(ackTimeoutMs).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(ackTimeoutMs: number): Promise<boolean> {
    const cp = this.opts.checkpoint;
    const outputs = [this.opts.metrics, ...(this.opts.alsoAwait ?? [])];
    if (!cp) {
      this.emit(true);
      return this.acked(outputs, ackTimeoutMs);
    }
    const started = Date.now();
    let file: PendingFile | null;
    let acked: Promise<boolean>;
    await cp.pause();
    try {
      this.emit(true);
      // Asked now, so it covers exactly what was put up to the state written next.
      acked = this.acked(outputs, ackTimeoutMs);
      this.opts.engine.freeze();
      try {
        file = await cp.write();
      } finally {
        this.opts.engine.thaw();
      }
    } catch (err) {
      cp.failed?.(`the checkpoint could not be written: ${(err as Error).message}`);
      return false;
    } finally {
      cp.resume();
      this.nextAt = Date.now() + Math.max(cp.intervalMs, 4 * (Date.now() - started));
    }
    if (!file) return false;
    if (!(await acked)) {
      await file.discard();
      cp.failed?.(
        'the outputs did not acknowledge every record in time, so the previous checkpoint stays (a restart replays from it; the metrics come out the same)',
      );
      return false;
    }
    try {
      await file.commit();
    } catch (err) {
      cp.failed?.(`the checkpoint could not be put in place: ${(err as Error).message}`);
      return false;
    }
    cp.saved?.();
    return true;
  }

  /** True once every output acknowledged what was put so far; false on timeout or give-up. */
  private acked(outputs: readonly Stream[], timeoutMs: number): Promise<boolean> {
    // A periodic checkpoint that starts once stopping has begun does not wait at all.
    if (this.stopping && !Number.isFinite(timeoutMs)) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.giveUp = null;
        resolve(ok);
      };
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => done(false), timeoutMs);
      this.giveUp = () => done(false);
      void Promise.all(outputs.map((s) => s.drained())).then(() => done(true));
    });
  }
}
