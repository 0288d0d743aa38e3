/**
 * A private MariaDB for `livewall up`: Debian's mariadb-server binaries, its own data folder in the
 * state folder, 127.0.0.1 only, binlog ROW with full row images, and the workshop's tables and
 * accounts, each allowed only what its job needs:
 * - `shop` writes orders (the simulator), and may delete one (`health --trace`);
 * - `maxwell` reads the binlog (cdc);
 * - `reader` reads `customer` (the engine's lookup).
 * The accounts have no password: the server answers on 127.0.0.1 only, and nothing secret is in it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { sleep } from '../../lib/backoff';
import { CUSTOMER_TABLE_DDL, ORDER_TABLE_DDL } from '../../mysql/orderSchema';
import { demoCustomers } from '../../simulator/demoData';
import { lastLines, startChild, type Child } from './child';

export const UP_DATABASE = 'demo';

export const UP_ACCOUNTS = {
  shop: "GRANT SELECT, INSERT, UPDATE, DELETE ON `demo`.`order` TO 'shop'@'127.0.0.1'",
  maxwell: "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO 'maxwell'@'127.0.0.1'",
  reader: "GRANT SELECT ON `demo`.`customer` TO 'reader'@'127.0.0.1'",
} as const;

/** An executable on PATH or in the sbin folders Debian puts servers in; null when missing. */
export function findBinary(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

export const MARIADB_MISSING =
  'MariaDB is not installed: install it with apt-get install mariadb-server (livewall up runs its own private server; the system one need not run)';

export async function startLocalMariaDB(o: {
  dir: string;
  port: number;
  logs: string;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
  find?: (name: string) => string | null;
}): Promise<{ child: Child; url: (user: keyof typeof UP_ACCOUNTS) => string }> {
  const find = o.find ?? ((name: string) => findBinary(name));
  const mariadbd = find('mariadbd') ?? find('mysqld');
  const installDb = find('mariadb-install-db') ?? find('mysql_install_db');
  if (!mariadbd || !installDb) throw new Error(MARIADB_MISSING);
  const data = join(o.dir, 'data');
  for (const d of ['tmp', 'binlog']) mkdirSync(join(o.dir, d), { recursive: true });
  const asRoot = userInfo().uid === 0 ? ['--user=root'] : [];
  if (!existsSync(join(data, 'mysql'))) {
    o.say('creating the private MariaDB (once; a second run reuses it)');
    const made = spawnSync(
      installDb,
      [
        '--no-defaults',
        `--datadir=${data}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--force',
        `--tmpdir=${join(o.dir, 'tmp')}`,
        ...asRoot,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (made.status !== 0) {
      throw new Error(
        `mariadb-install-db failed (exit ${made.status}): ${lastLines(`${made.stdout}\n${made.stderr}`)}`,
      );
    }
  }
  const child = startChild(
    'mysql',
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${o.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(o.dir, 'mariadbd.sock')}`,
      `--tmpdir=${join(o.dir, 'tmp')}`,
      `--pid-file=${join(o.dir, 'mariadbd.pid')}`,
      '--skip-name-resolve',
      `--log-bin=${join(o.dir, 'binlog', 'mysql-bin')}`,
      '--binlog-format=ROW',
      '--binlog-row-image=FULL',
      '--server-id=1',
      '--character-set-server=utf8mb4',
      ...asRoot,
    ],
    { env: o.env, log: join(o.logs, 'mysql.log') },
  );
  try {
    await untilAccepting(child, o.port);
    await prepare(o.port);
  } catch (err) {
    await child.stop(30_000);
    throw err;
  }
  return {
    child,
    url: (user) => `mysql://${user}@127.0.0.1:${o.port}/${UP_DATABASE}`,
  };
}

async function untilAccepting(child: Child, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const conn = await createConnection({ host: '127.0.0.1', port, user: 'root' });
      await conn.end();
      return;
    } catch (err) {
      if (!child.isRunning()) {
        const out = child.output();
        throw new Error(
          /already in use|Can't start server/i.test(out)
            ? `port ${port} is in use: choose another with --mysql-port (${lastLines(out, 2)})`
            : `MariaDB stopped: ${lastLines(out)}`,
          { cause: err },
        );
      }
      if (Date.now() > deadline)
        throw new Error(
          `MariaDB did not accept connections within 60 s: ${(err as Error).message}`,
          { cause: err },
        );
      await sleep(100);
    }
  }
}

/** The database, the tables, the demo customers and the accounts; safe to run on every start. */
async function prepare(port: number): Promise<void> {
  const conn = await createConnection({ host: '127.0.0.1', port, user: 'root' });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${UP_DATABASE}\` CHARACTER SET utf8mb4`);
    await conn.query(`USE \`${UP_DATABASE}\``);
    await conn.query(ORDER_TABLE_DDL);
    await conn.query(CUSTOMER_TABLE_DDL);
    // The demo population, a thousand rows a statement (one by one took seconds).
    const customers = demoCustomers();
    for (let i = 0; i < customers.length; i += 1_000) {
      const chunk = customers.slice(i, i + 1_000);
      await conn.query(
        `INSERT IGNORE INTO customer (email, level, sex) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        chunk.flatMap((c) => [c.email, c.level, c.sex]),
      );
    }
    for (const [user, grant] of Object.entries(UP_ACCOUNTS)) {
      await conn.query(`CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1'`);
      await conn.query(grant);
    }
  } finally {
    await conn.end();
  }
}
