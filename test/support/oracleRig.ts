/**
 * The rig of the SQL-oracle tests that run bin/livewall (the engine's and the Flink job's): a
 * temp dir for the file, `livewall` processes stopped after each test, cdc started and waited
 * for, and the flags both engines take.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { createStream, kinesisClient } from './kinesalite';
import { cdcArgs, spawnLivewall } from './livewall';
import type { MariaDB } from './mariadb';
import { makeTempDir, waitFor, type ManagedProcess, type TempDir } from './processes';
import { setUp, useSessionZone } from './sqlOracle';

export interface OracleRig {
  /** The file's temp dir (made before its tests, removed after). */
  path(): string;
  /**
   * `bin/livewall …` in the temp dir, no password inherited, the machine's zone `zone` (TZ) when
   * given; stopped when the test ends.
   */
  livewall(name: string, args: string[], stopMs?: number, zone?: string): ManagedProcess;
  /** `livewall cdc` from the current binlog position to `stream`, once it reads. */
  startCdc(mysql: string, stream: string, endpoint: string, zone?: string): Promise<ManagedProcess>;
  /**
   * Database `name` with the workshop's tables (sqlOracle setUp), the streams `name_<s>` (two
   * shards each), and cdc shipping its binlog to `name_order_ds`. With `zone`, the connection's
   * session and cdc's machine run in it.
   */
  pipeline(
    name: string,
    db: MariaDB,
    endpoint: string,
    streams: readonly string[],
    zone?: string,
  ): Promise<{ conn: Connection; mysql: string }>;
}

export function useOracleRig(prefix: string): OracleRig {
  let temp: TempDir | undefined;
  beforeAll(async () => {
    temp = await makeTempDir(prefix);
  });
  afterAll(async () => {
    await temp?.remove();
  });
  const path = (): string => {
    if (!temp) throw new Error('useOracleRig: the temp dir is made in beforeAll');
    return temp.path;
  };
  const livewall = (
    name: string,
    args: string[],
    stopMs?: number,
    zone?: string,
  ): ManagedProcess => {
    const p = spawnLivewall(args, {
      name,
      cwd: path(),
      env: {
        ...process.env,
        LIVEWALL_MYSQL_PASSWORD: '',
        MYSQL_PWD: '',
        ...(zone ? { TZ: zone } : {}),
      },
    });
    onTestFinished(() => p.stop(stopMs));
    return p;
  };
  return {
    path,
    livewall,
    async startCdc(mysql, stream, endpoint, zone) {
      const cdc = livewall(
        'cdc',
        cdcArgs({ mysql, stream, endpoint, positionFile: join(path(), `${stream}.pos.json`) }),
        undefined,
        zone,
      );
      await waitFor('cdc to start', () => /reading|started|from/.test(cdc.output()), {
        timeoutMs: 20_000,
        process: cdc,
      });
      return cdc;
    },
    async pipeline(name, db, endpoint, streams, zone) {
      const { conn } = await setUp(db.url, name);
      onTestFinished(() => conn.end());
      if (zone) await useSessionZone(conn, zone);
      const client = kinesisClient(endpoint);
      for (const s of streams) await createStream(client, `${name}_${s}`, 2);
      const mysql = `mysql://root@127.0.0.1:${db.port}/${name}`;
      await this.startCdc(mysql, `${name}_order_ds`, endpoint, zone);
      return { conn, mysql };
    },
  };
}

/** The completed checkpoints (`chk-N` with a `_metadata`) `livewall flink` kept for a source. */
export function retainedCheckpoints(stateDir: string, source: string): string[] {
  const dir = join(stateDir, 'flink', source, 'checkpoints');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((job) =>
    readdirSync(join(dir, job))
      .filter((c) => existsSync(join(dir, job, c, '_metadata')))
      .map((c) => join(dir, job, c)),
  );
}
