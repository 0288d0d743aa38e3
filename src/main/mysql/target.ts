/**
 * Where livewall's MySQL work goes: `mysql://user[:password]@host[:port]/database[?ssl=true]`.
 * A password in the URL is accepted (and warned about) but never printed: every URL that reaches a
 * message goes through redactUrl, and describeMySqlTarget never includes it.
 */
import { fail, ok, type Result } from '@shared/result';
import { redactUrl, urlHasPassword } from '../lib/redactUrl';

export { redactUrl, urlHasPassword };

export interface MySqlTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Only when the URL itself carried one (discouraged: it shows in the process list). */
  password?: string;
  /** TLS on (`?ssl=true`), verifying the server's certificate. */
  ssl: boolean;
}

const NAME = /^[A-Za-z0-9_$-]{1,64}$/;

/** Parses a MySQL URL; the error sentence never contains the password. */
export function parseMySqlUrl(text: string): Result<MySqlTarget> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Never the text itself: where a password with / or # ends cannot be known, so no part of it
    // may be shown.
    const hint = urlHasPassword(text)
      ? ' (a password with # ? / or @ must be percent-encoded, e.g. # as %23, or better set LIVEWALL_MYSQL_PASSWORD)'
      : '';
    return fail(`the MySQL URL is not a URL: use mysql://user@host:3306/database${hint}`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    return fail(`${redactUrl(text)}: the URL must start with mysql://`);
  }
  const user = decodeURIComponent(url.username);
  if (!user) return fail(`${redactUrl(text)}: name the user, as in mysql://user@host/database`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return fail(`${redactUrl(text)}: the URL has no host`);
  const port = url.port ? Number(url.port) : 3306;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) return fail(`${redactUrl(text)}: name the database, as in mysql://user@host/demo`);
  if (!NAME.test(database)) return fail(`${redactUrl(text)}: "${database}" is not a database name`);
  for (const key of url.searchParams.keys()) {
    if (key !== 'ssl') return fail(`${redactUrl(text)}: unknown URL option "${key}" (known: ssl)`);
  }
  const ssl = url.searchParams.get('ssl');
  if (ssl !== null && ssl !== 'true' && ssl !== 'false') {
    return fail(`${redactUrl(text)}: ssl must be true or false`);
  }
  const target: MySqlTarget = { host, port, user, database, ssl: ssl === 'true' };
  if (url.password) target.password = decodeURIComponent(url.password);
  return ok(target);
}

/** `user@host:port/database`: for messages, never with a password. */
export function describeMySqlTarget(t: MySqlTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user}@${host}:${t.port}/${t.database}`;
}

/** Quotes an identifier (database, table) for SQL; names are validated, this guards backticks. */
export function quoteId(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
