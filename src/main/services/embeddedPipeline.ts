/**
 * The embedded default: the whole workshop pipeline in one process, no AWS and no database.
 *   simulator → `order` table → changelog (contract 1) → engine → metric stream (contract 2) → hub
 * The same parsers and engine run here as against Kinesis, so the screen shows what production
 * would.
 */
import type { BurstSummary } from '@shared/api';
import { parseMetricRecord } from '@shared/parse';
import type { MetricRecord } from '@shared/contracts';
import { metricPartitionKey } from '@shared/identity';
import { MetricsEngine, type EngineStats } from '../engine/metricsEngine';
import { demoCustomer } from './demoData';
import { InProcessStream } from './inProcessStream';
import { MetricHub } from './metricHub';
import { OrderTable } from './orderTable';
import { Simulator, type BurstProgress, type SimulatorStats } from './simulator';

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
}

export interface PipelineStats {
  simulator: SimulatorStats;
  engine: EngineStats;
  metrics: { received: number; malformed: number; held: number };
}

export class EmbeddedPipeline {
  readonly hub: MetricHub;
  readonly simulator: Simulator;
  readonly engine: MetricsEngine;
  readonly changelog = new InProcessStream('order_ds');
  readonly metricStream = new InProcessStream('metric_ds');
  private readonly table: OrderTable;
  private emitTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private metricsMalformed = 0;

  constructor(private readonly opts: EmbeddedPipelineOptions) {
    const tz = opts.timeZone;
    this.hub = new MetricHub(
      'embedded',
      opts.staleAfterMs ? { staleAfterMs: opts.staleAfterMs } : {},
    );
    this.table = new OrderTable({ changelog: this.changelog, dbTimeZone: tz });
    this.engine = new MetricsEngine({ timeZone: tz, dbTimeZone: tz, customer: demoCustomer });
    this.simulator = new Simulator({
      sink: this.table,
      rate: opts.demoRate,
      ...(opts.stepDelayMs ? { stepDelayMs: opts.stepDelayMs } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    });
  }

  start(): void {
    this.unsubscribe.push(
      this.changelog.subscribe((batch) => {
        for (const r of batch) this.engine.applyRaw(r.data);
      }),
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
    this.emitTimer = setInterval(() => this.emit(), this.opts.emitIntervalMs ?? 500);
    this.hub.start();
    this.simulator.start();
    this.hub.setStatus({ source: 'embedded', state: 'ok', message: null });
  }

  stop(): void {
    this.simulator.stop();
    if (this.emitTimer) clearInterval(this.emitTimer);
    this.emitTimer = null;
    for (const u of this.unsubscribe.splice(0)) u();
    this.hub.stop();
  }

  burst(orders: number, onProgress?: BurstProgress): Promise<BurstSummary> {
    return this.simulator.burst(orders, onProgress);
  }

  /** Moves everything in flight through every stage now (tests, shutdown). */
  drain(): void {
    this.changelog.flush();
    this.emit();
    this.metricStream.flush();
  }

  stats(): PipelineStats {
    return {
      simulator: this.simulator.stats(),
      engine: this.engine.stats(),
      metrics: {
        received: this.hub.counts.received,
        malformed: this.metricsMalformed,
        held: this.hub.state.size,
      },
    };
  }

  private emit(): void {
    const records = this.engine.drain();
    if (records.length === 0) return;
    this.metricStream.put(
      records.map((r) => ({ partitionKey: metricPartitionKey(r), data: JSON.stringify(r) })),
    );
  }
}
