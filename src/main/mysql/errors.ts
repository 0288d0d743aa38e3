/**
 * What a MySQL error means for livewall: retry (the connection went away), or stop with a
 * sentence a person can act on. Sentences name the target without its password.
 */
import { describeMySqlTarget, type MySqlTarget } from './target';

interface MySqlErrorShape {
  code?: string;
  errno?: number;
  fatal?: boolean;
  sqlState?: string;
  message?: string;
}

/**
 * The connection went away, or must be treated as if it had (a lost session that will not end):
 * the work may run again on a new connection. The sink retries exactly these.
 */
export class ConnectionLostError extends Error {
  override name = 'ConnectionLostError';
}

/** A deadlock or lock wait timeout: the transaction was rolled back and may simply run again. */
export class TransientSqlError extends Error {
  override name = 'TransientSqlError';
}

/** An update named an order the table does not have: a fact about the data, never retried. */
export class OrderMissingError extends Error {
  override name = 'OrderMissingError';
  constructor(readonly orderId: number) {
    super(`order ${orderId} does not exist`);
  }
}

/**
 * What an error from a MySQL call means for a retry, as a typed error: a ConnectionLostError or a
 * TransientSqlError (with the original as its cause), or the error itself when it is final.
 */
export function classifyMySqlError(err: unknown): unknown {
  if (err instanceof ConnectionLostError || err instanceof TransientSqlError) return err;
  if (err instanceof OrderMissingError) return err;
  const message = (err as Error | undefined)?.message ?? String(err);
  if (isConnectionError(err)) return new ConnectionLostError(message, { cause: err });
  if (isTransientSqlError(err)) return new TransientSqlError(message, { cause: err });
  return err;
}

const shape = (err: unknown): MySqlErrorShape => (err ?? {}) as MySqlErrorShape;

const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'ER_CON_COUNT_ERROR',
]);
// 1053 server shutdown, 1927 connection killed (MariaDB), 4031 idle timeout (MySQL 8), 2013 lost.
const CONNECTION_ERRNOS = new Set([1040, 1053, 1927, 2006, 2013, 4031]);

/**
 * True when the connection itself failed (lost, killed, refused while the server restarts): the
 * work may be retried on a new connection. An SQL error on a live connection is not one.
 */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof ConnectionLostError) return true;
  if (err instanceof OrderMissingError || err instanceof TransientSqlError) return false;
  const e = shape(err);
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  if (e.errno !== undefined && CONNECTION_CODES.has(String(e.errno))) return true;
  if (e.errno !== undefined && CONNECTION_ERRNOS.has(e.errno)) return true;
  // mysql2 marks the errors that closed its connection `fatal` (only its own: livewall's errors
  // say what they mean by their class).
  if (e.fatal === true) return true;
  // mysql2's words for using a connection that has already closed.
  return /closed state|connection lost|socket has been ended|server closed the connection/i.test(
    e.message ?? '',
  );
}

/** Deadlock or lock wait timeout: the transaction was rolled back and may simply run again. */
export function isTransientSqlError(err: unknown): boolean {
  const errno = shape(err).errno;
  return errno === 1213 || errno === 1205;
}

export function isAccessDenied(err: unknown): boolean {
  return shape(err).errno === 1045;
}

/** One sentence for a failed connection or statement: what happened and what to do. */
export function describeMySqlError(err: unknown, target: MySqlTarget): string {
  const e = shape(err);
  const where = describeMySqlTarget(target);
  const first = (e.message ?? String(err)).split('\n')[0] ?? '';
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Cannot reach MySQL at ${target.host}:${target.port} (connection refused): is the server running and is the port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve the MySQL host "${target.host}": check the host name in the URL.`;
    case 'ETIMEDOUT':
      return `MySQL at ${target.host}:${target.port} did not answer in time: check the host, port and any firewall or security group.`;
    default:
      break;
  }
  switch (e.errno) {
    case 1045:
      return `MySQL refused ${where} (access denied): set the password in LIVEWALL_MYSQL_PASSWORD or MYSQL_PWD (or type it at the prompt), and check the user and host.`;
    case 1049:
      return `The database "${target.database}" does not exist on ${target.host}:${target.port}: create it with CREATE DATABASE \`${target.database}\` CHARACTER SET utf8mb4.`;
    case 1044:
    case 1142:
    case 1227:
      return `${where} lacks a privilege: ${first}`;
    default:
      break;
  }
  if (isConnectionError(err)) return `The connection to MySQL (${where}) was lost: ${first}`;
  return `MySQL (${where}) said: ${first}`;
}
