import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { onFreePort } from './ports';
import {
  findExecutable,
  makeTempDir,
  runToCompletion,
  spawnManaged,
  track,
  waitFor,
  type ManagedProcess,
} from './processes';

export interface MariaDBOptions {
  /** Binary log with binlog_format=ROW, binlog_row_image=FULL (default true). */
  binlog?: boolean;
}

export interface MariaDB {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'root';
  readonly password: '';
  /** mysql://root@127.0.0.1:PORT/ */
  readonly url: string;
  /** The server's data directory (inside a temp dir deleted by dispose()). */
  readonly dataDir: string;
  /** Where binlog files go, or undefined without binlog. */
  readonly binlogDir: string | undefined;
  /** Shuts the server down cleanly (idempotent); data stays for restart(). */
  stop(): Promise<void>;
  /** Stops the server if running and starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops the server and deletes all its files. */
  dispose(): Promise<void>;
  /** Recent output (the error log) of the current server process. */
  output(): string;
}

// A 16 MiB redo log instead of 96 MiB: less disk per instance, same behaviour for tests.
const INNODB_ARGS = ['--innodb-log-file-size=16M'];

async function launch(
  port: number,
  dir: string,
  binlog: boolean,
  mariadbd: string,
): Promise<ManagedProcess> {
  const args = [
    '--no-defaults',
    `--datadir=${join(dir, 'data')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mariadbd.sock')}`,
    // Own tmpdir: instances sharing /tmp delete each other's temporary files.
    `--tmpdir=${join(dir, 'tmp')}`,
    `--pid-file=${join(dir, 'mariadbd.pid')}`,
    '--user=root',
    '--skip-name-resolve',
    ...INNODB_ARGS,
    ...(binlog
      ? [
          `--log-bin=${join(dir, 'binlog', 'mysql-bin')}`,
          '--binlog-format=ROW',
          '--binlog-row-image=FULL',
          '--server-id=1',
        ]
      : []),
  ];
  const proc = spawnManaged(`mariadbd :${port}`, mariadbd, args);
  try {
    await waitFor(
      'MariaDB to accept connections',
      async () => {
        const connection = await createConnection({
          host: '127.0.0.1',
          port,
          user: 'root',
          connectTimeout: 2_000,
        });
        await connection.end();
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 50, process: proc },
    );
  } catch (error) {
    await proc.stop(5_000);
    throw error;
  }
  return proc;
}

/**
 * Starts a private MariaDB (Debian's mariadb-server binaries) on a free port, with its own data
 * directory. root@127.0.0.1 has no password. The server's default character set is latin1, as
 * on a stock server: create databases with createDatabase() to get utf8mb4.
 */
export async function startMariaDB(options: MariaDBOptions = {}): Promise<MariaDB> {
  const binlog = options.binlog !== false;
  const mariadbd = findExecutable('mariadbd');
  const installDb = findExecutable('mariadb-install-db');
  const temp = await makeTempDir('livewall-mariadb-');
  const dir = temp.path;
  try {
    await Promise.all(['tmp', 'binlog'].map((name) => mkdir(join(dir, name))));
    // "normal" gives root@localhost/127.0.0.1/::1 with an empty password (not unix-socket auth);
    // --force skips resolving the hostname, which fails in some containers.
    await runToCompletion(
      'mariadb-install-db',
      installDb,
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--force',
        '--user=root',
        `--tmpdir=${join(dir, 'tmp')}`,
        ...INNODB_ARGS,
      ],
      { timeoutMs: 60_000 },
    );
    const started = await onFreePort(async (port) => ({
      port,
      proc: await launch(port, dir, binlog, mariadbd),
    }));
    const { port } = started;
    let { proc } = started;
    // MariaDB shuts down cleanly on SIGTERM; SIGKILL only if that takes too long.
    const stop = (): Promise<void> => proc.stop(20_000);
    const dispose = async (): Promise<void> => {
      await stop();
      await temp.remove();
    };
    const untrack = track(proc.name, dispose);
    return {
      host: '127.0.0.1',
      port,
      user: 'root',
      password: '',
      url: `mysql://root@127.0.0.1:${port}/`,
      dataDir: join(dir, 'data'),
      binlogDir: binlog ? join(dir, 'binlog') : undefined,
      stop,
      async restart(): Promise<void> {
        await stop();
        proc = await launch(port, dir, binlog, mariadbd);
      },
      async dispose(): Promise<void> {
        untrack();
        await dispose();
      },
      output: () => proc.output(),
    };
  } catch (error) {
    await temp.remove();
    throw error;
  }
}

/** Creates a utf8mb4 database (latin1, the server default, cannot hold 西安); returns its URL. */
export async function createDatabase(url: string, name: string): Promise<string> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const connection = await createConnection(url);
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4`);
  } finally {
    await connection.end();
  }
  return new URL(name, url).toString();
}
