/**
 * `livewall flink`'s decisions: which checkpoint a restart resumes from, when the jar must be
 * built again, where java is found, and the job's --from.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import {
  checkpointJobs,
  newestCheckpoint,
  pruneSuperseded,
} from '../../src/main/cli/flinkCheckpoints';
import {
  findOnPath,
  fromFlag,
  jobClasspath,
  readRuntimeClasspath,
  rowCheckFlags,
  staleReason,
} from '../../src/main/cli/flinkCommand';
import { engineSettings } from '../../src/main/cli/common';
import { makeTempDir, type TempDir } from '../support/processes';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir('livewall-flink-cmd-');
});
afterEach(async () => {
  await temp.remove();
});

/** A file with its modification time `at` seconds after the epoch. */
function file(path: string, at: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  utimesSync(path, at, at);
}

describe('newestCheckpoint', () => {
  test('none when nothing was retained', () => {
    expect(newestCheckpoint(join(temp.path, 'missing'))).toBeNull();
    // A checkpoint directory without its _metadata was never completed.
    mkdirSync(join(temp.path, 'checkpoints', 'job1', 'chk-3'), { recursive: true });
    expect(newestCheckpoint(temp.path)).toBeNull();
  });

  test('the newest completed checkpoint or savepoint, across the jobs of earlier runs', () => {
    file(join(temp.path, 'checkpoints', 'job1', 'chk-7', '_metadata'), 1_000);
    file(join(temp.path, 'checkpoints', 'job2', 'chk-2', '_metadata'), 3_000);
    file(join(temp.path, 'checkpoints', 'job2', 'shared', '_metadata'), 9_000);
    file(join(temp.path, 'savepoints', 'savepoint-abc', '_metadata'), 2_000);
    expect(newestCheckpoint(temp.path)).toBe(join(temp.path, 'checkpoints', 'job2', 'chk-2'));
    file(join(temp.path, 'savepoints', 'savepoint-def', '_metadata'), 4_000);
    expect(newestCheckpoint(temp.path)).toBe(join(temp.path, 'savepoints', 'savepoint-def'));
  });
});

describe('pruneSuperseded', () => {
  test('earlier runs go once the new run has completed a checkpoint, and not before', () => {
    const dir = temp.path;
    file(join(dir, 'checkpoints', 'run1', 'chk-7', '_metadata'), 1_000);
    file(join(dir, 'checkpoints', 'run2', 'chk-9', '_metadata'), 2_000);
    file(join(dir, 'savepoints', 'savepoint-old', '_metadata'), 2_500);
    const earlier = checkpointJobs(dir);
    expect([...earlier].sort()).toEqual(['run1', 'run2']);
    // The new run has begun a checkpoint but not completed one: everything stays.
    mkdirSync(join(dir, 'checkpoints', 'run3', 'chk-1'), { recursive: true });
    expect(pruneSuperseded(dir, earlier)).toEqual([]);
    expect(existsSync(join(dir, 'checkpoints', 'run1'))).toBe(true);
    // Its first checkpoint completes: earlier runs and older savepoints go, newer ones stay.
    file(join(dir, 'checkpoints', 'run3', 'chk-1', '_metadata'), 3_000);
    file(join(dir, 'savepoints', 'savepoint-new', '_metadata'), 4_000);
    expect(pruneSuperseded(dir, earlier).sort()).toEqual(
      [
        join(dir, 'checkpoints', 'run1'),
        join(dir, 'checkpoints', 'run2'),
        join(dir, 'savepoints', 'savepoint-old'),
      ].sort(),
    );
    expect(newestCheckpoint(dir)).toBe(join(dir, 'savepoints', 'savepoint-new'));
    expect([...checkpointJobs(dir)]).toEqual(['run3']);
  });

  test('a first run has nothing to prune', () => {
    file(join(temp.path, 'checkpoints', 'run1', 'chk-1', '_metadata'), 1_000);
    expect(pruneSuperseded(temp.path, new Set())).toEqual([]);
  });
});

describe('staleReason', () => {
  test('missing, older than a source, or up to date', () => {
    const dir = temp.path;
    file(join(dir, 'pom.xml'), 1_000);
    file(join(dir, 'src', 'main', 'java', 'Job.java'), 2_000);
    expect(staleReason(dir)).toMatch(/livewall-flink\.jar is missing$/);
    file(join(dir, 'target', 'livewall-flink.jar'), 1_500);
    file(join(dir, 'target', 'classpath.txt'), 1_500);
    expect(staleReason(dir)).toMatch(/is older than its sources$/);
    file(join(dir, 'target', 'livewall-flink.jar'), 2_500);
    expect(staleReason(dir)).toBeNull();
    // Tests are not in the jar: changing one does not rebuild it.
    file(join(dir, 'src', 'test', 'java', 'JobTest.java'), 5_000);
    expect(staleReason(dir)).toBeNull();
  });
});

describe('findOnPath', () => {
  test('JAVA_HOME first, then the PATH, else null', () => {
    file(join(temp.path, 'home', 'bin', 'java'), 1);
    file(join(temp.path, 'usr', 'java'), 1);
    const env = { PATH: `/nonexistent:${join(temp.path, 'usr')}` };
    expect(findOnPath('java', env, join(temp.path, 'home'))).toBe(
      join(temp.path, 'home', 'bin', 'java'),
    );
    expect(findOnPath('java', env)).toBe(join(temp.path, 'usr', 'java'));
    expect(findOnPath('java', { PATH: '/nonexistent' })).toBeNull();
  });
});

describe('the class path of a local run', () => {
  test.each([
    [
      '/m2/flink-core.jar:/m2/flink-runtime.jar\n',
      '/m2/flink-core.jar:/m2/flink-runtime.jar:/job.jar',
    ],
    // Flink's jars come first, as a cluster loads org.apache.flink.* parent-first.
    ['/m2/flink-connector-files.jar', '/m2/flink-connector-files.jar:/job.jar'],
    ['  /a.jar::/b.jar  ', '/a.jar:/b.jar:/job.jar'],
  ])('%j', (runtime, want) => {
    expect(jobClasspath('/job.jar', runtime)).toBe(want);
  });

  test('a runtime class path that is missing or empty says which file', () => {
    const empty = join(temp.path, 'classpath-empty.txt');
    writeFileSync(empty, '\n');
    expect(() => readRuntimeClasspath(empty)).toThrow(`the Flink class path ${empty} is empty`);
    const missing = join(temp.path, 'classpath-1.20.txt');
    expect(() => readRuntimeClasspath(missing)).toThrow(
      `cannot read the Flink class path ${missing}: ENOENT`,
    );
    writeFileSync(missing, '/a.jar:/b.jar\n');
    expect(readRuntimeClasspath(missing)).toBe('/a.jar:/b.jar\n');
  });
});

test('fromFlag', () => {
  expect(fromFlag({ type: 'TRIM_HORIZON' })).toBe('trim');
  expect(fromFlag({ type: 'LATEST' })).toBe('latest');
  expect(fromFlag({ type: 'AT_TIMESTAMP', timestamp: 1732440000000 })).toBe('1732440000000');
});

describe('rowCheckFlags', () => {
  const flagsOf = (values: Record<string, string>): string[] => {
    const { database, maxFutureMs } = engineSettings('flink', values);
    return rowCheckFlags(database, maxFutureMs);
  };

  test('the flags, else the config file, else demo and a day', () => {
    const config = join(temp.path, 'livewall.json');
    writeFileSync(config, JSON.stringify({ engine: { database: 'shop', maxFutureHours: 1.5 } }));
    const empty = join(temp.path, 'empty.json');
    writeFileSync(empty, '{}');
    expect(flagsOf({ config: empty })).toEqual(['--database', 'demo', '--max-future-hours', '24']);
    expect(flagsOf({ config })).toEqual(['--database', 'shop', '--max-future-hours', '1.5']);
    expect(flagsOf({ config, database: 'otherdb', 'max-future-hours': '2' })).toEqual([
      '--database',
      'otherdb',
      '--max-future-hours',
      '2',
    ]);
  });
});
