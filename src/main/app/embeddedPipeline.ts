/**
 * The embedded default: the whole workshop pipeline in one process, no AWS and no database.
 *   simulator → `order` table → changelog (contract 1) → engine → metric stream (contract 2) → hub
 * The same parsers and engine run here as against Kinesis, so the screen shows what production
 * would.
 */
import { type BurstSummary, orderRow, type MetricRecord } from '@shared/contracts';
import { parseMetricRecord } from '@shared/parse';
import { integer, parseWith } from '@shared/schemaKit';
import * as v from 'valibot';
import { dayStart } from '@shared/time';
import { readFileSync } from 'node:fs';
import { EngineLoop } from '../engine/engineLoop';
import { engineState } from '../engine/engineState';
import { MetricsEngine, type EngineStats } from '../engine/metricsEngine';
import { writePending } from '../lib/durableFile';
import type { StreamRecord } from '../kinesis/stream';
import { demoCustomer } from '../simulator/demoData';
import { InProcessStream } from '../kinesis/inProcessStream';
import { MetricHub } from './metricHub';
import { OrderTable, type OrderTableState } from '../simulator/orderTable';
import {
  Simulator,
  type OnBurstProgress,
  type SimulatorStats,
  type Step,
} from '../simulator/simulator';

const DAY = 86_400_000;

export interface EmbeddedPipelineOptions {
  timeZone: string;
  /** Background demo orders per second (0 = none). */
  demoRate: number;
  /** How often the engine emits coalesced records (default 500 ms). */
  emitIntervalMs?: number;
  /** Delay range between two lifecycle steps of an order, ms. */
  stepDelayMs?: [number, number];
  staleAfterMs?: number;
  seed?: number;
  /**
   * Where the demo table and the engine's state are kept between runs (the app's data folder),
   * so a restarted screen shows the day so far. None: every run starts empty.
   */
  stateFile?: string;
  /** How often the state is written (default 10 s), and always on stop. */
  checkpointIntervalMs?: number;
  /** Days kept: today and the ones before it (default 2, as the engine). */
  retentionDays?: number;
  /** The clock of every stage (tests move it). */
  now?: () => number;
}

/**
 * The embedded checkpoint: the table and the engine, taken at the same moment. Format 2 (written)
 * is lines of JSON: `{"embedded":2,savedAt,nextId,xid}`, then `{"o":[rows]}`, `{"s":[steps]}`
 * and the engine's lines (MetricsEngine.stateLines). Format 1 (one JSON object) is still read.
 */
const embeddedState = v.object({
  v: v.literal(1, 'unknown format'),
  savedAt: v.string(),
  table: v.object(
    {
      rows: v.array(orderRow),
      nextId: integer('"table.nextId" must be a whole number'),
      xid: integer('"table.xid" must be a whole number'),
    },
    'unknown format',
  ),
  engine: engineState,
  /** Lifecycle steps still to come, so orders go on moving after a restart. */
  steps: v.optional(
    v.array(v.object({ due: v.number(), orderId: v.number(), from: v.string() })),
    [],
  ),
});
const stateHeader = v.object({
  embedded: v.literal(2, 'unknown format'),
  savedAt: v.string(),
  nextId: integer('"nextId" must be a whole number'),
  xid: integer('"xid" must be a whole number'),
});
const step = v.object({ due: v.number(), orderId: v.number(), from: v.string() });
const stateRows = v.object({ o: v.array(orderRow) });
const stateSteps = v.object({ s: v.array(step) });

export interface PipelineStats {
  simulator: SimulatorStats;
  /** Orders the demo table holds: only those that may still change. */
  table: { rows: number };
  engine: EngineStats;
  metrics: { received: number; malformed: number; held: number };
  /** Why the saved state could not be used or written, if so. */
  stateProblem: string | null;
}

export class EmbeddedPipeline {
  readonly hub: MetricHub;
  readonly simulator: Simulator;
  readonly engine: MetricsEngine;
  readonly changelog = new InProcessStream('order_ds');
  readonly metricStream = new InProcessStream('metric_ds');
  private readonly table: OrderTable;
  private readonly loop: EngineLoop;
  /** Changes that arrived while a checkpoint held the engine; applied when it lets go. */
  private held: (readonly StreamRecord[])[] | null = null;
  /** Settled orders and the changelog's count when they settled (their last change is before). */
  private settled: [number, number][] = [];
  /** Why the saved state could not be used or written, if it could not. */
  stateProblem: string | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private metricsMalformed = 0;

  constructor(private readonly opts: EmbeddedPipelineOptions) {
    const tz = opts.timeZone;
    this.hub = new MetricHub(
      'embedded',
      opts.staleAfterMs ? { staleAfterMs: opts.staleAfterMs } : {},
    );
    const now = opts.now ? { now: opts.now } : {};
    const retention = opts.retentionDays ? { retentionDays: opts.retentionDays } : {};
    this.table = new OrderTable({
      changelog: this.changelog,
      dbTimeZone: tz,
      ...now,
      onSettle: (id) => this.settled.push([id, this.changelog.accepted]),
    });
    this.engine = new MetricsEngine({
      timeZone: tz,
      dbTimeZone: tz,
      customer: demoCustomer,
      ...now,
      ...retention,
    });
    this.simulator = new Simulator({
      sink: this.table,
      rate: opts.demoRate,
      ...now,
      ...(opts.stepDelayMs ? { stepDelayMs: opts.stepDelayMs } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    });
    const file = opts.stateFile;
    this.loop = new EngineLoop({
      engine: this.engine,
      metrics: this.metricStream,
      beforeEmit: () => this.prune(),
      ...(opts.emitIntervalMs ? { emitIntervalMs: opts.emitIntervalMs } : {}),
      checkpoint: file
        ? {
            intervalMs: opts.checkpointIntervalMs ?? 10_000,
            // The table and the engine at the same moment: the changelog is drained into the
            // engine, and what comes during the write waits.
            pause: () => {
              this.changelog.flush();
              this.held = [];
              return Promise.resolve();
            },
            resume: () => {
              const held = this.held ?? [];
              this.held = null;
              for (const batch of held) this.applyChanges(batch);
            },
            // The table is copied now, with the engine frozen at the same moment; the lines
            // are written after (the generator runs between the file's writes).
            write: () =>
              writePending(
                file,
                this.stateLines(this.table.snapshot(), this.simulator.pendingSteps()),
              ),
            saved: () => {
              this.stateProblem = null;
            },
            failed: (sentence) => {
              this.stateProblem = `cannot save the demo state to ${file}: ${sentence}`;
            },
          }
        : null,
    });
  }

  /** The checkpoint's lines, from copies of the table and steps taken with the engine frozen. */
  private *stateLines(table: OrderTableState, steps: readonly Step[]): Generator<string> {
    yield JSON.stringify({
      embedded: 2,
      savedAt: new Date().toISOString(),
      nextId: table.nextId,
      xid: table.xid,
    });
    for (let i = 0; i < table.rows.length; i += 10_000) {
      yield JSON.stringify({ o: table.rows.slice(i, i + 10_000) });
    }
    for (let i = 0; i < steps.length; i += 10_000) {
      yield JSON.stringify({ s: steps.slice(i, i + 10_000) });
    }
    yield* this.engine.stateLines();
  }

  private applyChanges(batch: readonly StreamRecord[]): void {
    if (this.held) {
      this.held.push(batch);
      return;
    }
    for (const r of batch) this.engine.foldRaw(r.data);
  }

  start(): void {
    this.restore();
    this.unsubscribe.push(
      this.changelog.subscribe((batch) => this.applyChanges(batch)),
      this.metricStream.subscribe((batch) => {
        const records: MetricRecord[] = [];
        for (const r of batch) {
          const parsed = parseMetricRecord(r.data, { timeZone: this.opts.timeZone });
          if (parsed.ok) records.push(parsed.value);
          else this.metricsMalformed++;
        }
        this.hub.apply(records);
      }),
    );
    this.loop.start();
    this.hub.start();
    this.simulator.start();
    this.hub.setStatus({
      source: 'embedded',
      state: 'ok',
      message: null,
      engine: { kind: 'engine', detail: 'livewall engine in this process', since: Date.now() },
    });
  }

  /** Stops every stage and writes the state one last time. */
  async stop(): Promise<void> {
    this.simulator.stop();
    this.loop.stopTimers();
    if (this.opts.stateFile) await this.loop.finalCheckpoint(5_000);
    for (const u of this.unsubscribe.splice(0)) u();
    this.hub.stop();
  }

  /** Writes the table and the engine, drained to the same moment (nothing without a state file). */
  async checkpoint(): Promise<void> {
    if (this.opts.stateFile) await this.loop.checkpoint();
  }

  /** Takes over the saved state, if any; a damaged file is set aside in favour of a fresh start. */
  private restore(): void {
    const file = this.opts.stateFile;
    if (!file) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // first run
    }
    const problem = text.startsWith('{"embedded":2')
      ? this.restoreLines(text)
      : this.restoreV1(text);
    if (problem) {
      this.stateProblem = `the saved demo state ${file} is unreadable (${problem}); starting empty`;
      // Nothing half-restored stays: a fresh engine and table.
      this.engine.reset();
      this.table.restore({ rows: [], nextId: 1, xid: 1 });
      this.simulator.restoreSteps([]);
      return;
    }
    this.engine.reemitAll();
  }

  private restoreV1(text: string): string | null {
    const state = parseWith(embeddedState, text, 'state');
    if (!state.ok) return state.error;
    this.table.restore(state.value.table);
    this.engine.restore(state.value.engine);
    this.simulator.restoreSteps(state.value.steps);
    return null;
  }

  /** Format 2, line by line (the text is walked, never split into one array of lines). */
  private restoreLines(text: string): string | null {
    let head: v.InferOutput<typeof stateHeader> | null = null;
    const rows: v.InferOutput<typeof orderRow>[] = [];
    const steps: v.InferOutput<typeof step>[] = [];
    const loader = this.engine.restoreLines();
    let engineLines = false;
    for (let at = 0; at < text.length;) {
      let end = text.indexOf('\n', at);
      if (end === -1) end = text.length;
      const line = text.slice(at, end);
      at = end + 1;
      if (line === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return 'a line is not JSON';
      }
      if (head === null) {
        const h = parseWith(stateHeader, value, 'state');
        if (!h.ok) return h.error;
        head = h.value;
      } else if (!engineLines && line.startsWith('{"o":')) {
        const r = parseWith(stateRows, value, 'state');
        if (!r.ok) return r.error;
        for (const row of r.value.o) rows.push(row);
      } else if (!engineLines && line.startsWith('{"s":')) {
        const r = parseWith(stateSteps, value, 'state');
        if (!r.ok) return r.error;
        for (const st of r.value.s) steps.push(st);
      } else {
        engineLines = true;
        const problem = loader.take(value);
        if (problem) return problem;
      }
    }
    if (head === null) return 'empty';
    const problem = loader.end();
    if (problem) return problem;
    this.table.restore({ rows, nextId: head.nextId, xid: head.xid });
    this.simulator.restoreSteps(steps);
    return null;
  }

  burst(orders: number, onProgress?: OnBurstProgress): Promise<BurstSummary> {
    return this.simulator.burst(orders, onProgress);
  }

  /** Moves everything in flight through every stage now (tests, shutdown). */
  drain(): void {
    this.changelog.flush();
    this.loop.emit();
    this.metricStream.flush();
  }

  stats(): PipelineStats {
    return {
      simulator: this.simulator.stats(),
      table: { rows: this.table.size },
      engine: this.engine.stats(),
      metrics: {
        received: this.hub.counts.received,
        malformed: this.metricsMalformed,
        held: this.hub.state.size,
      },
      stateProblem: this.stateProblem,
    };
  }

  /** Orders created before the oldest day kept leave the table, with their lifecycle steps. */
  private prune(): void {
    const now = (this.opts.now ?? Date.now)();
    const days = this.opts.retentionDays ?? 2;
    const tz = this.opts.timeZone;
    // The middle of the oldest day kept, so a 23- or 25-hour day still lands on its midnight.
    const cutoff = dayStart(dayStart(now, tz) - (days - 1) * DAY + DAY / 2, tz);
    this.simulator.forget(this.table.dropCreatedBefore(cutoff));
    this.retireSettled();
  }

  /**
   * Settled orders never change again: once the engine has folded their last change, it may let
   * their rows go (a day of bursts then holds only the orders in flight).
   */
  private retireSettled(): void {
    if (this.held || this.settled.length === 0) return;
    const folded = this.changelog.delivered;
    let n = 0;
    while (n < this.settled.length && (this.settled[n] as [number, number])[1] <= folded) n++;
    if (n === 0) return;
    const ids = this.settled.slice(0, n).map(([id]) => id);
    this.settled = this.settled.slice(n);
    this.engine.retire(ids);
  }
}
