/**
 * Opens MySQL connections for a target with a password found once (URL, environment, keychain,
 * prompt) and reused for every reconnect, so a restart of the server never prompts again.
 */
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';
import { isAccessDenied } from './errors';
import {
  initialPassword,
  passwordAfterDenial,
  staticPasswordSource,
  type PasswordSource,
} from './password';
import type { MySqlTarget } from './target';

export interface MySqlConnector {
  readonly target: MySqlTarget;
  /** A new connection (mysql2's promise API). */
  connect(): Promise<Connection>;
  /** Options for libraries that open their own connections (zongji). Holds the password. */
  connectionOptions(): ConnectionOptions;
}

export interface ConnectorOptions {
  /** Tried in order; the URL's own password, if any, comes first. */
  passwords: readonly PasswordSource[];
  connectTimeoutMs?: number;
  /**
   * Make the URL's database the connection's default (default true). cdc says false: it names
   * tables in full, and a user without SELECT there must reach its privilege check, not fail
   * at connect.
   */
  selectDatabase?: boolean;
}

/** Base options: utf8mb4 (city names such as 西安), datetimes as the database's strings. */
export function baseConnectionOptions(
  target: MySqlTarget,
  connectTimeoutMs = 10_000,
): ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    charset: 'utf8mb4',
    // `YYYY-MM-DD HH:MM:SS` in the database's zone, exactly as Maxwell prints them.
    dateStrings: true,
    supportBigNumbers: true,
    connectTimeout: connectTimeoutMs,
    ...(target.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
  };
}

/**
 * Finds the password and proves it with one connection. An account is prompted only when the
 * server refused it without a password and an interactive source exists.
 */
export async function createMySqlConnector(
  target: MySqlTarget,
  options: ConnectorOptions,
): Promise<MySqlConnector> {
  const sources = target.password
    ? [staticPasswordSource('the URL', target.password), ...options.passwords]
    : options.passwords;
  const base = baseConnectionOptions(target, options.connectTimeoutMs);
  if (options.selectDatabase === false) delete base.database;
  let password = (await initialPassword(target, sources))?.password;
  const withPassword = (): ConnectionOptions =>
    password === undefined ? { ...base } : { ...base, password };
  try {
    await (await createConnection(withPassword())).end();
  } catch (err) {
    if (!isAccessDenied(err) || password !== undefined) throw err;
    const asked = await passwordAfterDenial(target, sources);
    if (asked === null) throw err;
    password = asked.password;
    await (await createConnection(withPassword())).end();
  }
  return {
    target,
    connect: () => createConnection(withPassword()),
    connectionOptions: withPassword,
  };
}
