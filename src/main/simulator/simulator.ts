/**
 * The demo order generator (the workshop's write_db.py, done as a shop behaves): orders are
 * inserted `unpaid`, then move through their statuses by update; some are cancelled. A background
 * rate keeps the screen alive and bursts fire N orders at once.
 */
import type { BurstSummary } from '@shared/contracts';
import { DEMO_CITIES } from '@shared/demoCities';
import { pickDemoMail, pickWorkshopMail } from './demoData';
import type { NewOrder, OrderSink } from './orderTable';
import { intBetween, pick, seededRandom, type Random } from '../lib/random';

export interface SimulatorOptions {
  sink: OrderSink;
  /** Background orders per second; 0 = none. */
  rate?: number;
  /** Whether orders move through their lifecycle after insert. */
  lifecycle?: boolean;
  /** Delay range between two status changes of one order, ms. */
  stepDelayMs?: [number, number];
  tickMs?: number;
  seed?: number;
  now?: () => number;
  /** Who places orders: the demo's population (default) or the workshop's four addresses. */
  customers?: 'population' | 'workshop';
}

export interface SimulatorStats extends BurstSummary {
  background: { inserted: number };
  bursts: { count: number; inserted: number };
  /** Lifecycle steps waiting for their time. */
  pendingSteps: number;
}

export type OnBurstProgress = (done: number, total: number) => void;

/** A lifecycle step waiting for its time (kept in the embedded checkpoint). */
export interface Step {
  due: number;
  orderId: number;
  from: string;
}

/** Next status and its probability, by current status. The rest of the mass stays put. */
const TRANSITIONS: Record<string, readonly [string, number][]> = {
  unpaid: [
    ['paid', 0.75],
    ['cancel', 0.2],
  ],
  paid: [
    ['shipping', 0.9],
    ['cancel', 0.1],
  ],
  shipping: [['finished', 1]],
};

const BURST_CHUNK = 500;
/**
 * Lifecycle steps kept waiting at most: beyond it, new orders stay as inserted. Bursts are one at
 * a time and steps come due within seconds, so this is only met by a flood; it bounds memory then.
 * One burst of 100 000 fits; with 250 000, 21 bursts back to back peaked at 726 MB RSS, with
 * 120 000 at 475 MB (`npm run bench`, embedded flood).
 */
export const MAX_PENDING_STEPS = 120_000;

export class Simulator {
  private readonly sink: OrderSink;
  private readonly rnd: Random;
  private readonly now: () => number;
  private readonly lifecycle: boolean;
  private readonly stepDelay: [number, number];
  private readonly tickMs: number;
  private readonly pickMail: (rnd: Random) => string;
  private rate: number;
  private rateBase = { at: 0, issued: 0 };
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private steps: Step[] = [];
  private burstChain: Promise<unknown> = Promise.resolve();
  private readonly counts = {
    inserted: 0,
    updated: 0,
    failed: 0,
    background: 0,
    bursts: 0,
    burstInserted: 0,
  };

  constructor(opts: SimulatorOptions) {
    this.sink = opts.sink;
    this.rate = Math.max(0, opts.rate ?? 0);
    this.lifecycle = opts.lifecycle ?? true;
    this.stepDelay = opts.stepDelayMs ?? [3_000, 20_000];
    this.tickMs = opts.tickMs ?? 200;
    this.rnd = seededRandom(opts.seed ?? Date.now());
    this.now = opts.now ?? Date.now;
    this.pickMail = opts.customers === 'workshop' ? pickWorkshopMail : pickDemoMail;
  }

  /** One order as the workshop's generator makes it. */
  newOrder(): NewOrder {
    return {
      user_mail: this.pickMail(this.rnd),
      status: 'unpaid',
      good_count: intBetween(this.rnd, 1, 10),
      city: pick(this.rnd, DEMO_CITIES),
      amount: intBetween(this.rnd, 1000, 100_000) / 100,
    };
  }

  start(): void {
    if (this.timer) return;
    this.rateBase = { at: this.now(), issued: 0 };
    this.timer = setInterval(() => void this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  setRate(rate: number): void {
    this.rate = Math.max(0, rate);
    this.rateBase = { at: this.now(), issued: 0 };
  }

  stats(): SimulatorStats {
    const c = this.counts;
    return {
      inserted: c.inserted,
      updated: c.updated,
      failed: c.failed,
      background: { inserted: c.background },
      bursts: { count: c.bursts, inserted: c.burstInserted },
      pendingSteps: this.steps.length,
    };
  }

  /** The lifecycle steps still to come, for a checkpoint. */
  pendingSteps(): Step[] {
    return this.steps.map((step) => ({ ...step }));
  }

  /** Takes over a checkpoint's steps; those already due run at the next tick. */
  restoreSteps(steps: readonly Step[]): void {
    this.steps = steps.map((step) => ({ ...step }));
  }

  /** Background inserts owed by the rate, then every lifecycle step that is due. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.now();
      const owed = Math.floor(((now - this.rateBase.at) / 1000) * this.rate) - this.rateBase.issued;
      // After a long pause (a sleeping laptop) do not fire a flood: cap at two seconds' worth.
      const n = Math.min(owed, Math.ceil(this.rate * 2));
      if (owed > n) this.rateBase.issued += owed - n;
      for (let i = 0; i < n; i++) {
        this.rateBase.issued++;
        if (await this.insertOne()) this.counts.background++;
      }
      await this.runDueSteps(now);
    } finally {
      this.ticking = false;
    }
  }

  /** Inserts `total` orders now; resolves with exactly what was done. Bursts run one at a time. */
  burst(total: number, onProgress?: OnBurstProgress): Promise<BurstSummary> {
    const run = this.burstChain.then(() => this.runBurst(total, onProgress));
    this.burstChain = run.catch(() => undefined);
    return run;
  }

  private async runBurst(total: number, onProgress?: OnBurstProgress): Promise<BurstSummary> {
    const summary: BurstSummary = { inserted: 0, updated: 0, failed: 0 };
    this.counts.bursts++;
    for (let done = 0; done < total;) {
      const end = Math.min(total, done + BURST_CHUNK);
      for (; done < end; done++) {
        if (await this.insertOne()) summary.inserted++;
        else summary.failed++;
      }
      onProgress?.(done, total);
      // Yield between chunks so pushes to the screen keep flowing during a large burst.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.counts.burstInserted += summary.inserted;
    return summary;
  }

  private async insertOne(): Promise<boolean> {
    const order = this.newOrder();
    try {
      const id = await this.sink.insert(order);
      this.counts.inserted++;
      this.schedule(id, order.status);
      return true;
    } catch {
      this.counts.failed++;
      return false;
    }
  }

  /** Drops the steps of orders that are gone (outside the days kept). */
  forget(orderIds: readonly number[]): void {
    if (orderIds.length === 0 || this.steps.length === 0) return;
    const gone = new Set(orderIds);
    this.steps = this.steps.filter((s) => !gone.has(s.orderId));
  }

  private schedule(orderId: number, from: string): void {
    if (!this.lifecycle || !TRANSITIONS[from] || this.steps.length >= MAX_PENDING_STEPS) {
      this.sink.settle?.(orderId);
      return;
    }
    const [lo, hi] = this.stepDelay;
    this.steps.push({ due: this.now() + intBetween(this.rnd, lo, hi), orderId, from });
  }

  private async runDueSteps(now: number): Promise<void> {
    if (this.steps.length === 0) return;
    const due = this.steps.filter((s) => s.due <= now);
    if (due.length === 0) return;
    this.steps = this.steps.filter((s) => s.due > now);
    let done = 0;
    for (const step of due) {
      // A burst's steps come due together: yield now and then, so the screen and /healthz
      // are answered while 100 000 orders move on.
      if (++done % BURST_CHUNK === 0) await new Promise((resolve) => setImmediate(resolve));
      const next = this.nextStatus(step.from);
      if (!next) {
        this.sink.settle?.(step.orderId);
        continue;
      }
      try {
        await this.sink.update(step.orderId, { status: next });
        this.counts.updated++;
        this.schedule(step.orderId, next);
      } catch {
        this.counts.failed++;
      }
    }
  }

  private nextStatus(from: string): string | null {
    let x = this.rnd();
    for (const [to, p] of TRANSITIONS[from] ?? []) {
      if (x < p) return to;
      x -= p;
    }
    return null;
  }
}
