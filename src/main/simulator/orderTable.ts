/**
 * The embedded stand-in for MySQL's `order` table plus its binlog capture: every write becomes a
 * contract 1 event (Maxwell's shape) on the changelog stream.
 */
import type { ChangeEvent, OrderRow } from '@shared/contracts';
import { formatDbDatetime, parseDbDatetime } from '@shared/time';
import type { Stream } from '../kinesis/stream';

export type NewOrder = Pick<OrderRow, 'user_mail' | 'status' | 'good_count' | 'city' | 'amount'>;
export type OrderChanges = Partial<Omit<OrderRow, 'order_id' | 'create_time'>>;

/** Where the simulator writes: the embedded table here, MySQL elsewhere. */
export interface OrderSink {
  insert(order: NewOrder): Promise<number>;
  update(orderId: number, changes: OrderChanges): Promise<void>;
  /** The order will not change again: a sink that keeps rows in memory may let it go. */
  settle?(orderId: number): void;
}

export interface OrderTableOptions {
  changelog: Stream;
  /** Zone the datetime columns are written in (the database's zone). */
  dbTimeZone: string;
  database?: string;
  now?: () => number;
  /** An order settled: it will not change again (the embedded engine may let its row go). */
  onSettle?: (orderId: number) => void;
}

/**
 * The table's content for a checkpoint. Only orders that may still change are kept: the rest
 * already went to the changelog, and keeping every order of a day of bursts would grow without end.
 */
export interface OrderTableState {
  rows: OrderRow[];
  nextId: number;
  xid: number;
}

export class OrderTable implements OrderSink {
  private rows = new Map<number, OrderRow>();
  private nextId = 1;
  private xid = 1;
  private readonly database: string;
  private readonly now: () => number;

  constructor(private readonly opts: OrderTableOptions) {
    this.database = opts.database ?? 'demo';
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.rows.size;
  }

  row(orderId: number): OrderRow | undefined {
    return this.rows.get(orderId);
  }

  snapshot(): OrderTableState {
    return { rows: [...this.rows.values()], nextId: this.nextId, xid: this.xid };
  }

  /** Takes over a checkpoint's rows; ids and xids continue after it. */
  restore(state: OrderTableState): void {
    this.rows = new Map(state.rows.map((r) => [r.order_id, r]));
    this.nextId = state.nextId;
    this.xid = state.xid;
  }

  async insert(order: NewOrder): Promise<number> {
    const at = this.now();
    const time = formatDbDatetime(at, this.opts.dbTimeZone);
    const row: OrderRow = {
      order_id: this.nextId++,
      ...order,
      create_time: time,
      update_time: time,
    };
    this.rows.set(row.order_id, row);
    this.emit('insert', at, row);
    return row.order_id;
  }

  async update(orderId: number, changes: OrderChanges): Promise<void> {
    const before = this.rows.get(orderId);
    if (!before) throw new Error(`order ${orderId} does not exist`);
    const at = this.now();
    const after: OrderRow = {
      ...before,
      ...changes,
      update_time: changes.update_time ?? formatDbDatetime(at, this.opts.dbTimeZone),
    };
    // Maxwell's `old` holds only the columns whose value changed.
    const old: Record<string, unknown> = {};
    for (const k of Object.keys(after) as (keyof OrderRow)[]) {
      if (after[k] !== before[k]) old[k] = before[k];
    }
    if (Object.keys(old).length === 0) return; // MySQL writes no row event for a no-op update
    this.rows.set(orderId, after);
    this.emit('update', at, after, old);
  }

  /** Forgets an order that will not change again (its events are on the changelog already). */
  settle(orderId: number): void {
    this.rows.delete(orderId);
    this.opts.onSettle?.(orderId);
  }

  /**
   * Forgets the orders created before `cutoffMs` (outside the days kept); returns their ids so
   * their lifecycle steps can go too. Rows are in id order, which is creation order: the walk
   * stops at the first one kept.
   */
  dropCreatedBefore(cutoffMs: number): number[] {
    const dropped: number[] = [];
    for (const [id, row] of this.rows) {
      const at = parseDbDatetime(row.create_time, this.opts.dbTimeZone);
      if (at !== null && at >= cutoffMs) break;
      this.rows.delete(id);
      dropped.push(id);
    }
    return dropped;
  }

  async delete(orderId: number): Promise<void> {
    const row = this.rows.get(orderId);
    if (!row) return;
    this.rows.delete(orderId);
    this.emit('delete', this.now(), row);
  }

  private emit(type: ChangeEvent['type'], at: number, row: OrderRow, old?: object): void {
    const event: ChangeEvent = {
      database: this.database,
      table: 'order',
      type,
      ts: Math.floor(at / 1000),
      xid: this.xid++,
      commit: true,
      data: { ...row },
    };
    if (old) event.old = { ...old };
    this.opts.changelog.put([{ partitionKey: String(row.order_id), data: JSON.stringify(event) }]);
  }
}
