/**
 * A private PostgreSQL (Debian's postgresql binaries) on a free port: the stand-in for the
 * warehouse (Redshift speaks PostgreSQL's protocol). PostgreSQL refuses to run as root, so as
 * root the server runs as the `postgres` user that Debian's package creates.
 */
import { chown } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { onFreePort } from './ports';
import {
  makeTempDir,
  runToCompletion,
  spawnManaged,
  track,
  waitFor,
  type ManagedProcess,
} from './processes';

export interface Postgres {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication on loopback). */
  readonly url: string;
  /** Stops the server (its data stays); restart() brings it back on the same port. */
  stop(): Promise<void>;
  /** Starts the server again on the same port with the same data (stopping it first if up). */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions
    .map((v) => join(root, v, 'bin'))
    .find((d) => existsSync(join(d, 'postgres')));
  if (!dir)
    throw new Error('PostgreSQL is not installed: apt-get install postgresql (.ci/run does)');
  return dir;
}

/** The command and its arguments, run as `postgres` when we are root. */
function asOwner(command: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
}

export async function startPostgres(): Promise<Postgres> {
  const bin = binDir();
  const temp = await makeTempDir('livewall-postgres-');
  const data = join(temp.path, 'data');
  if (userInfo().uid === 0) {
    const { uid, gid } = await pgOwner();
    await chown(temp.path, uid, gid);
  }
  await runToCompletion(
    'initdb',
    ...asOwner(join(bin, 'initdb'), [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
    ]),
    { timeoutMs: 60_000 },
  );
  const launch = async (port: number): Promise<ManagedProcess> => {
    const proc: ManagedProcess = spawnManaged(
      `postgres :${port}`,
      ...asOwner(join(bin, 'postgres'), [
        '-D',
        data,
        '-p',
        String(port),
        '-h',
        '127.0.0.1',
        '-k',
        temp.path,
        '-c',
        'fsync=off',
      ]),
    );
    await waitFor(
      'PostgreSQL to accept connections',
      async () => {
        const c = new pg.Client({ connectionString: urlOf(port), connectionTimeoutMillis: 2_000 });
        await c.connect();
        await c.end();
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 100, process: proc },
    );
    return proc;
  };
  const started = await onFreePort(async (port) => ({
    port,
    url: urlOf(port),
    proc: await launch(port),
  }));
  // pg_ctl's fast shutdown ends client sessions (a plain SIGTERM waits for them to leave), and
  // reaches the server itself, not the runuser wrapper in front of it.
  const stop = async (): Promise<void> => {
    const { proc } = started;
    if (proc.exitInfo() === undefined) {
      await runToCompletion(
        'pg_ctl stop',
        ...asOwner(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w']),
        { timeoutMs: 30_000 },
      ).catch(() => undefined);
    }
    await proc.stop(5_000);
  };
  const dispose = async (): Promise<void> => {
    await stop();
    await temp.remove();
  };
  const untrack = track(started.proc.name, dispose);
  return {
    port: started.port,
    url: started.url,
    stop,
    restart: async () => {
      await stop();
      started.proc = await launch(started.port);
    },
    dispose: async () => {
      untrack();
      await dispose();
    },
  };
}

const urlOf = (port: number): string => `postgres://postgres@127.0.0.1:${port}/postgres`;

async function pgOwner(): Promise<{ uid: number; gid: number }> {
  const text = await import('node:fs/promises').then((fs) => fs.readFile('/etc/passwd', 'utf8'));
  const line = text.split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error('no postgres user: apt-get install postgresql creates it');
  return { uid: Number(uid), gid: Number(gid) };
}
