/**
 * The rig of the SQL-oracle tests that run bin/livewall (the engine's and the Flink job's): a
 * temp dir for the file, `livewall` processes stopped after each test, cdc started and waited
 * for, and the flags both engines take.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { spawnLivewall } from './livewall';
import { makeTempDir, waitFor, type ManagedProcess, type TempDir } from './processes';
import { TZ } from './sqlOracle';

export interface OracleRig {
  /** The file's temp dir (made before its tests, removed after). */
  path(): string;
  /** `bin/livewall …` in the temp dir, no password inherited; stopped when the test ends. */
  livewall(name: string, args: string[], stopMs?: number): ManagedProcess;
  /** `livewall cdc` from the current binlog position to `stream`, once it reads. */
  startCdc(mysql: string, stream: string, endpoint: string): Promise<ManagedProcess>;
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
  const livewall = (name: string, args: string[], stopMs?: number): ManagedProcess => {
    const p = spawnLivewall(args, {
      name,
      cwd: path(),
      env: { ...process.env, LIVEWALL_MYSQL_PASSWORD: '', MYSQL_PWD: '' },
    });
    onTestFinished(() => p.stop(stopMs));
    return p;
  };
  return {
    path,
    livewall,
    async startCdc(mysql, stream, endpoint) {
      const cdc = livewall('cdc', [
        'cdc',
        '--mysql',
        mysql,
        '--stream',
        stream,
        '--endpoint',
        endpoint,
        '--position-file',
        join(path(), `${stream}.pos.json`),
        '--from-current',
      ]);
      await waitFor('cdc to start', () => /reading|started|from/.test(cdc.output()), {
        timeoutMs: 20_000,
        process: cdc,
      });
      return cdc;
    },
  };
}

/** The flags `livewall engine` and `livewall flink` share in these tests (zone UTC, emit 100 ms). */
export function engineFlags(o: {
  source: string;
  metrics: string;
  dwd: string;
  customers: string;
  endpoint: string;
  stateDir: string;
}): string[] {
  return [
    '--source',
    o.source,
    '--metrics',
    o.metrics,
    '--dwd',
    o.dwd,
    '--customers',
    o.customers,
    '--endpoint',
    o.endpoint,
    '--state-dir',
    o.stateDir,
    '--time-zone',
    TZ,
    '--db-time-zone',
    TZ,
    '--emit-interval',
    '100',
  ];
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
