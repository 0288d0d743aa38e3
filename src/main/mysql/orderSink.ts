/**
 * The simulator's OrderSink on a real MySQL `order` table, with exact counts across lost
 * connections: an insert resolves only once it committed, and is never committed twice.
 *
 * Why an explicit transaction and a check, not a marker column: the workshop's schema has no
 * column for a client-generated id, and we must not change it. So each insert runs as
 * START TRANSACTION; INSERT; COMMIT. The INSERT's answer gives the new order_id before COMMIT, so
 * the only moment the outcome is unknown is a connection lost after COMMIT was sent. Then, on a
 * new connection, we first make sure the old session is gone (KILL it if it is still listed, and
 * wait until it is not), so its COMMIT has either happened or never will; then we look for the
 * row with that order_id and the values we inserted. Found: it committed, report it once. Not
 * found: it rolled back, insert again. A connection lost any earlier leaves an open transaction,
 * which the server rolls back, so that insert simply runs again.
 *
 * Updates set absolute values, and leave update_time alone when the row already has them, so
 * running one twice after a lost connection writes the same row and no second row event.
 */
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { NewOrder, OrderChanges, OrderSink } from '../simulator/orderTable';
import {
  classifyMySqlError,
  ConnectionLostError,
  OrderMissingError,
  TransientSqlError,
} from './errors';
import { backoffMs, sleep, type BackoffPolicy } from '../lib/backoff';

export interface MySqlOrderSinkOptions {
  /** Opens a new connection to the database holding `order` (see createMySqlConnector). */
  connect: () => Promise<Connection>;
  /** How long one write keeps retrying a lost connection before it counts as failed. */
  giveUpAfterMs?: number;
  backoff?: BackoffPolicy;
  /** How long to wait for a lost session to end before trusting what the table says. */
  sessionGoneTimeoutMs?: number;
  /** Reconnects and recoveries, as sentences for a log or status line (no secrets). */
  onNotice?: (message: string) => void;
}

export interface MySqlOrderSinkStats {
  /** Connections opened after the first. */
  reconnects: number;
  /** Inserts whose COMMIT answer was lost, then found committed (counted once) or not (redone). */
  unknownCommits: { committed: number; redone: number };
  /** The server's id for the current connection (for KILL in tests and ops), or null. */
  connectionId: number | null;
  /** The last error that made a write fail, as a sentence, or null. */
  lastError: string | null;
}

interface Session {
  conn: Connection;
  id: number;
  user: string;
  /** When the server started, epoch seconds (±1): a session id names one session per run. */
  bootTime: number;
}

/** An insert whose COMMIT was sent on `session` and whose answer never came. */
interface UnknownCommit {
  orderId: number;
  session: Pick<Session, 'id' | 'user' | 'bootTime'>;
}

const UPDATABLE = ['user_mail', 'status', 'good_count', 'city', 'amount'] as const;

const INSERT_SQL =
  'INSERT INTO `order` (user_mail, status, good_count, city, amount, create_time, update_time) VALUES (?, ?, ?, ?, ?, NOW(), NOW())';

export class MySqlOrderSink implements OrderSink {
  private session: Session | null = null;
  private opened = 0;
  private chain: Promise<unknown> = Promise.resolve();
  /** After a write gave up, the next ones try once instead of waiting out the deadline again. */
  private degraded = false;
  private closed = false;
  private readonly counts: MySqlOrderSinkStats = {
    reconnects: 0,
    unknownCommits: { committed: 0, redone: 0 },
    connectionId: null,
    lastError: null,
  };

  constructor(private readonly opts: MySqlOrderSinkOptions) {}

  stats(): MySqlOrderSinkStats {
    return { ...this.counts, unknownCommits: { ...this.counts.unknownCommits } };
  }

  insert(order: NewOrder): Promise<number> {
    return this.exclusive(() => this.insertNow(order));
  }

  update(orderId: number, changes: OrderChanges): Promise<void> {
    return this.exclusive(() => this.updateNow(orderId, changes));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain.catch(() => undefined);
    const s = this.session;
    this.session = null;
    this.counts.connectionId = null;
    if (s) await s.conn.end().catch(() => s.conn.destroy());
  }

  /** One write at a time: the Simulator's ticks and bursts may overlap, a transaction may not. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async insertNow(order: NewOrder): Promise<number> {
    const values = [order.user_mail, order.status, order.good_count, order.city, order.amount];
    let unknown: UnknownCommit | null = null;
    return this.retrying(async () => {
      const s = await this.live();
      if (unknown) {
        const committed = await this.wasCommitted(s, unknown, order);
        const orderId = unknown.orderId;
        unknown = null;
        if (committed) {
          this.counts.unknownCommits.committed++;
          this.notice(
            `order ${orderId} had committed before the connection was lost; counted once`,
          );
          return orderId;
        }
        this.counts.unknownCommits.redone++;
      }
      await s.conn.query('START TRANSACTION');
      const [result] = await s.conn.query<ResultSetHeader>(INSERT_SQL, values);
      const orderId = result.insertId;
      try {
        await s.conn.query('COMMIT');
      } catch (err) {
        if (classifyMySqlError(err) instanceof ConnectionLostError)
          unknown = { orderId, session: s };
        throw err;
      }
      return orderId;
    });
  }

  private async updateNow(orderId: number, changes: OrderChanges): Promise<void> {
    const sets: string[] = [];
    const same: string[] = [];
    const values: unknown[] = [];
    const sameValues: unknown[] = [];
    for (const column of UPDATABLE) {
      const value = changes[column];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(value);
      same.push(`${column} <=> ?`);
      sameValues.push(value);
    }
    if (sets.length === 0 && changes.update_time === undefined) return;
    // update_time first: MySQL assigns left to right, so it still sees the old values here.
    const updateTime =
      changes.update_time !== undefined
        ? { sql: 'update_time = ?', values: [changes.update_time] }
        : same.length > 0
          ? {
              sql: `update_time = IF(${same.join(' AND ')}, update_time, NOW())`,
              values: sameValues,
            }
          : { sql: 'update_time = NOW()', values: [] };
    const sql = `UPDATE \`order\` SET ${[updateTime.sql, ...sets].join(', ')} WHERE order_id = ?`;
    const params = [...updateTime.values, ...values, orderId];
    await this.retrying(async () => {
      const s = await this.live();
      const [result] = await s.conn.query<ResultSetHeader>(sql, params);
      // mysql2 sets FOUND_ROWS, so 0 means no such row (not "already had these values").
      if (result.affectedRows === 0) {
        throw new OrderMissingError(orderId);
      }
    });
  }

  /**
   * Runs `work`, retrying on lost connections and deadlocks with backoff until the deadline.
   * Other errors (a value the table refuses) fail the write at once.
   */
  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.opts.giveUpAfterMs ?? 60_000);
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.closed) throw new Error('the MySQL sink is closed');
        const value = await work();
        this.degraded = false;
        return value;
      } catch (err) {
        const kind = classifyMySqlError(err);
        const connection = kind instanceof ConnectionLostError;
        if (connection) this.drop();
        else await this.rollback();
        const retryable = connection || kind instanceof TransientSqlError;
        const pause = backoffMs(attempt, this.opts.backoff);
        if (!retryable || this.closed || this.degraded || Date.now() + pause > deadline) {
          if (retryable) this.degraded = true;
          this.counts.lastError = (err as Error).message.split('\n')[0] ?? String(err);
          throw err;
        }
        if (attempt === 0) this.notice(`retrying after: ${(err as Error).message.split('\n')[0]}`);
        await sleep(pause);
      }
    }
  }

  private async live(): Promise<Session> {
    if (this.session) return this.session;
    const conn = await this.opts.connect();
    // A connection that dies between writes emits 'error'; the next write sees it and reconnects.
    conn.on('error', () => {
      if (this.session?.conn === conn) this.drop();
    });
    try {
      const [rows] = await conn.query<RowDataPacket[]>(
        "SELECT CONNECTION_ID() AS id, SUBSTRING_INDEX(USER(), '@', 1) AS user, UNIX_TIMESTAMP() AS now",
      );
      const [status] = await conn.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Uptime'");
      const row = rows[0] as { id: number; user: string; now: number };
      const bootTime = Number(row.now) - Number(status[0]?.Value ?? 0);
      this.session = { conn, id: row.id, user: row.user, bootTime };
    } catch (err) {
      conn.destroy();
      throw err;
    }
    if (this.opened++ > 0) {
      this.counts.reconnects++;
      this.notice('reconnected to MySQL');
    }
    this.counts.connectionId = this.session.id;
    return this.session;
  }

  private drop(): void {
    const s = this.session;
    this.session = null;
    this.counts.connectionId = null;
    s?.conn.destroy();
  }

  private async rollback(): Promise<void> {
    try {
      await this.session?.conn.query('ROLLBACK');
    } catch {
      this.drop();
    }
  }

  /** Whether the insert whose COMMIT answer was lost is in the table (see the header comment). */
  private async wasCommitted(
    s: Session,
    unknown: UnknownCommit,
    order: NewOrder,
  ): Promise<boolean> {
    await this.waitSessionGone(s, unknown.session);
    const [rows] = await s.conn.query<RowDataPacket[]>(
      'SELECT user_mail, status, good_count, city, amount FROM `order` WHERE order_id = ?',
      [unknown.orderId],
    );
    const row = rows[0] as NewOrder | undefined;
    return (
      row !== undefined &&
      row.user_mail === order.user_mail &&
      row.status === order.status &&
      row.good_count === order.good_count &&
      row.city === order.city &&
      Math.fround(row.amount) === Math.fround(order.amount)
    );
  }

  /**
   * A session the client lost may live on in the server for a moment (a COMMIT in progress, or a
   * proxy between us that has not noticed). Session ids are unique within one run of the server,
   * so a session with the old id and user in the same run is ours: KILL it, wait until it is gone.
   */
  private async waitSessionGone(s: Session, old: UnknownCommit['session']): Promise<void> {
    // After a restart of the server the old session is gone, and its id may be someone else's.
    if (old.id === s.id || Math.abs(old.bootTime - s.bootTime) > 2) return;
    const deadline = Date.now() + (this.opts.sessionGoneTimeoutMs ?? 10_000);
    let killed = false;
    for (;;) {
      const [rows] = await s.conn.query<RowDataPacket[]>(
        'SELECT USER AS user FROM information_schema.PROCESSLIST WHERE ID = ?',
        [old.id],
      );
      const row = rows[0] as { user: string } | undefined;
      if (row === undefined || row.user !== old.user) return;
      if (!killed) {
        await s.conn.query(`KILL CONNECTION ${Number(old.id)}`).catch(() => undefined);
        killed = true;
        this.notice(`ended the lost MySQL session ${old.id} before checking its last insert`);
      }
      if (Date.now() > deadline) {
        // Treated as a lost connection: the caller backs off and asks again.
        throw new ConnectionLostError(`MySQL session ${old.id} is still ending`);
      }
      await sleep(50);
    }
  }

  private notice(message: string): void {
    this.opts.onNotice?.(message);
  }
}
