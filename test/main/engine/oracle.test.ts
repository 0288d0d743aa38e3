/**
 * Issue 5's oracle: a random workload of inserts, updates (status, amount, city, user_mail) and
 * deletes run by SQL on a private MariaDB, captured by `livewall cdc`, folded by `livewall engine`
 * (with the customer lookup), read back from metric_ds; then every metric record's value equals
 * the SQL GROUP BY on MariaDB itself. A second run, in Asia/Shanghai (the engine's machine, the
 * database session, the rows and the days), SIGKILLs the engine mid-workload and restarts it.
 */
import type { Connection } from 'mysql2/promise';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { type MetricHub } from '../../../src/main/app/metricHub';
import { useKinesalite, useMariaDB } from '../../support/lifecycle';
import { engineFlags } from '../../support/livewall';
import { useOracleRig } from '../../support/oracleRig';
import { waitFor } from '../../support/processes';
import { expectScreenEqualsSql, screenOf, workload, TZ } from '../../support/sqlOracle';

const db = useMariaDB();
const kinesalite = useKinesalite({ shardLimit: 100 });
const rig = useOracleRig('livewall-engine-');
const SHANGHAI = 'Asia/Shanghai';

/** A private database and streams in `zone`, `livewall cdc` running, and the engine's flags. */
async function pipeline(
  name: string,
  zone = TZ,
): Promise<{ conn: Connection; hub: MetricHub; engineArgs: string[] }> {
  const endpoint = kinesalite().endpoint;
  const { conn, mysql } = await rig.pipeline(
    name,
    db(),
    endpoint,
    ['order_ds', 'metric_ds', 'dwd_ds'],
    zone,
  );
  const engineArgs = [
    'engine',
    ...engineFlags({
      timeZone: zone,
      database: name,
      source: `${name}_order_ds`,
      metrics: `${name}_metric_ds`,
      dwd: `${name}_dwd_ds`,
      customers: mysql,
      endpoint,
      stateDir: join(rig.path(), name),
    }),
  ];
  return { conn, hub: screenOf(endpoint, `${name}_metric_ds`, zone), engineArgs };
}

describe('livewall engine against the SQL view', () => {
  test(
    'every metric equals MariaDB’s own GROUP BY after a random workload',
    { timeout: 180_000 },
    async () => {
      const { conn, hub, engineArgs } = await pipeline('oracle');
      const engine = rig.livewall('engine', engineArgs);
      await workload(conn, 11, 1_200);
      await expectScreenEqualsSql(conn, hub, { timeoutMs: 60_000, process: engine });
    },
  );

  // The workshop runs in Asia/Shanghai: this run's machine (TZ), database session, rows and days
  // are all in UTC+8.
  test(
    'in Asia/Shanghai, the engine SIGKILLed mid-workload and restarted gives the same final values',
    { timeout: 180_000 },
    async () => {
      const { conn, hub, engineArgs } = await pipeline('restart', SHANGHAI);
      const first = rig.livewall('engine', engineArgs, undefined, SHANGHAI);
      await workload(conn, 12, 600, SHANGHAI);
      // Let it checkpoint at least once, then kill it without warning.
      await waitFor(
        'a checkpoint',
        () => existsSync(join(rig.path(), 'restart', 'engine', 'restart_order_ds.checkpoint.json')),
        { timeoutMs: 30_000, process: first },
      );
      first.child.kill('SIGKILL');
      await first.exited;
      await workload(conn, 13, 600, SHANGHAI);
      const second = rig.livewall('engine', engineArgs, undefined, SHANGHAI);
      await expectScreenEqualsSql(conn, hub, {
        timeoutMs: 60_000,
        process: second,
        zone: SHANGHAI,
      });
    },
  );
});
