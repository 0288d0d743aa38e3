/**
 * Demo bursts into the configured MySQL, as the app's panel and menu fire them: the workshop's
 * generator (with the lifecycle, when asked) through the exact-count sink, one burst at a time.
 * The password comes from the sources given (environment, the app's keychain), found anew for
 * each burst so a password saved meanwhile is used.
 */
import type { BurstSummary } from '@shared/contracts';
import { createMySqlConnector } from './connect';
import { describeMySqlError } from './errors';
import { checkOrderTable } from './orderSchema';
import { MySqlOrderSink } from './orderSink';
import type { PasswordSource } from './password';
import { runSimulation, type SimulationProgress } from './simulation';
import { describeMySqlTarget, type MySqlTarget } from './target';

export interface MySqlBursterOptions {
  target: MySqlTarget;
  passwords: () => PasswordSource[];
  lifecycle: boolean;
  /** Delay range between two status changes of one order, ms (default 1–5 s). */
  stepDelayMs?: [number, number];
}

/** A burst that could not start or was refused: the message is the sentence to show. */
export class MySqlBurstError extends Error {}

export class MySqlBurster {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: MySqlBursterOptions) {}

  /** `user@host:port/database`, never a password. */
  get label(): string {
    return `MySQL ${describeMySqlTarget(this.opts.target)}`;
  }

  burst(orders: number, onProgress?: (p: SimulationProgress) => void): Promise<BurstSummary> {
    const run = this.chain.then(() => this.run(orders, onProgress));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async run(
    orders: number,
    onProgress?: (p: SimulationProgress) => void,
  ): Promise<BurstSummary> {
    const { target } = this.opts;
    let connector;
    try {
      connector = await createMySqlConnector(target, { passwords: this.opts.passwords() });
      const conn = await connector.connect();
      try {
        const problem = await checkOrderTable(conn, target.database, false);
        if (problem) throw new MySqlBurstError(problem);
      } finally {
        await conn.end().catch(() => conn.destroy());
      }
    } catch (err) {
      if (err instanceof MySqlBurstError) throw err;
      throw new MySqlBurstError(describeMySqlError(err, target), { cause: err });
    }
    const ready = connector;
    const sink = new MySqlOrderSink({ connect: () => ready.connect() });
    try {
      return await runSimulation({
        sink,
        orders,
        rate: 0,
        lifecycle: this.opts.lifecycle,
        ...(this.opts.stepDelayMs ? { stepDelayMs: this.opts.stepDelayMs } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
    } finally {
      await sink.close();
    }
  }
}
