/**
 * Where a MySQL password comes from. Never the config file: the environment, a prompt on a
 * terminal, or (in the app) the OS keychain through Electron's safeStorage, which the shell plugs
 * in as one more PasswordSource. Passwords are never logged; sources name themselves instead.
 */
import type { MySqlTarget } from './target';

export type MySqlAccount = Pick<MySqlTarget, 'user' | 'host' | 'port'>;

export interface PasswordSource {
  /** Where the password comes from, for messages (e.g. "LIVEWALL_MYSQL_PASSWORD"). */
  readonly name: string;
  /**
   * Interactive sources (a prompt) are asked only after the server refused the connection
   * without a password, so an account with none is never prompted.
   */
  readonly interactive?: boolean;
  /** A MySQL client's own source (MYSQL_PWD), not offered to PostgreSQL. */
  readonly mysqlOnly?: boolean;
  /** The password for the account, or null when this source has none. */
  get(account: MySqlAccount): Promise<string | null>;
}

/** The accounts livewall connects with, each with its own password variable. */
export type AccountRole = 'mysql' | 'cdc' | 'customers' | 'warehouse';

/** Each account's own variable: two accounts never have to share one password. */
export const ACCOUNT_PASSWORD_VARS: Readonly<Record<AccountRole, string>> = {
  mysql: 'LIVEWALL_MYSQL_PASSWORD',
  cdc: 'LIVEWALL_CDC_PASSWORD',
  customers: 'LIVEWALL_CUSTOMERS_PASSWORD',
  warehouse: 'LIVEWALL_WAREHOUSE_PASSWORD',
};

/** The environment variables read for the order database, in order. */
export const PASSWORD_ENV_VARS = ['LIVEWALL_MYSQL_PASSWORD', 'MYSQL_PWD'] as const;

/** One environment variable, or nothing when it is unset or empty. */
export function envVarSource(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  mysqlOnly = false,
): PasswordSource {
  return {
    name,
    mysqlOnly,
    get: async () => (env[name] !== undefined && env[name] !== '' ? env[name] : null),
  };
}

/**
 * The account's own variable, then MYSQL_PWD (what the mysql client reads). PostgreSQL's own
 * (PGPASSWORD, ~/.pgpass) are read by its driver when livewall supplies none.
 */
export function envPasswordSource(
  env: NodeJS.ProcessEnv = process.env,
  role: AccountRole = 'mysql',
): PasswordSource {
  const names = [ACCOUNT_PASSWORD_VARS[role], 'MYSQL_PWD'];
  return {
    name: names.join(' or '),
    async get(): Promise<string | null> {
      for (const name of names) {
        const value = env[name];
        if (value !== undefined && value !== '') return value;
      }
      return null;
    },
  };
}

/** A fixed password, e.g. from the URL or from the app's keychain after it decrypted it. */
export function staticPasswordSource(name: string, password: string): PasswordSource {
  return { name, get: async () => password };
}

/**
 * The first non-interactive source's password, or null. Interactive sources are left for
 * passwordAfterDenial.
 */
export async function initialPassword(
  account: MySqlAccount,
  sources: readonly PasswordSource[],
): Promise<{ password: string; source: string } | null> {
  for (const source of sources) {
    if (source.interactive) continue;
    const password = await source.get(account);
    if (password !== null) return { password, source: source.name };
  }
  return null;
}

/** After an access-denied without a password: the first interactive source's answer, or null. */
export async function passwordAfterDenial(
  account: MySqlAccount,
  sources: readonly PasswordSource[],
): Promise<{ password: string; source: string } | null> {
  for (const source of sources) {
    if (!source.interactive) continue;
    const password = await source.get(account);
    if (password !== null) return { password, source: source.name };
  }
  return null;
}
