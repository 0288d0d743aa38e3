/**
 * The jar built against Flink 1.19, unchanged, on a Flink 1.20.3 runtime (Managed Flink offers
 * both): `livewall flink --flink-classpath` with the class path of flink/runtime-1.20.xml. The
 * job must name Flink 1.20.3 on its streams and its metric_ds must equal MariaDB's GROUP BYs,
 * when it starts afresh, and when it resumes from a 1.19 run's savepoint (what an in-place
 * runtime upgrade of a Managed Flink application does) and then from its own checkpoint after a
 * SIGKILL under traffic.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { beforeAll, describe, expect, test } from 'vitest';
import { type MetricHub } from '../../src/main/app/metricHub';
import { findOnPath } from '../../src/main/cli/flinkCommand';
import { readEngineTags } from '../../src/main/kinesis/engineTags';
import { kinesisClient } from '../support/kinesalite';
import { useKinesalite, useMariaDB } from '../support/lifecycle';
import { ROOT } from '../support/livewall';
import { engineFlags } from '../support/livewall';
import { retainedCheckpoints, useOracleRig } from '../support/oracleRig';
import { waitFor, type ManagedProcess } from '../support/processes';
import { expectScreenEqualsSql as expectSql, screenOf, workload, TZ } from '../support/sqlOracle';

const RUNTIME_POM = join(ROOT, 'flink', 'runtime-1.20.xml');
const CLASSPATH_120 = join(ROOT, 'flink', 'target', 'classpath-1.20.txt');

const db = useMariaDB();
const kinesalite = useKinesalite({ shardLimit: 50 });
const rig = useOracleRig('livewall-flink120-');
/** The job stops with a savepoint on SIGTERM, which takes a while on a busy machine. */
const JOB_STOP_MS = 60_000;
const livewall = (name: string, args: string[]): ManagedProcess =>
  rig.livewall(name, args, JOB_STOP_MS);

beforeAll(async () => {
  // The 1.20.3 class path: resolved by Maven (a cold run downloads about 70 MB into ~/.m2).
  const mvn = findOnPath('mvn', process.env);
  if (!mvn) throw new Error('Maven is needed for the Flink 1.20 runtime (apt-get install maven)');
  const built = spawnSync(mvn, ['-q', '-B', '-f', RUNTIME_POM, 'validate'], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (built.status !== 0 || !existsSync(CLASSPATH_120)) {
    throw new Error(
      `mvn -f flink/runtime-1.20.xml validate failed:\n${built.stdout}${built.stderr}`,
    );
  }
}, 660_000);

interface Pipeline {
  conn: Connection;
  hub: MetricHub;
  flinkArgs: string[];
  stateDir: string;
}

/** A private database and streams, `livewall cdc` running, and the job's flags. */
async function pipeline(name: string): Promise<Pipeline> {
  const endpoint = kinesalite().endpoint;
  const { conn, mysql } = await rig.pipeline(name, db(), endpoint, [
    'order_ds',
    'metric_ds',
    'dwd_ds',
  ]);
  const stateDir = join(rig.path(), name);
  const flinkArgs = [
    'flink',
    ...engineFlags({
      timeZone: TZ,
      database: name,
      source: `${name}_order_ds`,
      metrics: `${name}_metric_ds`,
      dwd: `${name}_dwd_ds`,
      customers: mysql,
      endpoint,
      stateDir,
    }),
    '--checkpoint-interval',
    '2000',
  ];
  return { conn, hub: screenOf(endpoint, `${name}_metric_ds`), flinkArgs, stateDir };
}

/** metric_ds equals MariaDB's GROUP BYs while the job runs. */
function expectScreenEqualsSql(p: Pipeline, job: ManagedProcess): Promise<void> {
  return expectSql(p.conn, p.hub, { timeoutMs: 180_000, process: job });
}

/** The job's own word for the runtime it runs on, from the tags on its metric stream. */
async function expectRuntime(stream: string, version: string): Promise<void> {
  const client = kinesisClient(kinesalite().endpoint);
  let detail = '';
  await waitFor(
    `${stream} to be tagged by Flink ${version}`,
    async () => {
      detail = (await readEngineTags(client, stream))?.detail ?? '';
      return detail.startsWith(`Flink ${version} `);
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  ).catch((err: Error) => {
    throw new Error(`${err.message} (its detail: "${detail}")`, { cause: err });
  });
}

describe('the 1.19-built jar on a Flink 1.20.3 runtime', () => {
  test('started afresh, every metric equals MariaDB’s GROUP BY', { timeout: 420_000 }, async () => {
    const p = await pipeline('fresh120');
    const job = livewall('flink', [...p.flinkArgs, '--flink-classpath', CLASSPATH_120]);
    await workload(p.conn, 31, 500);
    await expectScreenEqualsSql(p, job);
    await expectRuntime('fresh120_metric_ds', '1.20.3');
  });

  test(
    'a 1.19 run’s savepoint resumes on 1.20, and 1.20 resumes from its own checkpoint after a SIGKILL',
    { timeout: 480_000 },
    async () => {
      const p = await pipeline('upgrade120');
      const source = 'upgrade120_order_ds';
      const on120 = [...p.flinkArgs, '--flink-classpath', CLASSPATH_120];
      // On 1.19, stopped cleanly: the savepoint an in-place runtime upgrade starts 1.20 from.
      const old = livewall('flink', p.flinkArgs);
      await workload(p.conn, 32, 300);
      await expectRuntime('upgrade120_metric_ds', '1.19.3');
      await waitFor('a checkpoint', () => retainedCheckpoints(p.stateDir, source).length > 0, {
        timeoutMs: 120_000,
        process: old,
      });
      await old.stop(60_000);
      expect(old.output()).toMatch(/stopped with savepoint/);
      await workload(p.conn, 33, 300);
      const upgraded = livewall('flink', on120);
      await waitFor(
        'the upgrade to name its savepoint',
        () => /resuming from/.test(upgraded.output()),
        {
          timeoutMs: 30_000,
          process: upgraded,
        },
      );
      expect(upgraded.output()).toMatch(
        /resuming from .*upgrade120_order_ds\/savepoints\/savepoint-/,
      );
      await expectRuntime('upgrade120_metric_ds', '1.20.3');
      // On 1.20, SIGKILLed under traffic once it has a checkpoint of its own.
      const before = new Set(retainedCheckpoints(p.stateDir, source));
      await workload(p.conn, 34, 200);
      await waitFor(
        'a 1.20 checkpoint',
        () => retainedCheckpoints(p.stateDir, source).some((c) => !before.has(c)),
        { timeoutMs: 120_000, process: upgraded },
      );
      upgraded.child.kill('SIGKILL');
      await upgraded.exited;
      await workload(p.conn, 35, 200);
      const restarted = livewall('flink', on120);
      await waitFor(
        'the restart to name its checkpoint',
        () => /resuming from/.test(restarted.output()),
        {
          timeoutMs: 30_000,
          process: restarted,
        },
      );
      expect(restarted.output()).toMatch(
        /resuming from .*upgrade120_order_ds\/checkpoints\/\w+\/chk-\d+/,
      );
      await expectScreenEqualsSql(p, restarted);
    },
  );
});
