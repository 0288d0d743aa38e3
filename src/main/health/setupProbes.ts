/**
 * The probes of what must be set up before data flows: a Kinesis stream ACTIVE, MySQL's order
 * table with the binlog and grants cdc needs, the customer table answering. Each answers with its
 * sentence or throws a HealthFailure saying what to do.
 */
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { binlogPreflight, grantsPreflight } from '../cdc/preflight';
import type { CustomerDirectory } from '../engine/customerDirectory';
import type { MySqlConnector } from '../mysql/connect';
import { describeMySqlError } from '../mysql/errors';
import { checkOrderTable } from '../mysql/orderSchema';
import { describeMySqlTarget, type MySqlTarget } from '../mysql/target';
import { HealthFailure } from './healthFailure';

export interface MySqlSetup {
  target: MySqlTarget;
  connector: () => Promise<MySqlConnector>;
  /** cdc's own account, when named: its grants are checked with it. */
  cdc?: { target: MySqlTarget; connector: () => Promise<MySqlConnector> };
}

/** One DescribeStreamSummary: the stream must be ACTIVE (or UPDATING). */
export async function kinesisStreamProbe(
  client: Pick<KinesisClient, 'send'>,
  stream: string,
  target: string,
): Promise<string> {
  const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
  const d = out.StreamDescriptionSummary;
  if (d?.StreamStatus !== 'ACTIVE' && d?.StreamStatus !== 'UPDATING') {
    throw new HealthFailure(
      `Stream "${stream}" is ${d?.StreamStatus ?? 'in an unknown state'}: wait until it is ACTIVE.`,
    );
  }
  return `${d.StreamStatus}, ${d.OpenShardCount ?? '?'} open shard(s), retention ${d.RetentionPeriodHours ?? '?'} h (${target})`;
}

/** The order table, the binlog's format, and the grants cdc needs (with cdc's account if named). */
export async function mysqlSetupProbe({ target, connector, cdc }: MySqlSetup): Promise<string> {
  const where = describeMySqlTarget(target);
  const conn = await (await connector()).connect();
  let grants: string;
  try {
    const table = await checkOrderTable(conn, target.database, false);
    if (table) throw new HealthFailure(table);
    const binlog = await binlogPreflight(conn);
    if (binlog)
      throw new HealthFailure(
        `${where}: the order table is there, but cdc could not read it: ${binlog}`,
      );
    // Each account is judged for its own job: the writer need not read the binlog.
    const own = cdc ? 'unchecked' : await grantsPreflight(conn, target.database, 'order');
    const lacks = own === null ? null : (/ lacks (.+?), which/.exec(own)?.[1] ?? null);
    grants =
      own === null
        ? `the grants cdc needs are in place for ${where}`
        : `cdc's grants not checked${lacks ? ` (this account lacks ${lacks}: right for a writer)` : ''}; name cdc's own account with --cdc-mysql to check them`;
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
  if (cdc) {
    const cdcWhere = describeMySqlTarget(cdc.target);
    let cdcConn;
    try {
      cdcConn = await (await cdc.connector()).connect();
    } catch (err) {
      throw new HealthFailure(`cdc's account: ${describeMySqlError(err, cdc.target)}`);
    }
    try {
      const refusal = await grantsPreflight(cdcConn, target.database, 'order');
      if (refusal) throw new HealthFailure(`${cdcWhere}: ${refusal}`);
      grants = `the grants cdc needs are in place for ${cdcWhere}`;
    } finally {
      await cdcConn.end().catch(() => cdcConn.destroy());
    }
  }
  return `${where}: the order table is there; binlog ROW/FULL; ${grants}`;
}

/** One lookup of a mail no customer has: the table answers, whatever it holds. */
export async function customersProbe(open: () => Promise<CustomerDirectory>): Promise<string> {
  const dir = await open();
  try {
    await dir.lookup(['health-check@livewall.invalid']);
    return `${dir.description}: the customer table answers`;
  } finally {
    await dir.close();
  }
}
