/**
 * What cdc checks before it reads a byte of binlog, so a misconfigured server gets one sentence
 * with the exact setting to change instead of a stream that silently stays empty.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';

export interface BinlogSettings {
  log_bin: string;
  binlog_format: string;
  binlog_row_image: string;
}

/** Null when the server writes full row images, else the sentence naming the setting to change. */
export function binlogRefusal(s: BinlogSettings): string | null {
  if (!/^(ON|1)$/i.test(s.log_bin)) {
    return 'Binary logging is off on this server, so cdc has nothing to read: add log_bin=mysql-bin and server_id=1 under [mysqld] in my.cnf and restart the server (on Amazon RDS: set a backup retention period above 0).';
  }
  if (s.binlog_format.toUpperCase() !== 'ROW') {
    return `binlog_format is ${s.binlog_format}, but cdc needs row events: set binlog_format=ROW (SET GLOBAL binlog_format='ROW', and binlog_format=ROW under [mysqld] in my.cnf or in the RDS parameter group so it survives a restart).`;
  }
  if (s.binlog_row_image.toUpperCase() !== 'FULL') {
    return `binlog_row_image is ${s.binlog_row_image}, but Maxwell's events need every column: set binlog_row_image=FULL (SET GLOBAL binlog_row_image='FULL', and binlog_row_image=FULL under [mysqld] in my.cnf or in the RDS parameter group).`;
  }
  return null;
}

export type CdcPrivilege = 'REPLICATION SLAVE' | 'REPLICATION CLIENT' | 'SELECT';

/** Names a privilege may be granted under (MariaDB 10.5 renamed REPLICATION CLIENT). */
const SATISFIED_BY: Record<CdcPrivilege, readonly string[]> = {
  'REPLICATION SLAVE': ['REPLICATION SLAVE', 'ALL PRIVILEGES', 'ALL'],
  'REPLICATION CLIENT': ['REPLICATION CLIENT', 'BINLOG MONITOR', 'SUPER', 'ALL PRIVILEGES', 'ALL'],
  SELECT: ['SELECT', 'ALL PRIVILEGES', 'ALL'],
};

const GRANT_ON = /^GRANT (.+?) ON (?:TABLE )?(\S+) TO /i;

/** `*.*`, `` `demo`.* ``, `` `demo`.`order` `` → [db, table] with '*' for any. */
function scope(text: string): [string, string] | null {
  const m = /^(\*|`(?:[^`]|``)*`|[^.]+)\.(\*|`(?:[^`]|``)*`|\S+)$/.exec(text);
  if (!m) return null;
  const unquote = (s: string): string =>
    s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s;
  return [unquote(m[1] ?? ''), unquote(m[2] ?? '')];
}

/** Splits "SELECT (a, b), INSERT" at top-level commas; column lists do not count as SELECT. */
function privilegeNames(list: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else current += ch;
  }
  names.push(current);
  return names.map((n) => n.trim()).filter((n) => !n.includes('('));
}

/**
 * The privileges cdc needs that SHOW GRANTS does not show for `database`.`table`; null when the
 * grants name roles, whose privileges SHOW GRANTS does not list (the server then has the last
 * word when cdc starts reading).
 */
export function missingPrivileges(
  grants: readonly string[],
  database: string,
  table: string,
): CdcPrivilege[] | null {
  const held = new Set<CdcPrivilege>();
  for (const line of grants) {
    const m = GRANT_ON.exec(line.trim());
    if (!m) {
      if (/^GRANT /i.test(line.trim()) && !/^GRANT PROXY /i.test(line.trim())) return null;
      continue;
    }
    const where = scope(m[2] ?? '');
    if (!where) continue;
    const [db, tbl] = where;
    const global = db === '*' && tbl === '*';
    const coversTable = global || (db === database && (tbl === '*' || tbl === table));
    const names = privilegeNames(m[1] ?? '').map((n) => n.toUpperCase().replace(/\s+/g, ' '));
    for (const [privilege, by] of Object.entries(SATISFIED_BY) as [CdcPrivilege, string[]][]) {
      // Replication privileges exist only globally.
      const inScope = privilege === 'SELECT' ? coversTable : global;
      if (inScope && names.some((n) => by.includes(n))) held.add(privilege);
    }
  }
  return (['REPLICATION SLAVE', 'REPLICATION CLIENT', 'SELECT'] as const).filter(
    (p) => !held.has(p),
  );
}

/** The refusal for missing privileges, with the GRANT an admin runs. */
export function privilegeRefusal(missing: readonly CdcPrivilege[], account: string): string {
  return `The MySQL user ${account} lacks ${missing.join(', ')}, which cdc needs to read the binlog: as an admin, run GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO ${account};`;
}

/** SQL quoting of an account from CURRENT_USER() ("user@host" → 'user'@'host'). */
export function quoteAccount(currentUser: string): string {
  const at = currentUser.lastIndexOf('@');
  const user = at >= 0 ? currentUser.slice(0, at) : currentUser;
  const host = at >= 0 ? currentUser.slice(at + 1) : '%';
  const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  return `${q(user)}@${q(host)}`;
}

/** Null when the server writes full row images for cdc, else the sentence naming the setting. */
export async function binlogPreflight(conn: Connection): Promise<string | null> {
  const [vars] = await conn.query<RowDataPacket[]>(
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image')",
  );
  const settings: Record<string, string> = {
    log_bin: 'OFF',
    binlog_format: '',
    binlog_row_image: 'FULL',
  };
  for (const row of vars) settings[String(row.Variable_name)] = String(row.Value);
  return binlogRefusal(settings as unknown as BinlogSettings);
}

/** The connected account's grant lines (they may carry password hashes: never print them). */
export async function currentGrants(conn: Connection): Promise<string[]> {
  const [grantRows] = await conn.query<RowDataPacket[]>('SHOW GRANTS FOR CURRENT_USER()');
  return grantRows.map((row) => String(Object.values(row)[0]));
}

/**
 * Whether the grants let the account see other accounts' sessions (PROCESS, or ALL on *.*), so
 * an empty process list means "none" rather than "cannot see"; null when roles hide the answer.
 */
export function seesOtherSessions(grants: readonly string[]): boolean | null {
  for (const line of grants) {
    const m = GRANT_ON.exec(line.trim());
    if (!m) {
      if (/^GRANT /i.test(line.trim()) && !/^GRANT PROXY /i.test(line.trim())) return null;
      continue;
    }
    if (m[2] !== '*.*') continue;
    const names = privilegeNames(m[1] ?? '').map((n) => n.toUpperCase().replace(/\s+/g, ' '));
    if (names.some((n) => n === 'PROCESS' || n === 'ALL PRIVILEGES' || n === 'ALL')) return true;
  }
  return false;
}

/** The connected account's missing cdc privileges as the refusal sentence, or null. */
export async function grantsPreflight(
  conn: Connection,
  database: string,
  table: string,
): Promise<string | null> {
  const missing = missingPrivileges(await currentGrants(conn), database, table);
  if (missing === null || missing.length === 0) return null;
  const [[who]] = (await conn.query<RowDataPacket[]>('SELECT CURRENT_USER() AS account')) as [
    RowDataPacket[],
    unknown,
  ];
  return privilegeRefusal(missing, quoteAccount(String(who?.account ?? '')));
}

/** Runs both checks; resolves null when cdc may start, else the refusal sentence. */
export async function preflight(
  conn: Connection,
  database: string,
  table: string,
): Promise<string | null> {
  return (await binlogPreflight(conn)) ?? (await grantsPreflight(conn, database, table));
}
