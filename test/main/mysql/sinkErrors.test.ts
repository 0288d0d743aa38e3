/**
 * What the MySQL sink retries, decided by error class: a lost connection and a deadlock run
 * again, a missing order and an SQL error fail at once. A scripted connection stands in for
 * MySQL so each answer is exact.
 */
import type { Connection } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import {
  classifyMySqlError,
  ConnectionLostError,
  isConnectionError,
  OrderMissingError,
  TransientSqlError,
} from '../../../src/main/mysql/errors';
import { MySqlOrderSink } from '../../../src/main/mysql/orderSink';

const mysql2Error = (fields: Record<string, unknown>, message = 'boom'): Error =>
  Object.assign(new Error(message), fields);

describe('classifyMySqlError', () => {
  test.each([
    [
      'mysql2 lost connection',
      mysql2Error({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
      ConnectionLostError,
    ],
    ['killed session (MariaDB 1927)', mysql2Error({ errno: 1927 }), ConnectionLostError],
    [
      'closed state',
      new Error("Can't add new command when connection is in closed state"),
      ConnectionLostError,
    ],
    [
      'our own lost session',
      new ConnectionLostError('MySQL session 7 is still ending'),
      ConnectionLostError,
    ],
    ['deadlock', mysql2Error({ errno: 1213 }), TransientSqlError],
    ['lock wait timeout', mysql2Error({ errno: 1205 }), TransientSqlError],
    ['missing order', new OrderMissingError(42), OrderMissingError],
    ['unknown column', mysql2Error({ errno: 1054, code: 'ER_BAD_FIELD_ERROR' }), Error],
  ])('%s', (_, err, kind) => {
    const c = classifyMySqlError(err);
    expect(c).toBeInstanceOf(kind);
    if (kind === Error) {
      expect(c).toBe(err);
      expect(c).not.toBeInstanceOf(ConnectionLostError);
    }
  });

  test('a missing order is never a lost connection, whatever flags it carries', () => {
    const err = Object.assign(new OrderMissingError(5), { fatal: true });
    expect(isConnectionError(err)).toBe(false);
    expect(err.message).toBe('order 5 does not exist');
    expect(err.orderId).toBe(5);
  });
});

/** A connection that answers the sink's queries from a script of UPDATE outcomes. */
function scriptedConnector(updates: Array<Error | number>): {
  connect: () => Promise<Connection>;
  opened: () => number;
  updatesRun: () => number;
} {
  let opened = 0;
  let updatesRun = 0;
  const connect = async (): Promise<Connection> => {
    opened++;
    const id = opened;
    const conn = {
      on: () => conn,
      destroy: () => undefined,
      end: async () => undefined,
      query: async (sql: string): Promise<unknown> => {
        if (sql.startsWith('SELECT CONNECTION_ID()')) return [[{ id, user: 'shop', now: 2000 }]];
        if (sql.startsWith('SHOW GLOBAL STATUS')) return [[{ Value: '1000' }]];
        if (sql === 'ROLLBACK') return [{}];
        if (sql.startsWith('UPDATE')) {
          const next = updates[updatesRun++];
          if (next instanceof Error) throw next;
          return [{ affectedRows: next ?? 1 }];
        }
        throw new Error(`unexpected SQL in the script: ${sql}`);
      },
    };
    return conn as unknown as Connection;
  };
  return { connect, opened: () => opened, updatesRun: () => updatesRun };
}

describe('MySqlOrderSink retries by error class', () => {
  const fast = { giveUpAfterMs: 5_000, backoff: { initialMs: 1, maxMs: 2 } };

  test('an update of a missing order fails at once with OrderMissingError', async () => {
    const db = scriptedConnector([0]);
    const sink = new MySqlOrderSink({ connect: db.connect, ...fast });
    const err = await sink.update(42, { status: 'paid' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderMissingError);
    expect((err as OrderMissingError).orderId).toBe(42);
    expect(db.updatesRun()).toBe(1);
    expect(sink.stats().lastError).toBe('order 42 does not exist');
    await sink.close();
  });

  test('a lost connection is retried on a new connection', async () => {
    const db = scriptedConnector([
      mysql2Error({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
      1,
    ]);
    const sink = new MySqlOrderSink({ connect: db.connect, ...fast });
    await sink.update(7, { status: 'paid' });
    expect(db.updatesRun()).toBe(2);
    expect(db.opened()).toBe(2);
    expect(sink.stats().reconnects).toBe(1);
    await sink.close();
  });

  test('a deadlock runs again on the same connection; an SQL error does not', async () => {
    const db = scriptedConnector([mysql2Error({ errno: 1213 }), 1, mysql2Error({ errno: 1054 })]);
    const sink = new MySqlOrderSink({ connect: db.connect, ...fast });
    await sink.update(7, { status: 'paid' });
    expect(db.updatesRun()).toBe(2);
    expect(db.opened()).toBe(1);
    const err = await sink.update(8, { status: 'paid' }).catch((e: unknown) => e);
    expect((err as { errno?: number }).errno).toBe(1054);
    expect(db.updatesRun()).toBe(3);
    await sink.close();
  });
});
