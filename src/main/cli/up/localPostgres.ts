/**
 * A private PostgreSQL for `livewall up`'s warehouse step (Debian's postgresql binaries), its data
 * in the state folder, on 127.0.0.1 only, with a `loader` role owning the `dev` database that
 * `livewall load` fills. Trust authentication on loopback: no password exists to leak. Optional:
 * without PostgreSQL installed, `up` runs the pipeline without the warehouse and says so.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { sleep } from '../../lib/backoff';
import { lastLines, startChild, type Child } from './child';

export const UP_WAREHOUSE_DB = 'dev';

/** The newest installed server's bin folder, or null. */
export function postgresBin(root = '/usr/lib/postgresql'): string | null {
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    if (existsSync(join(root, v, 'bin', 'postgres'))) return join(root, v, 'bin');
  }
  return null;
}

/** Where the server's files live when it runs as `postgres`: one folder per state folder. */
export function postgresHome(stateDir: string): string {
  const id = createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 16);
  return join('/var/tmp', `livewall-up-postgres-${id}`);
}

/** As root the server must run as `postgres`; its files then belong to that user. */
function owner(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid)
    throw new Error('there is no postgres user: apt-get install postgresql makes it');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startLocalPostgres(o: {
  bin: string;
  dir: string;
  port: number;
  logs: string;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
}): Promise<{ child: Child; url: string }> {
  const own = owner();
  const as = (cmd: string, args: string[]): [string, string[]] =>
    own ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  // As root the server runs as `postgres`, which may not reach the state folder (a home folder or
  // a temp folder is often closed to others): its files then live in a folder of its own, named
  // after the state folder so a second run finds them, and the state folder says where.
  const home = own ? postgresHome(o.dir) : o.dir;
  const data = join(home, 'data');
  mkdirSync(home, { recursive: true });
  if (own) {
    chownSync(home, own.uid, own.gid);
    mkdirSync(o.dir, { recursive: true });
    writeFileSync(join(o.dir, 'data-folder'), `${home}\n`);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    o.say('creating the private PostgreSQL (once; a second run reuses it)');
    const made = spawnSync(
      ...as(join(o.bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']),
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (made.status !== 0)
      throw new Error(`initdb failed: ${lastLines(`${made.stdout}\n${made.stderr}`)}`);
  }
  const server = startChild(
    'warehouse',
    ...as(join(o.bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(o.port),
      '-h',
      '127.0.0.1',
      '-k',
      home,
    ]),
    { env: o.env, log: join(o.logs, 'warehouse.log') },
  );
  // pg_ctl's fast shutdown ends the sessions and reaches the server behind runuser.
  const child: Child = {
    ...server,
    stop: async (graceMs) => {
      if (server.isRunning()) {
        spawnSync(...as(join(o.bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w']), {
          timeout: graceMs,
        });
      }
      await server.stop(5_000);
    },
  };
  try {
    await prepare(child, o.port);
  } catch (err) {
    await child.stop(30_000);
    throw err;
  }
  return {
    child,
    url: `postgres://loader@127.0.0.1:${o.port}/${UP_WAREHOUSE_DB}`,
  };
}

/** The `loader` role and the `dev` database it owns; safe on every start. */
async function prepare(child: Child, port: number): Promise<void> {
  const { Client } = await import('pg');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const c = new Client({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
      connectionTimeoutMillis: 2_000,
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      try {
        const role = await c.query("SELECT 1 FROM pg_roles WHERE rolname = 'loader'");
        if (role.rowCount === 0) await c.query('CREATE ROLE loader LOGIN');
        const db = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [UP_WAREHOUSE_DB]);
        if (db.rowCount === 0) await c.query(`CREATE DATABASE ${UP_WAREHOUSE_DB} OWNER loader`);
      } finally {
        await c.end().catch(() => undefined);
      }
      return;
    } catch (err) {
      await c.end().catch(() => undefined);
      if (!child.isRunning()) {
        const out = child.output();
        throw new Error(
          /already in use|could not bind/i.test(out)
            ? `port ${port} is in use: choose another with --warehouse-port`
            : `PostgreSQL stopped: ${lastLines(out)}`,
          { cause: err },
        );
      }
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL did not answer within 60 s: ${(err as Error).message}`, {
          cause: err,
        });
      await sleep(200);
    }
  }
}
